/// The encoder's parameters block by block, to and from the tensors of a PyTorch
/// `BertModel` state dict, and copies that share storage until they are trained.
///
/// Block 0 is the embeddings, block 1 + i the transformer layer i, as `blocks` lists them.
/// Within a block the parameters come in the order of `blocks[b].parameters`; a list of
/// values in that order (the weights, their gradients, or an optimizer's moments) maps to
/// the block's state-dict tensors and back, undoing the two differences of layout that
/// `Encoder+Parameters.swift` describes.
extension TextEncoder {
  /// The state-dict tensors of block `b`, from `values`, one per parameter of `blocks[b]`.
  public func stateTensors(block b: Int, values: [Matrix]) -> [String: SafeTensor] {
    precondition(values.count == blocks[b].parameters.count, "one value per block parameter")
    guard b > 0 else {
      var state: [String: SafeTensor] = [:]
      for (index, name) in Self.embeddingNames.enumerated() {
        // The three tables are matrices; the layer norm's gain and bias are vectors.
        let value = values[index]
        state[name] =
          index < 3 ? SafeTensor(value) : SafeTensor(shape: [value.columns], values: value.values)
      }
      return state
    }

    let path = "encoder.layer.\(b - 1)."
    var state: [String: SafeTensor] = [:]
    let width = configuration.hiddenSize
    let (fused, fusedBias) = (values[0], values[1].values)
    for (part, name) in ["query", "key", "value"].enumerated() {
      let columns = part * width..<(part + 1) * width
      var weight = Matrix(rows: width, columns: width)
      for input in 0..<width {
        for (output, column) in columns.enumerated() {
          weight[output, input] = fused[input, column]
        }
      }
      state[path + "attention.self.\(name).weight"] = SafeTensor(weight)
      state[path + "attention.self.\(name).bias"] = SafeTensor(
        shape: [width], values: Array(fusedBias[columns]))
    }
    for (offset, name) in Self.layerNames.enumerated() {
      let value = values[2 + offset]
      if name.hasSuffix("dense.weight") {
        state[path + name] = SafeTensor(transposed(value))
      } else {
        state[path + name] = SafeTensor(shape: [value.values.count], values: value.values)
      }
    }
    return state
  }

  /// The values of block `b`'s parameters, in the order of `blocks[b].parameters`, read
  /// from state-dict tensors: `tensor(name, shape)` returns the tensor `name`, which must
  /// have `shape` (PyTorch's), or throws.
  public static func blockValues(
    _ b: Int, configuration c: EncoderConfiguration,
    tensor: (String, [Int]) throws -> [Float]
  ) throws -> [Matrix] {
    let width = c.hiddenSize
    func row(_ name: String) throws -> Matrix {
      Matrix(rows: 1, columns: width, values: try tensor(name, [width]))
    }
    guard b > 0 else {
      func table(_ name: String, _ rows: Int) throws -> Matrix {
        Matrix(rows: rows, columns: width, values: try tensor(name, [rows, width]))
      }
      return [
        try table(embeddingNames[0], c.vocabularySize),
        try table(embeddingNames[1], c.maximumPositions),
        try table(embeddingNames[2], c.tokenTypeCount),
        try row(embeddingNames[3]), try row(embeddingNames[4]),
      ]
    }

    let path = "encoder.layer.\(b - 1)."
    var fused = Matrix(rows: width, columns: 3 * width)
    var fusedBias: [Float] = []
    for (part, name) in ["query", "key", "value"].enumerated() {
      let weight = try tensor(path + "attention.self.\(name).weight", [width, width])
      for output in 0..<width {
        for input in 0..<width {
          fused[input, part * width + output] = weight[output * width + input]
        }
      }
      fusedBias += try tensor(path + "attention.self.\(name).bias", [width])
    }
    func dense(_ name: String, inputs: Int, outputs: Int) throws -> Matrix {
      let weight = try tensor(path + name, [outputs, inputs])
      return transposed(Matrix(rows: outputs, columns: inputs, values: weight))
    }
    func vector(_ name: String, _ count: Int) throws -> Matrix {
      Matrix(rows: 1, columns: count, values: try tensor(path + name, [count]))
    }
    let (inner, n) = (c.intermediateSize, layerNames)
    return [
      fused, Matrix(rows: 1, columns: 3 * width, values: fusedBias),
      try dense(n[0], inputs: width, outputs: width), try vector(n[1], width),
      try vector(n[2], width), try vector(n[3], width),
      try dense(n[4], inputs: width, outputs: inner), try vector(n[5], inner),
      try dense(n[6], inputs: inner, outputs: width), try vector(n[7], width),
      try vector(n[8], width), try vector(n[9], width),
    ]
  }

