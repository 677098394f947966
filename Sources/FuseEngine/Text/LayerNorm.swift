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

  /// Writes into `output` the forward pass's result for `input`, from the statistics that
  /// pass returned; the arithmetic is the forward pass's, so the result is the same.
  func normalized(_ input: Matrix, statistics: Statistics, into output: inout Matrix) {
    let width = input.columns
    output.reshape(rows: input.rows, columns: width)
    input.values.withUnsafeBufferPointer { entries in
      output.values.withUnsafeMutableBufferPointer { out in
        gain.value.values.withUnsafeBufferPointer { gain in
          bias.value.values.withUnsafeBufferPointer { bias in
            for row in 0..<input.rows {
              let x = entries.baseAddress! + row * width
              let y = out.baseAddress! + row * width
              let (mean, inverse) = (statistics.mean[row], statistics.inverseDeviation[row])
              for column in 0..<width {
                y[column] = (x[column] - mean) * inverse * gain[column] + bias[column]
              }
            }
          }
        }
      }
    }
  }

  /// Turns `gradient`, dL/dy for the rows of the forward pass's `input`, into dL/dx in
  /// place, and adds dL/d gain and dL/d bias to the parameters' gradients.
  ///
  /// With x^ = (x - mean) / deviation and g = dL/dy * gain, per row:
  /// dL/dx = (g - mean(g) - x^ * mean(g * x^)) / deviation.
  func backward(input: Matrix, statistics: Statistics, gradient: inout Matrix) {
    let width = input.columns
    precondition(gradient.rows == input.rows && gradient.columns == width, "bad gradient shape")
    let scale = 1 / Float(width)
    input.values.withUnsafeBufferPointer { entries in
      gradient.values.withUnsafeMutableBufferPointer { gradients in
        gain.value.values.withUnsafeBufferPointer { gainValues in
          gain.gradient.values.withUnsafeMutableBufferPointer { gainGradient in
            bias.gradient.values.withUnsafeMutableBufferPointer { biasGradient in
              let (gain, dGain, dBias) = (
                gainValues.baseAddress!, gainGradient.baseAddress!, biasGradient.baseAddress!
              )
              for row in 0..<input.rows {
                let x = entries.baseAddress! + row * width
                let dy = gradients.baseAddress! + row * width
                let (mean, inverse) = (statistics.mean[row], statistics.inverseDeviation[row])
                var gradientSum: Float = 0
                var projection: Float = 0
                for column in 0..<width {
                  let normalized = (x[column] - mean) * inverse
                  let g = dy[column] * gain[column]
                  dGain[column] += dy[column] * normalized
                  dBias[column] += dy[column]
                  gradientSum += g
                  projection += g * normalized
                }
                let (meanGradient, meanProjection) = (gradientSum * scale, projection * scale)
                for column in 0..<width {
                  let normalized = (x[column] - mean) * inverse
                  let g = dy[column] * gain[column]
                  dy[column] = (g - meanGradient - normalized * meanProjection) * inverse
                }
              }
            }
          }
        }
      }
    }
  }
}
