/// An activation as a step of a branch: `activation` applied to every entry, with no
/// parameters.
public final class ActivationLayer: Layer {
  public let activation: Activation
  public private(set) var output = Matrix(rows: 0, columns: 0)
  public private(set) var inputGradient = Matrix(rows: 0, columns: 0)
  public var parameters: [Parameter] { [] }

  public init(_ activation: Activation) {
    self.activation = activation
  }

  public func forward(_ input: Matrix, training: Bool, generator: inout SeededGenerator) {
    output.reshape(rows: input.rows, columns: input.columns)
    input.values.withUnsafeBufferPointer { x in
      output.values.withUnsafeMutableBufferPointer { y in
        activation.forward(x, into: y)
      }
    }
  }

  public func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool) {
    guard needsInputGradient else { return }
    inputGradient.reshape(rows: outputGradient.rows, columns: outputGradient.columns)
    input.values.withUnsafeBufferPointer { x in
      output.values.withUnsafeBufferPointer { y in
        outputGradient.values.withUnsafeBufferPointer { dy in
          inputGradient.values.withUnsafeMutableBufferPointer { dx in
            activation.backward(input: x, output: y, outputGradient: dy, into: dx)
          }
        }
      }
    }
  }

  public func copy() -> Layer { ActivationLayer(activation) }
}