  /// An encoder of `configuration` whose parameters hold `values`, block after block in
  /// the order of `parameters`. The matrices are taken as they are, so an encoder made
  /// from another's values shares their storage until one of them writes to it.
  public convenience init(configuration c: EncoderConfiguration, values: [Matrix]) {
    let perLayer = 12
    precondition(values.count == 5 + perLayer * c.layerCount, "one value per parameter")
    func norm(_ name: String, _ gain: Matrix, _ bias: Matrix) -> LayerNorm {
      LayerNorm(name: name, gain: gain.values, bias: bias.values, epsilon: c.layerNormEpsilon)
    }
    let layers = (0..<c.layerCount).map { index -> EncoderLayer in
      let path = "encoder.layer.\(index)."
      let v = Array(values[(5 + perLayer * index)..<(5 + perLayer * (index + 1))])
      func dense(_ name: String, _ weight: Matrix, _ bias: Matrix) -> EncoderDense {
        EncoderDense(name: path + name, weightTransposed: weight, bias: bias.values)
      }
      let attention = path + "attention.self."
      return EncoderLayer(
        queryKeyValue: EncoderDense(
          name: attention + "query_key_value", weightTransposed: v[0], bias: v[1].values,
          stateNames: ["query", "key", "value"].map { attention + $0 }),
        attention: SelfAttention(headCount: c.headCount, headSize: c.headSize),
        attentionOutput: dense("attention.output.dense", v[2], v[3]),
        attentionNorm: norm(path + "attention.output.LayerNorm", v[4], v[5]),
        intermediate: dense("intermediate.dense", v[6], v[7]),
        output: dense("output.dense", v[8], v[9]),
        outputNorm: norm(path + "output.LayerNorm", v[10], v[11]))
    }
    self.init(
      configuration: c, wordEmbeddings: values[0], positionEmbeddings: values[1],
      tokenTypeEmbeddings: values[2],
      embeddingNorm: norm("embeddings.LayerNorm", values[3], values[4]), layers: layers)
  }

  /// A copy with the same weights: until either is trained, both read the same storage,
  /// so a copy costs almost nothing and compares equal at once.
  public func copy() -> TextEncoder {
    TextEncoder(configuration: configuration, values: parameters.map(\.value))
  }

  /// Whether every parameter holds the same numbers as `other`'s.
  public func hasSameWeights(as other: TextEncoder) -> Bool {
    configuration == other.configuration
      && parameters.elementsEqual(other.parameters) { $0.value == $1.value }
  }

  /// The block that a state-dict tensor belongs to (0 the embeddings, 1 + i layer i).
  public static func block(ofStateTensor name: String) -> Int? {
    if name.hasPrefix("embeddings.") { return 0 }
    let parts = name.split(separator: ".")
    guard parts.count > 3, parts[0] == "encoder", parts[1] == "layer", let index = Int(parts[2])
    else { return nil }
    return index + 1
  }

  /// The embeddings block's tensors, in the order of its parameters.
  static let embeddingNames = [
    "embeddings.word_embeddings.weight", "embeddings.position_embeddings.weight",
    "embeddings.token_type_embeddings.weight", "embeddings.LayerNorm.weight",
    "embeddings.LayerNorm.bias",
  ]

  /// A layer's tensors after query, key and value, in the order of its parameters, under
  /// `encoder.layer.N.`.
  static let layerNames = [
    "attention.output.dense.weight", "attention.output.dense.bias",
    "attention.output.LayerNorm.weight", "attention.output.LayerNorm.bias",
    "intermediate.dense.weight", "intermediate.dense.bias", "output.dense.weight",
    "output.dense.bias", "output.LayerNorm.weight", "output.LayerNorm.bias",
  ]
}
