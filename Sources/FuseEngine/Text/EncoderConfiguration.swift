import Foundation

/// The sizes of a BERT encoder, read from a Hugging Face `config.json`.
public struct EncoderConfiguration: Equatable, Sendable, Codable {
  public var vocabularySize: Int
  public var hiddenSize: Int
  public var layerCount: Int
  public var headCount: Int
  public var intermediateSize: Int
  public var maximumPositions: Int
  public var tokenTypeCount: Int
  public var layerNormEpsilon: Float

  /// The width of one attention head.
  public var headSize: Int { hiddenSize / headCount }

  public init(
    vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int,
    intermediateSize: Int, maximumPositions: Int, tokenTypeCount: Int,
    layerNormEpsilon: Float
  ) {
    self.vocabularySize = vocabularySize
    self.hiddenSize = hiddenSize
    self.layerCount = layerCount
    self.headCount = headCount
    self.intermediateSize = intermediateSize
    self.maximumPositions = maximumPositions
    self.tokenTypeCount = tokenTypeCount
    self.layerNormEpsilon = layerNormEpsilon
  }

  /// Reads `config.json`; only BERT with absolute positions and exact GELU is accepted.
  public init(path: String) throws {
    func bad(_ reason: String) -> EncoderError { .badConfiguration(path: path, reason: reason) }

    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw bad("cannot read the file")
    }
    let object: Any
    do {
      object = try JSONSerialization.jsonObject(with: data)
    } catch {
      throw bad("not valid JSON: \(jsonFailureReason(error, in: data))")
    }
    guard let json = object as? [String: Any] else { throw bad("the top level is not an object") }

    func integer(_ key: String) throws -> Int {
      guard let value = json[key] as? NSNumber, let exact = Int(exactly: value.doubleValue),
        exact > 0
      else { throw bad("'\(key)' must be a positive integer") }
      return exact
    }
    if let kind = json["hidden_act"] as? String, kind != "gelu" {
      throw bad("hidden_act '\(kind)' is not supported; only 'gelu' (exact, with erf) is")
    }
    if let kind = json["position_embedding_type"] as? String, kind != "absolute" {
      throw bad("position_embedding_type '\(kind)' is not supported; only 'absolute' is")
    }
    let epsilon = (json["layer_norm_eps"] as? NSNumber)?.floatValue ?? 1e-12

    self.init(
      vocabularySize: try integer("vocab_size"), hiddenSize: try integer("hidden_size"),
      layerCount: try integer("num_hidden_layers"),
      headCount: try integer("num_attention_heads"),
      intermediateSize: try integer("intermediate_size"),
      maximumPositions: try integer("max_position_embeddings"),
      tokenTypeCount: try integer("type_vocab_size"), layerNormEpsilon: epsilon)
    guard hiddenSize % headCount == 0 else {
      throw bad("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(headCount)")
    }
  }
}
