/// Inverted dropout: in training, each entry is zeroed with probability `rate` and the
/// survivors are scaled by 1 / (1 - rate); at evaluation the layer is the identity.
public final class Dropout: Layer {
  public let rate: Float
  public private(set) var output = Matrix(rows: 0, columns: 0)
  public private(set) var inputGradient = Matrix(rows: 0, columns: 0)

  /// The factor each entry was multiplied by in the last training pass (0 or 1 / (1 - rate)).
  public private(set) var mask = Matrix(rows: 0, columns: 0)
  private var active = false
  public var parameters: [Parameter] { [] }

  public init(rate: Float) {
    precondition(rate >= 0 && rate < 1, "dropout rate must be in [0, 1)")
    self.rate = rate
  }

  public func forward(_ input: Matrix, training: Bool, generator: inout SeededGenerator) {
    active = training && rate > 0
    output.reshape(rows: input.rows, columns: input.columns)
    guard active else {
      output.values.withUnsafeMutableBufferPointer { y in
        input.values.withUnsafeBufferPointer { x in
          for index in 0..<x.count { y[index] = x[index] }
        }
      }
      return
    }
    mask.reshape(rows: input.rows, columns: input.columns)
    let scale = 1 / (1 - rate)
    mask.values.withUnsafeMutableBufferPointer { m in
      for index in 0..<m.count { m[index] = generator.uniform() < rate ? 0 : scale }
    }
    applyMask(to: input)
  }

  /// A training pass with a given mask instead of a drawn one (for tests and replays).
  public func forward(_ input: Matrix, mask fixedMask: Matrix) {
    precondition(fixedMask.rows == input.rows && fixedMask.columns == input.columns)
    active = true
    mask = fixedMask
    output.reshape(rows: input.rows, columns: input.columns)
    applyMask(to: input)
  }

  public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) {
    guard needsInputGradient else { return }
    inputGradient.reshape(rows: outputGradient.rows, columns: outputGradient.columns)
    outputGradient.values.withUnsafeBufferPointer { dy in
      inputGradient.values.withUnsafeMutableBufferPointer { dx in
        if active {
          mask.values.withUnsafeBufferPointer { m in
            for index in 0..<dy.count { dx[index] = dy[index] * m[index] }
          }
        } else {
          for index in 0..<dy.count { dx[index] = dy[index] }
        }
      }
    }
  }

  public func copy() -> Layer { Dropout(rate: rate) }

  private func applyMask(to input: Matrix) {
    input.values.withUnsafeBufferPointer { x in
      mask.values.withUnsafeBufferPointer { m in
        output.values.withUnsafeMutableBufferPointer { y in
          for index in 0..<x.count { y[index] = x[index] * m[index] }
        }
      }
    }
  }
}
