/// A trainable array of numbers and the gradient of the loss with respect to it.
///
/// A reference type, so that an optimizer and the layer that owns it see the same storage.
public final class Parameter {
  public var name: String
  public var value: Matrix
  public var gradient: Matrix

  public init(name: String, value: Matrix) {
    self.name = name
    self.value = value
    self.gradient = Matrix(rows: value.rows, columns: value.columns)
  }

  public func copy() -> Parameter {
    let twin = Parameter(name: name, value: value)
    twin.gradient = gradient
    return twin
  }
}

/// One step of a network, with a forward pass and a hand-written backward pass.
///
/// A layer owns its output and input-gradient buffers and reuses them from batch to
/// batch, so the training loop does not allocate once it has seen its largest batch.
/// It does not keep its input: `backward` is handed the same input again.
public protocol Layer: AnyObject {
  /// The result of the last `forward`.
  var output: Matrix { get }

  /// The gradient of the loss with respect to the input of the last `backward`.
  var inputGradient: Matrix { get }

  /// The parameters the optimizer updates (none for activations).
  var parameters: [Parameter] { get }

  func forward(_ input: Matrix, training: Bool, generator: inout SeededGenerator)

  /// Fills the parameter gradients (overwriting them) and, when asked, `inputGradient`.
  func backward(input: Matrix, outputGradient: Matrix, needsInputGradient: Bool)

  func copy() -> Layer
}
