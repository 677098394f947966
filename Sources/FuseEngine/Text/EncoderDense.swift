import CBLAS

/// A dense layer of the encoder, y = x W^T + b, with W kept transposed (inputs x outputs)
/// so that the forward product is a plain row-major `cblas_sgemm`.
///
/// The checkpoint stores W as outputs x inputs (PyTorch's `nn.Linear`); the transpose is
/// made once when the weights are loaded.
public struct EncoderDense: Sendable {
  /// W^T: one row per input, one column per output.
  public var weightTransposed: Matrix
  public var bias: [Float]

  public var inputs: Int { weightTransposed.rows }
  public var outputs: Int { weightTransposed.columns }

  public init(weightTransposed: Matrix, bias: [Float]) {
    precondition(weightTransposed.columns == bias.count, "dense bias does not match its weight")
    self.weightTransposed = weightTransposed
    self.bias = bias
  }

  /// Builds the layer from weights stored outputs x inputs, transposing them once.
  public init(weight: Matrix, bias: [Float]) {
    var transposed = Matrix(rows: weight.columns, columns: weight.rows)
    for output in 0..<weight.rows {
      for input in 0..<weight.columns {
        transposed.values[input * weight.rows + output] =
          weight.values[output * weight.columns + input]
      }
    }
    self.init(weightTransposed: transposed, bias: bias)
  }

  /// Sets `output` to x W^T + b, or with `accumulate`, adds x W^T + b to what it holds
  /// (the residual connection without a separate pass).
  public func forward(_ x: Matrix, into output: inout Matrix, accumulate: Bool = false) {
    precondition(x.columns == inputs, "dense layer of \(inputs) inputs given \(x.columns)")
    let rows = x.rows
    let width = outputs
    if accumulate {
      precondition(output.rows == rows && output.columns == width, "residual has the wrong shape")
    } else {
      output.reshape(rows: rows, columns: width)
    }

    output.values.withUnsafeMutableBufferPointer { out in
      bias.withUnsafeBufferPointer { bias in
        for row in 0..<rows {
          let line = out.baseAddress! + row * width
          if accumulate {
            for column in 0..<width { line[column] += bias[column] }
          } else {
            line.update(from: bias.baseAddress!, count: width)
          }
        }
      }
      guard rows > 0 else { return }
      x.values.withUnsafeBufferPointer { input in
        weightTransposed.values.withUnsafeBufferPointer { weight in
          cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(width),
            Int32(inputs), 1, input.baseAddress, Int32(inputs), weight.baseAddress,
            Int32(width), 1, out.baseAddress, Int32(width))
        }
      }
    }
  }
}
