import CBLAS

/// A dense layer of the encoder, y = x W^T + b, with W kept transposed (inputs x outputs)
/// so that the forward product is a plain row-major `cblas_sgemm`.
///
/// The checkpoint stores W as outputs x inputs (PyTorch's `nn.Linear`); the transpose is
/// made once when the weights are loaded, and `TextEncoder.stateTensors` undoes it.
/// A layer may hold several PyTorch layers with the same inputs side by side (query, key
/// and value): `stateNames` lists them in column order, each `outputs / stateNames.count`
/// wide.
public final class EncoderDense {
  /// W^T: one row per input, one column per output, named `<name>.weight`.
  public let weight: Parameter
  /// b, 1 x outputs, named `<name>.bias`.
  public let bias: Parameter
  /// The names of the PyTorch layers whose outputs this one holds, in column order.
  public let stateNames: [String]

  public var inputs: Int { weight.value.rows }
  public var outputs: Int { weight.value.columns }

  public init(
    name: String, weightTransposed: Matrix, bias: [Float], stateNames: [String]? = nil
  ) {
    precondition(weightTransposed.columns == bias.count, "dense bias does not match its weight")
    let parts = stateNames ?? [name]
    precondition(bias.count % parts.count == 0, "dense outputs do not split into its parts")
    weight = Parameter(name: name + ".weight", value: weightTransposed)
    self.bias = Parameter(
      name: name + ".bias", value: Matrix(rows: 1, columns: bias.count, values: bias))
    self.stateNames = parts
  }

  /// Builds the layer from weights stored outputs x inputs, transposing them once.
  public convenience init(name: String, weight: Matrix, bias: [Float]) {
    self.init(name: name, weightTransposed: transposed(weight), bias: bias)
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
      bias.value.values.withUnsafeBufferPointer { bias in
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
        weight.value.values.withUnsafeBufferPointer { weight in
          cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(width),
            Int32(inputs), 1, input.baseAddress, Int32(inputs), weight.baseAddress,
            Int32(width), 1, out.baseAddress, Int32(width))
        }
      }
    }
  }

  /// Adds dL/dW^T = x^T dy to the weight's gradient and the column sums of dy to the
  /// bias's, for the forward pass's input `x` and `outputGradient` dy = dL/dy.
  func accumulateGradients(input x: Matrix, outputGradient dy: Matrix) {
    precondition(x.rows == dy.rows && dy.columns == outputs, "dense gradient has the wrong shape")
    let (rows, width) = (dy.rows, outputs)
    guard rows > 0 else { return }
    x.values.withUnsafeBufferPointer { input in
      dy.values.withUnsafeBufferPointer { gradient in
        weight.gradient.values.withUnsafeMutableBufferPointer { weightGradient in
          cblas_sgemm(
            CblasRowMajor, CblasTrans, CblasNoTrans, Int32(inputs), Int32(width), Int32(rows),
            1, input.baseAddress, Int32(inputs), gradient.baseAddress, Int32(width), 1,
            weightGradient.baseAddress, Int32(width))
        }
        bias.gradient.values.withUnsafeMutableBufferPointer { biasGradient in
          let sums = biasGradient.baseAddress!
          for row in 0..<rows {
            let line = gradient.baseAddress! + row * width
            for column in 0..<width { sums[column] += line[column] }
          }
        }
      }
    }
  }

  /// Sets `inputGradient` to dL/dx = dy W for `outputGradient` dy, or with `accumulate`
  /// adds dy W to what it holds (the other branch of a residual connection).
  func inputGradient(
    of dy: Matrix, into inputGradient: inout Matrix, accumulate: Bool = false
  ) {
    precondition(dy.columns == outputs, "dense gradient has the wrong shape")
    let rows = dy.rows
    if accumulate {
      precondition(
        inputGradient.rows == rows && inputGradient.columns == inputs,
        "input gradient has the wrong shape")
    } else {
      inputGradient.reshape(rows: rows, columns: inputs)
    }
    guard rows > 0 else { return }
    dy.values.withUnsafeBufferPointer { gradient in
      weight.value.values.withUnsafeBufferPointer { weight in
        inputGradient.values.withUnsafeMutableBufferPointer { out in
          cblas_sgemm(
            CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(inputs), Int32(outputs),
            1, gradient.baseAddress, Int32(outputs), weight.baseAddress, Int32(outputs),
            accumulate ? 1 : 0, out.baseAddress, Int32(inputs))
        }
      }
    }
  }
}

/// The transpose of a matrix.
func transposed(_ matrix: Matrix) -> Matrix {
  var result = Matrix(rows: matrix.columns, columns: matrix.rows)
  for row in 0..<matrix.rows {
    for column in 0..<matrix.columns {
      result.values[column * matrix.rows + row] = matrix.values[row * matrix.columns + column]
    }
  }
  return result
}
