import Foundation

extension TextEncoder {
  /// The mean of each sequence's rows of `hidden` (its real tokens only), one row per
  /// sequence; with `normalize`, each row is scaled to unit Euclidean length.
  public static func meanPool(
    _ hidden: Matrix, sequences: [Range<Int>], normalize: Bool
  ) -> Matrix {
    let width = hidden.columns
    var pooled = Matrix(rows: sequences.count, columns: width)
    hidden.values.withUnsafeBufferPointer { states in
      pooled.values.withUnsafeMutableBufferPointer { out in
        for (index, sequence) in sequences.enumerated() {
          let line = out.baseAddress! + index * width
          for row in sequence {
            let state = states.baseAddress! + row * width
            for column in 0..<width { line[column] += state[column] }
          }
          let scale = 1 / Float(max(sequence.count, 1))
          for column in 0..<width { line[column] *= scale }
          guard normalize else { continue }
          var squares: Float = 0
          for column in 0..<width { squares += line[column] * line[column] }
          // Like sentence-transformers, a zero vector stays zero rather than becoming NaN.
          let inverse = 1 / max(squares.squareRoot(), 1e-12)
          for column in 0..<width { line[column] *= inverse }
        }
      }
    }
    return pooled
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
