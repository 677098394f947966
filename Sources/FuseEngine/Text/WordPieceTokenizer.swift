/// The token ids of one text, ready for a BERT encoder: `[CLS]`, the text's
/// pieces, `[SEP]`, never padded.
public struct TokenizedText: Sendable, Equatable {
  /// The token ids, starting with the class token and ending with the separator.
  public var ids: [Int32]

  /// The token strings, when they were asked for.
  public var tokens: [String]?

  /// Whether pieces were dropped from the end to fit the maximum length.
  public var wasTruncated: Bool

  public init(ids: [Int32], tokens: [String]? = nil, wasTruncated: Bool = false) {
    self.ids = ids
    self.tokens = tokens
    self.wasTruncated = wasTruncated
  }
}

/// BERT's uncased WordPiece tokenizer, giving the same ids as the model's own
/// tokenizer (Hugging Face `tokenizers` with `BertNormalizer`, `BertPreTokenizer`
/// and `WordPiece`).
///
/// Encoding runs these steps:
/// 1. special tokens written in the text (such as "[SEP]") are found in the raw
///    text and kept as they are;
/// 2. the text between them is normalised (`BertNormalizer`) and split into
///    words at whitespace and around punctuation;
/// 3. each word is split greedily into the longest pieces in the vocabulary, the
///    pieces after the first carrying the "##" prefix; a word longer than
///    `maxInputCharactersPerWord` scalars, or one with a part no piece matches,
///    becomes the unknown token;
/// 4. the pieces are cut to `maximumLength - 2` and wrapped in the class and
///    separator tokens.
public struct WordPieceTokenizer: Sendable {
  /// Everything about the tokenizer except its vocabulary.
  public struct Configuration: Sendable, Equatable {
    public var normalizer: BertNormalizer
    public var unknownToken: String
    public var classToken: String
    public var separatorToken: String

    /// Tokens recognised in the raw text before normalisation ("[MASK]" stays one token).
    public var specialTokens: [String]

    /// Longer words (counted in Unicode scalars) become the unknown token.
    public var maxInputCharactersPerWord: Int

    /// The most ids `encode` returns, class and separator tokens included.
    public var maximumLength: Int

    /// The settings of all-MiniLM-L6-v2 and other uncased BERT models.
    public init(
      normalizer: BertNormalizer = BertNormalizer(), unknownToken: String = "[UNK]",
      classToken: String = "[CLS]", separatorToken: String = "[SEP]",
      specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
      maxInputCharactersPerWord: Int = 100, maximumLength: Int = 256
    ) {
      self.normalizer = normalizer
      self.unknownToken = unknownToken
      self.classToken = classToken
      self.separatorToken = separatorToken
      self.specialTokens = specialTokens
      self.maxInputCharactersPerWord = maxInputCharactersPerWord
      self.maximumLength = maximumLength
    }
  }

  public let vocabulary: WordPieceVocabulary
  public let configuration: Configuration

  private let unknownID: Int32
  private let classID: Int32
  private let separatorID: Int32
  private let specialTokenMatches: [(scalars: [Unicode.Scalar], id: Int32)]

  /// Checks that the configuration's tokens are in the vocabulary.
  ///
  /// - Throws: `TokenizerError.missingToken` for a token the vocabulary lacks,
  ///   `.invalidSetting` for a maximum length below 2 or a word limit below 1.
  public init(vocabulary: WordPieceVocabulary, configuration: Configuration = Configuration())
    throws
  {
    guard configuration.maximumLength >= 2 else {
      throw TokenizerError.invalidSetting(
        name: "maximumLength", value: String(configuration.maximumLength),
        reason: "needs room for the class and separator tokens (at least 2)")
    }
    guard configuration.maxInputCharactersPerWord >= 1 else {
      throw TokenizerError.invalidSetting(
        name: "maxInputCharactersPerWord", value: String(configuration.maxInputCharactersPerWord),
        reason: "must be at least 1")
    }
    func lookUp(_ token: String) throws -> Int32 {
      guard let id = vocabulary.id(of: token) else { throw TokenizerError.missingToken(token) }
      return id
    }

    self.vocabulary = vocabulary
    self.configuration = configuration
    unknownID = try lookUp(configuration.unknownToken)
    classID = try lookUp(configuration.classToken)
    separatorID = try lookUp(configuration.separatorToken)
    specialTokenMatches = try configuration.specialTokens.filter { !$0.isEmpty }.map {
      (Array($0.unicodeScalars), try lookUp($0))
    }
  }

  /// The same tokenizer with another maximum length.
  ///
  /// - Throws: `TokenizerError.invalidSetting` when `maximumLength` is below 2.
  public func withMaximumLength(_ maximumLength: Int) throws -> WordPieceTokenizer {
    var changed = configuration
    changed.maximumLength = maximumLength
    return try WordPieceTokenizer(vocabulary: vocabulary, configuration: changed)
  }

  /// Tokenizes one text.
  ///
  /// - Parameter includeTokens: also return the token strings (slower; for display).
  public func encode(_ text: String, includeTokens: Bool = false) -> TokenizedText {
    let scalars = Array(text.unicodeScalars)
    var pieces: [Int32] = []
    pieces.reserveCapacity(scalars.count / 3 + 4)
    var normalized: [Unicode.Scalar] = []
    var words: [Range<Int>] = []

    for segment in splitAtSpecialTokens(scalars) {
      if let id = segment.specialID {
        pieces.append(id)
        continue
      }
      configuration.normalizer.normalize(scalars[segment.range], into: &normalized)
      BertNormalizer.splitWords(normalized, into: &words)
      for word in words {
        let fits = word.count <= configuration.maxInputCharactersPerWord
        if !fits || !vocabulary.appendPieces(of: normalized, in: word, to: &pieces) {
          pieces.append(unknownID)
        }
      }
    }

    let room = configuration.maximumLength - 2
    let wasTruncated = pieces.count > room
    var ids: [Int32] = [classID]
    ids.reserveCapacity(min(pieces.count, room) + 2)
    ids.append(contentsOf: pieces.prefix(room))
    ids.append(separatorID)
    let tokens = includeTokens ? ids.map { vocabulary.token(for: $0) ?? "" } : nil
    return TokenizedText(ids: ids, tokens: tokens, wasTruncated: wasTruncated)
  }

  /// Splits raw text at the special tokens written in it, leftmost match first,
  /// the longest token when several start at the same place.
  private func splitAtSpecialTokens(_ scalars: [Unicode.Scalar])
    -> [(range: Range<Int>, specialID: Int32?)]
  {
    var segments: [(range: Range<Int>, specialID: Int32?)] = []
    var segmentStart = 0
    var position = 0
    while position < scalars.count {
      var best: (length: Int, id: Int32)? = nil
      for special in specialTokenMatches where special.scalars.count > (best?.length ?? 0) {
        let end = position + special.scalars.count
        if end <= scalars.count, scalars[position] == special.scalars[0],
          scalars[position..<end].elementsEqual(special.scalars)
        {
          best = (special.scalars.count, special.id)
        }
      }
      guard let match = best else {
        position += 1
        continue
      }
      if segmentStart < position { segments.append((segmentStart..<position, nil)) }
      segments.append((position..<(position + match.length), match.id))
      position += match.length
      segmentStart = position
    }
    if segmentStart < scalars.count { segments.append((segmentStart..<scalars.count, nil)) }
    return segments
  }
}
