/// Layer normalisation over each row: (x - mean) / sqrt(variance + epsilon) * gain + bias,
/// with the population variance, as BERT uses it.
public struct LayerNorm: Sendable {
  public var gain: [Float]
  public var bias: [Float]
  public var epsilon: Float

  public init(gain: [Float], bias: [Float], epsilon: Float) {
    precondition(gain.count == bias.count, "layer norm gain and bias differ in size")
    self.gain = gain
    self.bias = bias
    self.epsilon = epsilon
  }

  /// The per-row statistics that a backward pass needs besides the input.
  public struct Statistics: Sendable {
    public var mean: [Float] = []
    public var inverseDeviation: [Float] = []
    public init() {}
  }

  /// Normalises every row of `x` in place and returns each row's mean and 1 / deviation.
  ///
  /// Mean and variance are taken in two passes in Float, which keeps rows of a few
  /// hundred entries within a few ulps of a double-precision result.
  @discardableResult
  public func forward(_ x: inout Matrix) -> Statistics {
    let width = x.columns
    precondition(width == gain.count, "layer norm of width \(gain.count) given \(width) columns")
    let rows = x.rows
    var statistics = Statistics()
    statistics.mean = [Float](repeating: 0, count: rows)
    statistics.inverseDeviation = [Float](repeating: 0, count: rows)
    let scale = 1 / Float(width)

    x.values.withUnsafeMutableBufferPointer { entries in
      gain.withUnsafeBufferPointer { gain in
        bias.withUnsafeBufferPointer { bias in
          for row in 0..<rows {
            let line = entries.baseAddress! + row * width
            var sum: Float = 0
            for column in 0..<width { sum += line[column] }
            let mean = sum * scale
            var squares: Float = 0
            for column in 0..<width {
              let centred = line[column] - mean
              squares += centred * centred
            }
            let inverse = 1 / (squares * scale + epsilon).squareRoot()
            for column in 0..<width {
              line[column] = (line[column] - mean) * inverse * gain[column] + bias[column]
            }
            statistics.mean[row] = mean
            statistics.inverseDeviation[row] = inverse
          }
        }
      }
    }
    return statistics
  }
}
