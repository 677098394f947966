import Foundation

/// A pretrained BERT sentence encoder (such as all-MiniLM-L6-v2): embeddings, a stack of
/// transformer layers, and masked mean pooling into one vector per sentence.
///
/// Input is token ids as the WordPiece tokenizer gives them, [CLS] and [SEP] included.
/// Sentences of different lengths are packed one after another without padding; each
/// attends only to its own tokens and the mean is taken over its own tokens only, which
/// equals padding with an attention mask and masked mean pooling.
public final class TextEncoder {
  public let configuration: EncoderConfiguration
  /// One row per token id (vocabulary x width): `embeddings.word_embeddings.weight`.
  public let wordEmbeddings: Parameter
  /// One row per position: `embeddings.position_embeddings.weight`.
  public let positionEmbeddings: Parameter
  /// One row per token type (segment): `embeddings.token_type_embeddings.weight`.
  public let tokenTypeEmbeddings: Parameter
  public let embeddingNorm: LayerNorm
  public let layers: [EncoderLayer]

  /// Buffers of the backward pass, reused from batch to batch.
  var backwardBuffers = BackwardBuffers()

  /// What a forward pass computed, kept for a backward pass when asked for. Its buffers
  /// are reused from batch to batch, so one object can serve a whole training run.
  public final class Activations {
    /// The batch itself.
    public var tokens: [[Int]] = []
    public var tokenTypes: [[Int]]?
    public var sequences: [Range<Int>] = []
    /// The summed embeddings before their layer norm, and its statistics.
    public var embeddingSum = Matrix(rows: 0, columns: 0)
    public var embeddingStatistics = LayerNorm.Statistics()
    public var layers: [EncoderLayer.Activations] = []
    /// The last layer's output (tokens x width), which pooling averages.
    public var hidden = Matrix(rows: 0, columns: 0)
    /// Each sequence's mean of `hidden`, before any normalisation (sequences x width).
    public var pooled = Matrix(rows: 0, columns: 0)
    /// Whether the sentence embeddings were scaled to unit length.
    public var normalized = false
    public init() {}
  }

  public init(
    configuration: EncoderConfiguration, wordEmbeddings: Matrix, positionEmbeddings: Matrix,
    tokenTypeEmbeddings: Matrix, embeddingNorm: LayerNorm, layers: [EncoderLayer]
  ) {
    self.configuration = configuration
    self.wordEmbeddings = Parameter(
      name: "embeddings.word_embeddings.weight", value: wordEmbeddings)
    self.positionEmbeddings = Parameter(
      name: "embeddings.position_embeddings.weight", value: positionEmbeddings)
    self.tokenTypeEmbeddings = Parameter(
      name: "embeddings.token_type_embeddings.weight", value: tokenTypeEmbeddings)
    self.embeddingNorm = embeddingNorm
    self.layers = layers
  }

  /// Checks a batch of token sequences against the vocabulary and the position limit.
  public func validate(_ tokens: [[Int]], tokenTypes: [[Int]]? = nil) throws {
    let vocabulary = configuration.vocabularySize
    for (index, sequence) in tokens.enumerated() {
      if sequence.isEmpty {
        throw EncoderError.badTokens(sequence: index, reason: "it has no tokens")
      }
      if sequence.count > configuration.maximumPositions {
        throw EncoderError.badTokens(
          sequence: index,
          reason: "\(sequence.count) tokens, more than the model's "
            + "\(configuration.maximumPositions) positions; truncate it")
      }
      if let bad = sequence.first(where: { $0 < 0 || $0 >= vocabulary }) {
        throw EncoderError.badTokens(
          sequence: index, reason: "token id \(bad) is outside the vocabulary 0..<\(vocabulary)")
      }
      if let types = tokenTypes?[index] {
        guard types.count == sequence.count,
          types.allSatisfy({ $0 >= 0 && $0 < configuration.tokenTypeCount })
        else {
          throw EncoderError.badTokens(
            sequence: index,
            reason: "token types must match the tokens one for one and lie in "
              + "0..<\(configuration.tokenTypeCount)")
        }
      }
    }
    if let tokenTypes, tokenTypes.count != tokens.count {
      throw EncoderError.badTokens(
        sequence: min(tokens.count, tokenTypes.count),
        reason: "\(tokenTypes.count) token type lists for \(tokens.count) sequences")
    }
  }

  /// The rows of the packed batch that belong to each sequence.
  public static func packedRanges(_ tokens: [[Int]]) -> [Range<Int>] {
    var start = 0
    return tokens.map { sequence in
      defer { start += sequence.count }
      return start..<start + sequence.count
    }
  }

  /// The last hidden states of a batch that `validate` accepted: one row per token, the
  /// sequences packed one after another (see `packedRanges`).
  ///
  /// With `activations`, everything a backward pass needs is kept there.
  public func forward(
    _ tokens: [[Int]], tokenTypes: [[Int]]? = nil, activations: Activations? = nil
  ) -> Matrix {
    let sequences = Self.packedRanges(tokens)
    var x = Matrix(rows: 0, columns: 0)
    embed(tokens, tokenTypes: tokenTypes, into: &x)
    var workspace = EncoderLayer.Workspace()
    guard let record = activations else {
      embeddingNorm.forward(&x, statistics: &workspace.statistics)
      for layer in layers {
        layer.forward(&x, sequences: sequences, workspace: &workspace)
      }
      return x
    }

    record.tokens = tokens
    record.tokenTypes = tokenTypes
    record.sequences = sequences
    record.embeddingSum.copy(from: x)
    embeddingNorm.forward(&x, statistics: &record.embeddingStatistics)
    if record.layers.count != layers.count {
      record.layers = layers.map { _ in EncoderLayer.Activations() }
    }
    for index in layers.indices {
      layers[index].forward(
        &x, sequences: sequences, workspace: &workspace, activations: record.layers[index])
    }
    record.hidden.copy(from: x)
    return x
  }

  /// Word + position + token type embeddings for every token of the packed batch.
  private func embed(_ tokens: [[Int]], tokenTypes: [[Int]]?, into x: inout Matrix) {
    let width = configuration.hiddenSize
    let total = tokens.reduce(0) { $0 + $1.count }
    x.reshape(rows: total, columns: width)
    x.values.withUnsafeMutableBufferPointer { out in
      wordEmbeddings.value.values.withUnsafeBufferPointer { words in
        positionEmbeddings.value.values.withUnsafeBufferPointer { positions in
          tokenTypeEmbeddings.value.values.withUnsafeBufferPointer { types in
            forEachToken(tokens, tokenTypes: tokenTypes) { row, token, position, type in
              let line = out.baseAddress! + row * width
              let word = words.baseAddress! + token * width
              let place = positions.baseAddress! + position * width
              let kind = types.baseAddress! + type * width
              for column in 0..<width {
                line[column] = word[column] + place[column] + kind[column]
              }
            }
          }
        }
      }
    }
  }

  /// Calls `body(row, token, position, type)` for every token of the packed batch, in the
  /// order the batch packs them: the embedding sum and its gradient's scatter walk alike.
  func forEachToken(
    _ tokens: [[Int]], tokenTypes: [[Int]]?, _ body: (Int, Int, Int, Int) -> Void
  ) {
    var row = 0
    for (index, sequence) in tokens.enumerated() {
      for (position, token) in sequence.enumerated() {
        body(row, token, position, tokenTypes?[index][position] ?? 0)
        row += 1
      }
    }
  }
}
