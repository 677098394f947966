/// Layer normalisation over each row: (x - mean) / sqrt(variance + epsilon) * gain + bias,
/// with the population variance, as BERT uses it.
///
/// Gain and bias are 1 x width parameters named as PyTorch's `nn.LayerNorm` names them in a
/// state dict: `<name>.weight` and `<name>.bias`.
public final class LayerNorm {
  public let gain: Parameter
  public let bias: Parameter
  public let epsilon: Float

  public var width: Int { gain.value.columns }

  public init(name: String, gain: [Float], bias: [Float], epsilon: Float) {
    precondition(gain.count == bias.count, "layer norm gain and bias differ in size")
    self.gain = Parameter(
      name: name + ".weight", value: Matrix(rows: 1, columns: gain.count, values: gain))
    self.bias = Parameter(
      name: name + ".bias", value: Matrix(rows: 1, columns: bias.count, values: bias))
    self.epsilon = epsilon
  }

  /// The per-row statistics that a backward pass needs besides the input.
  public struct Statistics: Sendable {
    public var mean: [Float] = []
    public var inverseDeviation: [Float] = []
    public init() {}

    mutating func resize(_ rows: Int) {
      guard mean.count != rows else { return }
      mean = [Float](repeating: 0, count: rows)
      inverseDeviation = [Float](repeating: 0, count: rows)
    }
  }

  /// Normalises every row of `x` in place and returns each row's mean and 1 / deviation.
  @discardableResult
  public func forward(_ x: inout Matrix) -> Statistics {
    var statistics = Statistics()
    forward(&x, statistics: &statistics)
    return statistics
  }

  /// Normalises every row of `x` in place, writing each row's mean and 1 / deviation into
  /// `statistics` (whose storage is reused when it has as many rows).
  ///
  /// Mean and variance are taken in two passes in Float, which keeps rows of a few
  /// hundred entries within a few ulps of a double-precision result.
  public func forward(_ x: inout Matrix, statistics: inout Statistics) {
    let width = x.columns
    precondition(width == self.width, "layer norm of width \(self.width) given \(width) columns")
    let rows = x.rows
    statistics.resize(rows)
    let scale = 1 / Float(width)

    x.values.withUnsafeMutableBufferPointer { entries in
      gain.value.values.withUnsafeBufferPointer { gain in
        bias.value.values.withUnsafeBufferPointer { bias in
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
  }
}
