/// A fully connected layer, `y = x W^T + b`, with `W` stored as outputs x inputs like PyTorch.
public final class Linear: Layer {
  public let weight: Parameter
  public let bias: Parameter
  public private(set) var output = Matrix(rows: 0, columns: 0)
  public private(set) var inputGradient = Matrix(rows: 0, columns: 0)

  public var inputCount: Int { weight.value.columns }
  public var outputCount: Int { weight.value.rows }
  public var parameters: [Parameter] { [weight, bias] }

  /// A layer initialised like PyTorch's default: weight and bias uniform in
  /// (-1/sqrt(inputs), 1/sqrt(inputs)).
  public init(inputs: Int, outputs: Int, generator: inout SeededGenerator) {
    let bound = 1 / Float(inputs).squareRoot()
    func draw(_ count: Int) -> [Float] {
      (0..<count).map { _ in (2 * generator.uniform() - 1) * bound }
    }
    weight = Parameter(
      name: "weight", value: Matrix(rows: outputs, columns: inputs, values: draw(outputs * inputs)))
    bias = Parameter(name: "bias", value: Matrix(rows: 1, columns: outputs, values: draw(outputs)))
  }

  public init(weight: Matrix, bias: Matrix) {
    precondition(bias.rows == 1 && bias.columns == weight.rows, "bias must be 1 x outputs")
    self.weight = Parameter(name: "weight", value: weight)
    self.bias = Parameter(name: "bias", value: bias)
  }

  public func forward(_ input: Matrix, training: Bool, generator: inout SeededGenerator) {
    precondition(input.columns == inputCount, "Linear: input has \(input.columns) columns")
    // FIXME: with the weight stored outputs x inputs this is x * W^T, which Debian's OpenBLAS
    // 0.3.21 runs 2 to 10% slower than x * W with W stored inputs x outputs (about 2% of the
    // benchmark's epoch); changing the layout would change checkpoints and every caller.
    gemm(input, weight.value, into: &output, transposeB: true)
    let width = outputCount
    bias.value.values.withUnsafeBufferPointer { b in
      output.values.withUnsafeMutableBufferPointer { y in
        guard let b = b.baseAddress, let first = y.baseAddress else { return }
        // A pointer per row: indices computed as row * width + column carry overflow
        // checks that keep the inner loop from vectorising.
        for row in 0..<input.rows {
          let y = first + row * width
          for column in 0..<width { y[column] += b[column] }
        }
      }
    }
  }

  public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) {
    gemm(outputGradient, input, into: &weight.gradient, transposeA: true)

    let width = outputCount
    bias.gradient.reshape(rows: 1, columns: width)
    outputGradient.values.withUnsafeBufferPointer { dy in
      bias.gradient.values.withUnsafeMutableBufferPointer { db in
        guard let db = db.baseAddress, let first = dy.baseAddress else { return }
        for column in 0..<width { db[column] = 0 }
        for row in 0..<outputGradient.rows {
          let dy = first + row * width
          for column in 0..<width { db[column] += dy[column] }
        }
      }
    }

    if needsInputGradient {
      gemm(outputGradient, weight.value, into: &inputGradient)
    }
  }

  public func copy() -> Layer {
    Linear(weight: weight.value, bias: bias.value)
  }
}
