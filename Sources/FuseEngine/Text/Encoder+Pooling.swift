import Foundation

extension TextEncoder {
  /// The mean of each sequence's rows of `hidden` (its real tokens only), one row per
  /// sequence; with `normalize`, each row is scaled to unit Euclidean length.
  public static func meanPool(
    _ hidden: Matrix, sequences: [Range<Int>], normalize: Bool
  ) -> Matrix {
    var pooled = Matrix(rows: 0, columns: 0)
    meanPool(hidden, sequences: sequences, into: &pooled)
    if normalize { normalizeRows(&pooled) }
    return pooled
  }

  /// Writes into `pooled` the mean of each sequence's rows of `hidden`.
  static func meanPool(_ hidden: Matrix, sequences: [Range<Int>], into pooled: inout Matrix) {
    let width = hidden.columns
    pooled.reshape(rows: sequences.count, columns: width)
    hidden.values.withUnsafeBufferPointer { states in
      pooled.values.withUnsafeMutableBufferPointer { out in
        for (index, sequence) in sequences.enumerated() {
          let line = out.baseAddress! + index * width
          line.update(repeating: 0, count: width)
          for row in sequence {
            let state = states.baseAddress! + row * width
            for column in 0..<width { line[column] += state[column] }
          }
          let scale = 1 / Float(max(sequence.count, 1))
          for column in 0..<width { line[column] *= scale }
        }
      }
    }
  }

  /// Scales each row to unit Euclidean length. Like sentence-transformers (PyTorch's
  /// `normalize`), the length is taken as at least 1e-12, so a zero row stays zero.
  static func normalizeRows(_ matrix: inout Matrix) {
    let width = matrix.columns
    matrix.values.withUnsafeMutableBufferPointer { entries in
      for row in 0..<matrix.rows {
        let line = entries.baseAddress! + row * width
        var squares: Float = 0
        for column in 0..<width { squares += line[column] * line[column] }
        let inverse = 1 / max(squares.squareRoot(), 1e-12)
        for column in 0..<width { line[column] *= inverse }
      }
    }
  }

  /// The sentence embeddings of a batch that `validate` accepted, one row per sequence
  /// (mean pooled, with `normalize` scaled to unit length), keeping in `activations`
  /// everything `backward(embeddingGradient:activations:)` needs.
  public func sentenceEmbeddings(
    _ tokens: [[Int]], tokenTypes: [[Int]]? = nil, normalize: Bool, activations: Activations
  ) -> Matrix {
    let hidden = forward(tokens, tokenTypes: tokenTypes, activations: activations)
    Self.meanPool(hidden, sequences: activations.sequences, into: &activations.pooled)
    activations.normalized = normalize
    var embeddings = activations.pooled
    if normalize { Self.normalizeRows(&embeddings) }
    return embeddings
  }

  /// Encodes sentences (token id sequences) into one row each, in the given order.
  ///
  /// Sequences are taken in batches of at most `maximumBatchTokens` tokens (a longer
  /// sequence makes a batch of its own), which bounds the memory to a few buffers of
  /// that many rows. `progress` is called after each batch with the number of sequences
  /// done and may return false to stop, which throws `EngineError.interrupted`.
  public func encode(
    _ tokens: [[Int]], normalize: Bool = true, maximumBatchTokens: Int = 4096,
    progress: ((Int) -> Bool)? = nil
  ) throws -> Matrix {
    try validate(tokens)
    var embeddings = Matrix(rows: tokens.count, columns: configuration.hiddenSize)
    var start = 0
    while start < tokens.count {
      var end = start
      var batchTokens = 0
      while end < tokens.count
        && (end == start || batchTokens + tokens[end].count <= maximumBatchTokens)
      {
        batchTokens += tokens[end].count
        end += 1
      }
      let batch = Array(tokens[start..<end])
      let hidden = forward(batch)
      let pooled = Self.meanPool(hidden, sequences: Self.packedRanges(batch), normalize: normalize)
      embeddings.values.replaceSubrange(
        start * configuration.hiddenSize..<end * configuration.hiddenSize, with: pooled.values)
      start = end
      if let progress, !progress(end), end < tokens.count {
        throw EngineError.interrupted("encoding")
      }
    }
    return embeddings
  }
}
