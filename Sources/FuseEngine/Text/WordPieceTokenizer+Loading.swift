import Foundation

extension WordPieceTokenizer {
  /// Loads the tokenizer of a BERT model folder, such as data/minilm.
  ///
  /// The folder must hold `vocab.txt`. When present, these files set the rest:
  /// - `tokenizer.json`: the normaliser settings, the WordPiece prefix, word limit
  ///   and unknown token, and the special tokens matched in raw text;
  /// - `sentence_bert_config.json`: `max_seq_length`, the maximum length
  ///   (256 for all-MiniLM-L6-v2), else `tokenizer_config.json`'s `model_max_length`,
  ///   else 512;
  /// - `config.json`: `max_position_embeddings`, which caps the maximum length.
  ///
  /// `tokenizer.json`'s own truncation and padding settings are ignored: `encode`
  /// never pads, and truncates to the maximum length above.
  ///
  /// - Throws: `TokenizerError` naming the file at fault.
  public init(folder: String) throws {
    let root = URL(fileURLWithPath: folder)
    func path(_ name: String) -> String { root.appendingPathComponent(name).path }

    var configuration = Configuration()
    var prefix = "##"
    let tokenizerFile = try Self.decodeIfPresent(TokenizerFile.self, path: path("tokenizer.json"))
    let hasTokenizerFile = tokenizerFile != nil
    try tokenizerFile?.apply(to: &configuration, prefix: &prefix, path: path("tokenizer.json"))
    configuration.maximumLength = try Self.maximumLength(
      sentenceConfig: path("sentence_bert_config.json"),
      tokenizerConfig: path("tokenizer_config.json"), modelConfig: path("config.json"))

    let vocabulary = try WordPieceVocabulary.read(
      path: path("vocab.txt"), continuingSubwordPrefix: prefix)
    if !hasTokenizerFile {
      // Without tokenizer.json, the usual BERT special tokens are those the vocabulary has.
      configuration.specialTokens.removeAll { vocabulary.id(of: $0) == nil }
    }
    do {
      try self.init(vocabulary: vocabulary, configuration: configuration)
    } catch TokenizerError.missingToken(let token) {
      throw TokenizerError.malformed(
        path: path("vocab.txt"),
        reason: "the vocabulary has no '\(token)' token, which a BERT tokenizer needs")
    } catch TokenizerError.invalidSetting(let name, let value, let reason)
      where name == "maximumLength"
    {
      throw TokenizerError.malformed(
        path: path("sentence_bert_config.json"),
        reason: "max_seq_length is \(value); a model's maximum length \(reason)")
    }
  }

  private static func maximumLength(
    sentenceConfig: String, tokenizerConfig: String, modelConfig: String
  ) throws -> Int {
    var length = 512
    if let sentence = try decodeIfPresent(SentenceConfig.self, path: sentenceConfig),
      let value = sentence.maxSeqLength
    {
      length = value
    } else if let tokenizer = try decodeIfPresent(TokenizerConfig.self, path: tokenizerConfig),
      let value = tokenizer.modelMaxLength, value < 1_000_000
    {
      // Hugging Face writes a huge number here when the model sets no limit.
      length = Int(value)
    }
    if let model = try decodeIfPresent(ModelConfig.self, path: modelConfig),
      let positions = model.maxPositionEmbeddings
    {
      length = min(length, positions)
    }
    return length
  }

  private static func decodeIfPresent<T: Decodable>(_ type: T.Type, path: String) throws -> T? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw TokenizerError.unreadable(path: path, reason: error.localizedDescription)
    }
    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    do {
      return try decoder.decode(T.self, from: data)
    } catch {
      throw TokenizerError.malformed(path: path, reason: decodingFailureReason(error, in: data))
    }
  }
}

/// The parts of a Hugging Face `tokenizer.json` that a BERT WordPiece tokenizer uses.
private struct TokenizerFile: Decodable {
  struct Normalizer: Decodable {
    var type: String
    var cleanText: Bool?
    var handleChineseChars: Bool?
    var stripAccents: Bool?
    var lowercase: Bool?
  }

  struct PreTokenizer: Decodable {
    var type: String
  }

  struct Model: Decodable {
    var type: String?
    var unkToken: String?
    var continuingSubwordPrefix: String?
    var maxInputCharsPerWord: Int?
  }

  struct AddedToken: Decodable {
    var content: String
    var normalized: Bool?
    var lstrip: Bool?
    var rstrip: Bool?
    var singleWord: Bool?
  }

  var normalizer: Normalizer?
  var preTokenizer: PreTokenizer?
  var model: Model
  var addedTokens: [AddedToken]?

  func apply(
    to configuration: inout WordPieceTokenizer.Configuration, prefix: inout String, path: String
  )
    throws
  {
    guard let normalizer, normalizer.type == "BertNormalizer" else {
      throw TokenizerError.unsupported(
        path: path, component: "the normalizer", found: normalizer?.type ?? "none")
    }
    guard let preTokenizer, preTokenizer.type == "BertPreTokenizer" else {
      throw TokenizerError.unsupported(
        path: path, component: "the pre-tokenizer", found: preTokenizer?.type ?? "none")
    }
    if let type = model.type, type != "WordPiece" {
      throw TokenizerError.unsupported(path: path, component: "the model", found: type)
    }

    let lowercase = normalizer.lowercase ?? true
    configuration.normalizer = BertNormalizer(
      cleanText: normalizer.cleanText ?? true,
      handleChineseCharacters: normalizer.handleChineseChars ?? true,
      stripAccents: normalizer.stripAccents, lowercase: lowercase)
    configuration.unknownToken = model.unkToken ?? configuration.unknownToken
    configuration.maxInputCharactersPerWord =
      model.maxInputCharsPerWord ?? configuration.maxInputCharactersPerWord
    prefix = model.continuingSubwordPrefix ?? prefix

    if let addedTokens {
      // Tokens matched after normalisation or with stripping rules are not reproduced here.
      for token in addedTokens
      where token.normalized == true || token.lstrip == true || token.rstrip == true
        || token.singleWord == true
      {
        throw TokenizerError.unsupported(
          path: path, component: "added token '\(token.content)'",
          found: "normalized, stripped or single-word matching")
      }
      configuration.specialTokens = addedTokens.map(\.content)
    }
  }
}

private struct SentenceConfig: Decodable {
  var maxSeqLength: Int?
}

private struct TokenizerConfig: Decodable {
  var modelMaxLength: Double?
}

private struct ModelConfig: Decodable {
  var maxPositionEmbeddings: Int?
}
