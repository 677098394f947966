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
    let prefix = file.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
    let values = try (0...configuration.layerCount).flatMap { b in
      try Self.blockValues(b, configuration: configuration) { name, shape in
        let values = try file.tensor(prefix + name, shape: shape).values
        // A nan or inf weight would make every embedding nan, found only much later.
        if let index = values.firstIndex(where: { !$0.isFinite }) {
          throw EncoderError.nonFiniteWeight(
            path: file.path, tensor: prefix + name, index: index, value: values[index])
        }
        return values
      }
    }
    self.init(configuration: configuration, values: values)
  }
}
