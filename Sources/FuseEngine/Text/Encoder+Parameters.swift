/// The encoder's trainable parameters, how they group into blocks for the optimizer, and
/// how they map onto the tensors of a PyTorch `BertModel` state dict.
///
/// Every parameter is named after the state-dict tensor it holds, with two differences of
/// layout that `stateTensors` undoes: a dense layer keeps W^T (inputs x outputs) where
/// PyTorch keeps W, and each layer's query, key and value layers are one parameter,
/// `encoder.layer.N.attention.self.query_key_value.weight` (width x 3 width: the columns
/// of query.weight^T, then key's, then value's) and `.bias` (query's, key's, value's).
/// Vectors (biases, layer norms) are 1 x width matrices where PyTorch has one dimension.
extension TextEncoder {
  /// The parameters of one block: the embeddings, or one transformer layer.
  public struct ParameterBlock {
    /// `embeddings`, `layer.0`, `layer.1`, ...: the block's place in the state dict.
    public var name: String
    public var parameters: [Parameter]
  }

  /// The blocks from the input upwards, each block's parameters in state-dict order.
  public var blocks: [ParameterBlock] {
    let embeddings = ParameterBlock(
      name: "embeddings",
      parameters: [
        wordEmbeddings, positionEmbeddings, tokenTypeEmbeddings, embeddingNorm.gain,
        embeddingNorm.bias,
      ])
    return [embeddings]
      + layers.enumerated().map { ParameterBlock(name: "layer.\($0)", parameters: $1.parameters) }
  }

  /// Every parameter, block by block.
  public var parameters: [Parameter] { blocks.flatMap(\.parameters) }

  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.values.count } }

  /// Sets every parameter's gradient to zero.
  public func zeroGradients() {
    for parameter in parameters {
      parameter.gradient.values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
  }

  /// Optimizer groups over the encoder: one named `name` holding every parameter, or with
  /// `byBlock`, one per block named `name.embeddings`, `name.layer.0`, ... in that order,
  /// so that lower blocks can be frozen or given their own rate.
  public func parameterGroups(
    name: String, learningRate: Float, settings: OptimizerSettings = OptimizerSettings(),
    byBlock: Bool = false
  ) -> [ParameterGroup] {
    guard byBlock else {
      return [
        ParameterGroup(
          name: name, parameters: parameters, learningRate: learningRate, settings: settings)
      ]
    }
    return blocks.map {
      ParameterGroup(
        name: "\(name).\($0.name)", parameters: $0.parameters, learningRate: learningRate,
        settings: settings)
    }
  }

  /// The encoder as a PyTorch `BertModel` state dict (without the pooler, which sentence
  /// embeddings do not use): each parameter's `tensor` (its value by default; its gradient
  /// or an optimizer moment, each shaped like the parameter) under the state-dict names,
  /// in PyTorch's shapes and layout.
  public func stateTensors(
    of tensor: (Parameter) -> Matrix = { $0.value }
  ) -> [String: SafeTensor] {
    var state: [String: SafeTensor] = [:]
    for (b, block) in blocks.enumerated() {
      state.merge(stateTensors(block: b, values: block.parameters.map(tensor))) { $1 }
    }
    return state
  }
}
