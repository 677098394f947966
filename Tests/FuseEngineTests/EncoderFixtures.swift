import Foundation

@testable import FuseEngine

/// A tiny BERT with random weights, made as a PyTorch state dict and loaded through the
/// encoder's own safetensors path, and a batch of packed sequences for it.
enum EncoderFixtures {
  static let configuration = EncoderConfiguration(
    vocabularySize: 20, hiddenSize: 8, layerCount: 2, headCount: 2, intermediateSize: 16,
    maximumPositions: 12, tokenTypeCount: 2, layerNormEpsilon: 1e-12)

  /// Three sequences of different lengths; no token id is shared between two of them, so
  /// a word embedding row's gradient comes from one sequence only.
  static let tokens = [
    [1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11, 12], [13, 14, 15, 16, 17, 18, 19, 0, 13],
  ]
  /// Token types, the last sequence a pair (type 1 from its fifth token on).
  static let tokenTypes = [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1, 1]]

  /// Every tensor of the tiny model under its `BertModel` state-dict name and in its
  /// PyTorch shape: tables N(0, 1), dense weights N(0, 1 / inputs), biases and layer-norm
  /// shifts N(0, 0.1^2), layer-norm gains 1 + N(0, 0.2^2), so that no term is trivially
  /// zero or one.
  static func randomState(seed: UInt64) -> [String: SafeTensor] {
    let c = configuration
    var generator = SeededGenerator(seed: seed)
    var state: [String: SafeTensor] = [:]
    func add(_ name: String, _ shape: [Int], mean: Float = 0, scale: Float) {
      let count = shape.reduce(1, *)
      state[name] = SafeTensor(
        shape: shape, values: (0..<count).map { _ in mean + scale * generator.normal() })
    }
    func norm(_ name: String) {
      add(name + ".weight", [c.hiddenSize], mean: 1, scale: 0.2)
      add(name + ".bias", [c.hiddenSize], scale: 0.1)
    }
    func dense(_ name: String, _ inputs: Int, _ outputs: Int) {
      add(name + ".weight", [outputs, inputs], scale: 1 / Float(inputs).squareRoot())
      add(name + ".bias", [outputs], scale: 0.1)
    }

    add("embeddings.word_embeddings.weight", [c.vocabularySize, c.hiddenSize], scale: 1)
    add("embeddings.position_embeddings.weight", [c.maximumPositions, c.hiddenSize], scale: 1)
    add("embeddings.token_type_embeddings.weight", [c.tokenTypeCount, c.hiddenSize], scale: 1)
    norm("embeddings.LayerNorm")
    for layer in 0..<c.layerCount {
      let path = "encoder.layer.\(layer)."
      for part in ["query", "key", "value"] {
        dense(path + "attention.self." + part, c.hiddenSize, c.hiddenSize)
      }
      dense(path + "attention.output.dense", c.hiddenSize, c.hiddenSize)
      norm(path + "attention.output.LayerNorm")
      dense(path + "intermediate.dense", c.hiddenSize, c.intermediateSize)
      dense(path + "output.dense", c.intermediateSize, c.hiddenSize)
      norm(path + "output.LayerNorm")
    }
    return state
  }

  /// The encoder that loading `state` from a safetensors file gives.
  static func encoder(_ state: [String: SafeTensor]) throws -> TextEncoder {
    let bytes = try encodeSafeTensors(state)
    let file = try SafeTensorsFile(data: Data(bytes), path: "tiny-encoder.safetensors")
    return try TextEncoder(configuration: configuration, weights: file)
  }

  /// The state in double precision, for `EncoderReference`.
  static func doubles(_ state: [String: SafeTensor]) -> [String: [Double]] {
    state.mapValues { $0.values.map { Double($0) } }
  }
}
