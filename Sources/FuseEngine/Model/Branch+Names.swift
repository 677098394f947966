/// The names a branch's tensors carry in a checkpoint, as PyTorch names those of an
/// `nn.Sequential` stored under the modality's name.
extension Branch {
  /// Every parameter with its name: `audio.0.weight`, `audio.0.bias`, `audio.3.weight`, ...
  /// The number is the layer's place in `layers`, activations and dropout included, so a
  /// branch (Linear, ReLU, Dropout, Linear) names its layers 0 and 3, as
  /// `nn.Sequential(Linear, ReLU, Dropout, Linear)` does.
  public var namedParameters: [(name: String, parameter: Parameter)] {
    layers.enumerated().flatMap { index, layer in
      layer.parameters.map { ("\(modality.name).\(index).\($0.name)", $0) }
    }
  }

  /// The names of the standardisation statistics, kept only for a branch that standardises.
  public var meanName: String { "\(modality.name).mean" }
  public var scaleName: String { "\(modality.name).std" }
}
