import Foundation

extension TextEncoder {
  /// Loads a BERT encoder from a folder holding `config.json` and `model.safetensors`,
  /// as Hugging Face and sentence-transformers save it (`data/minilm` for MiniLM).
  ///
  /// Weight names are those of `transformers`' `BertModel`, with or without a `bert.`
  /// prefix. Tensors the encoder does not use (the pooler, `position_ids`) are ignored.
  public convenience init(folder: String) throws {
    let configPath = (folder as NSString).appendingPathComponent("config.json")
    let weightsPath = (folder as NSString).appendingPathComponent("model.safetensors")
    for path in [configPath, weightsPath] where !FileManager.default.fileExists(atPath: path) {
      throw EncoderError.missingFile(path: path)
    }
    let configuration = try EncoderConfiguration(path: configPath)
    let file = try SafeTensorsFile(path: weightsPath)
    try self.init(configuration: configuration, weights: file)
  }

  /// Builds the encoder from an opened checkpoint, checking every tensor's shape.
  public convenience init(configuration: EncoderConfiguration, weights file: SafeTensorsFile)
    throws
  {
    let c = configuration
    let prefix = file.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
    // A nan or inf weight would make every embedding nan, found only much later.
    func finite(_ values: [Float], _ name: String) throws -> [Float] {
      if let index = values.firstIndex(where: { !$0.isFinite }) {
        throw EncoderError.nonFiniteWeight(
          path: file.path, tensor: prefix + name, index: index, value: values[index])
      }
      return values
    }
    func matrix(_ name: String, _ rows: Int, _ columns: Int) throws -> Matrix {
      let loaded = try file.matrix(prefix + name, rows: rows, columns: columns)
      _ = try finite(loaded.values, name)
      return loaded
    }
    func vector(_ name: String, _ count: Int) throws -> [Float] {
      try finite(try file.vector(prefix + name, count: count), name)
    }
    func norm(_ name: String) throws -> LayerNorm {
      LayerNorm(
        name: name, gain: try vector(name + ".weight", c.hiddenSize),
        bias: try vector(name + ".bias", c.hiddenSize), epsilon: c.layerNormEpsilon)
    }
    func dense(_ name: String, _ inputs: Int, _ outputs: Int) throws -> EncoderDense {
      EncoderDense(
        name: name, weight: try matrix(name + ".weight", outputs, inputs),
        bias: try vector(name + ".bias", outputs))
    }

    var layers: [EncoderLayer] = []
    for index in 0..<c.layerCount {
      let path = "encoder.layer.\(index)."
      let parts = try ["query", "key", "value"].map {
        try dense(path + "attention.self." + $0, c.hiddenSize, c.hiddenSize)
      }
      layers.append(
        EncoderLayer(
          queryKeyValue: fuseColumns(parts, name: path + "attention.self.query_key_value"),
          attention: SelfAttention(headCount: c.headCount, headSize: c.headSize),
          attentionOutput: try dense(path + "attention.output.dense", c.hiddenSize, c.hiddenSize),
          attentionNorm: try norm(path + "attention.output.LayerNorm"),
          intermediate: try dense(path + "intermediate.dense", c.hiddenSize, c.intermediateSize),
          output: try dense(path + "output.dense", c.intermediateSize, c.hiddenSize),
          outputNorm: try norm(path + "output.LayerNorm")))
    }

    self.init(
      configuration: c,
      wordEmbeddings: try matrix(
        "embeddings.word_embeddings.weight", c.vocabularySize, c.hiddenSize),
      positionEmbeddings: try matrix(
        "embeddings.position_embeddings.weight", c.maximumPositions, c.hiddenSize),
      tokenTypeEmbeddings: try matrix(
        "embeddings.token_type_embeddings.weight", c.tokenTypeCount, c.hiddenSize),
      embeddingNorm: try norm("embeddings.LayerNorm"), layers: layers)
  }
}

/// Dense layers with the same inputs side by side: one product computes all their outputs.
/// The fused layer's `stateNames` are the parts' names, in order.
private func fuseColumns(_ parts: [EncoderDense], name: String) -> EncoderDense {
  let inputs = parts[0].inputs
  let width = parts.reduce(0) { $0 + $1.outputs }
  var fused = Matrix(rows: inputs, columns: width)
  var column = 0
  for part in parts {
    for row in 0..<inputs {
      for offset in 0..<part.outputs {
        fused[row, column + offset] = part.weight.value[row, offset]
      }
    }
    column += part.outputs
  }
  return EncoderDense(
    name: name, weightTransposed: fused, bias: parts.flatMap(\.bias.value.values),
    stateNames: parts.map { String($0.weight.name.dropLast(".weight".count)) })
}
