import Foundation

/// How a modality was made from a column of text by a sentence encoder.
public struct TextModalityDescription: Sendable, Equatable {
  /// The column whose texts were encoded.
  public var column: String

  /// The encoder's model folder, as it was given.
  public var encoderFolder: String

  /// Whether the embeddings have unit length.
  public var normalized: Bool

  /// The most tokens a text kept, `[CLS]` and `[SEP]` included.
  public var maximumLength: Int

  /// How many texts, over all splits, were longer and lost their end.
  public var truncated: Int
}

/// One text modality being made: the texts of a column of each split's table, tokenized
/// first (quick, and where bad input is found), then encoded.
struct TextModalityBuilder {
  let name: String
  let column: String
  let options: SentenceEncoderOptions
  let encoder: SentenceEncoder
  let tokenizer: WordPieceTokenizer
  let normalize: Bool
  private(set) var truncated = 0

  /// Checks that every table has the column, in UTF-8, then opens the encoder of `options`
  /// through `embedder`, which reuses a session's; so a wrong column is reported whether or
  /// not the encoder is there.
  ///
  /// - Throws: `DataError.missingColumn` for a table without the column, `.notUTF8` for a
  ///   file that is not UTF-8 (naming the first bad byte's line and column), and the
  ///   errors of `SentenceEncoder(folder:)`.
  init(
    name: String, column: String, options: SentenceEncoderOptions, embedder: TextEmbedder,
    tables: [CSVTable]
  ) throws {
    for table in tables {
      _ = try table.requiredColumn(column)
      if table.encoding != .utf8 { try Self.refuseNonUTF8(table, column: column) }
    }
    self.name = name
    self.column = column
    self.options = options
    encoder = try embedder.sentenceEncoder(folder: options.folder)
    tokenizer = try encoder.tokenizer(maximumLength: options.maximumLength)
    normalize = options.normalize ?? encoder.normalizesByDefault
  }

  /// The token ids of the column's text on every row of `table`.
  ///
  /// - Throws: `DataError.emptyText` for a text without words, naming its line.
  mutating func tokenize(_ table: CSVTable) throws -> [[Int]] {
    let index = try table.requiredColumn(column)
    return try table.rows.indices.map { row in
      let text = table.rows[row][index]
      let tokenized = tokenizer.encode(text)
      guard tokenized.ids.count > 2 else {
        throw DataError.emptyText(
          path: table.path, line: table.lineNumbers[row], column: index + 1,
          columnName: column, text: text)
      }
      if tokenized.wasTruncated { truncated += 1 }
      return tokenized.ids.map(Int.init)
    }
  }

  private static func refuseNonUTF8(_ table: CSVTable, column: String) throws {
    let bytes = (try? Data(contentsOf: URL(fileURLWithPath: table.path))).map { [UInt8]($0) }
    let place = bytes.flatMap(firstInvalidUTF8) ?? (offset: 0, line: 1, column: 1)
    throw DataError.notUTF8(
      path: table.path, line: place.line, column: place.column,
      byte: bytes.map { $0[place.offset] } ?? 0, textColumn: column)
  }

  /// The sentence embeddings of one split's tokens.
  func embed(
    _ tokens: [[Int]], split: String, embedder: TextEmbedder, progress: TextEmbeddingProgress?
  ) throws -> Matrix {
    try embedder.embeddings(
      of: tokens, encoder: encoder, normalize: normalize,
      maximumLength: tokenizer.configuration.maximumLength, cacheFolder: options.cacheFolder,
      modality: name, split: split, progress: progress)
  }

  var width: Int { encoder.configuration.hiddenSize }

  var description: TextModalityDescription {
    TextModalityDescription(
      column: column, encoderFolder: options.folder, normalized: normalize,
      maximumLength: tokenizer.configuration.maximumLength, truncated: truncated)
  }
}
