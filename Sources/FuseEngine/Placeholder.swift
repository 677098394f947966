import CBLAS

/// Placeholder so the target builds; replaced by the engine.
public func _blasCheck() -> Float {
  let a: [Float] = [1, 2, 3]
  return cblas_sdot(3, a, 1, a, 1)
}
