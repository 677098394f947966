extension TextEncoder {
  /// Buffers of the backward pass, reused from batch to batch: one token-gradient matrix
  /// that each layer transforms in place, and one layer workspace for all the layers.
  final class BackwardBuffers {
    /// dL/d(hidden states), tokens x width, from the pooling down to the embeddings.
    var gradient = Matrix(rows: 0, columns: 0)
    var layer = EncoderLayer.BackwardWorkspace()
  }

  /// Back-propagates `embeddingGradient`, dL/d(sentence embeddings) for the batch that
  /// `activations` recorded (`sentenceEmbeddings`; one row per sequence, taken after the
  /// normalisation when there was one), and fills the gradient of every parameter.
  ///
  /// The gradients are overwritten, as `Linear` and `Branch` overwrite theirs, so that a
  /// training step needs no zeroing; with `accumulate` they are added to instead, which
  /// lets a batch too large for memory be taken in parts (start with `zeroGradients()` or
  /// a first call without `accumulate`). The word, position and token type rows that the
  /// batch does not use get no gradient.
  ///
  /// With `lowestBlock` above 0 the pass stops below that block (0 is the embeddings,
  /// 1 + i layer i): the blocks under it, frozen by the caller, get no gradient, and their
  /// gradients are left as they were.
  public func backward(
    embeddingGradient: Matrix, activations: Activations, accumulate: Bool = false,
    lowestBlock: Int = 0
  ) {
    let width = configuration.hiddenSize
    precondition(
      embeddingGradient.rows == activations.sequences.count
        && embeddingGradient.columns == width,
      "embedding gradient is not one row per sequence of the recorded batch")
    precondition(
      activations.layers.count == layers.count && activations.pooled.rows == embeddingGradient.rows,
      "activations not recorded by this encoder's sentenceEmbeddings")
    let blocks = self.blocks
    guard lowestBlock < blocks.count else { return }
    // FIXME: the whole word table's gradient is zeroed at every step (30522 x 384 for
    // MiniLM), where only the rows of the batch's tokens need it.
    if !accumulate {
      for block in blocks[max(lowestBlock, 0)...] {
        for parameter in block.parameters {
          parameter.gradient.values.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
        }
      }
    }
    let buffers = backwardBuffers

    Self.meanPoolBackward(
      embeddingGradient, pooled: activations.pooled, sequences: activations.sequences,
      normalized: activations.normalized, into: &buffers.gradient)
    // The lowest trained layer still computes the gradient of its input, which is not used.
    for index in layers.indices.reversed() where index + 1 >= lowestBlock {
      layers[index].backward(
        &buffers.gradient, sequences: activations.sequences,
        activations: activations.layers[index], workspace: &buffers.layer)
    }
    guard lowestBlock <= 0 else { return }
    embeddingNorm.backward(
      input: activations.embeddingSum, statistics: activations.embeddingStatistics,
      gradient: &buffers.gradient)
    scatterEmbeddingGradient(
      buffers.gradient, tokens: activations.tokens, tokenTypes: activations.tokenTypes)
  }

  /// Writes into `hiddenGradient` (tokens x width) dL/d(last hidden states) from
  /// dL/d(sentence embeddings).
  ///
  /// For e = m / |m| (|m| taken as at least 1e-12, as the forward pass takes it),
  /// dL/dm = (dL/de - e (e . dL/de)) / |m|; below 1e-12 the length is a constant and
  /// dL/dm = dL/de / 1e-12, as PyTorch's clamped norm gives. Each token of a sequence of
  /// T tokens then gets dL/dm / T.
  static func meanPoolBackward(
    _ embeddingGradient: Matrix, pooled: Matrix, sequences: [Range<Int>], normalized: Bool,
    into hiddenGradient: inout Matrix
  ) {
    let width = pooled.columns
    hiddenGradient.reshape(rows: sequences.last?.upperBound ?? 0, columns: width)
    embeddingGradient.values.withUnsafeBufferPointer { gradients in
      pooled.values.withUnsafeBufferPointer { means in
        hiddenGradient.values.withUnsafeMutableBufferPointer { out in
          for (index, sequence) in sequences.enumerated() {
            let gradient = gradients.baseAddress! + index * width
            let mean = means.baseAddress! + index * width
            let first = out.baseAddress! + sequence.lowerBound * width
            // The sequence's first row holds dL/dm until it is copied to the others.
            first.update(from: gradient, count: width)
            if normalized {
              var squares: Float = 0
              var projection: Float = 0
              for column in 0..<width {
                squares += mean[column] * mean[column]
                projection += mean[column] * gradient[column]
              }
              let length = squares.squareRoot()
              if length > 1e-12 {
                // e . dL/de = (m . dL/de) / |m|, and e / |m| = m / |m|^2.
                let along = projection / (length * length)
                for column in 0..<width {
                  first[column] = (gradient[column] - mean[column] * along) / length
                }
              } else {
                for column in 0..<width { first[column] = gradient[column] / 1e-12 }
              }
            }
            let share = 1 / Float(max(sequence.count, 1))
            for column in 0..<width { first[column] *= share }
            for row in sequence.dropFirst() {
              (out.baseAddress! + row * width).update(from: first, count: width)
            }
          }
        }
      }
    }
  }

  /// Adds each token's row of `gradient` (dL/d(summed embeddings)) to the rows of the word,
  /// position and token type tables that made it.
  private func scatterEmbeddingGradient(
    _ gradient: Matrix, tokens: [[Int]], tokenTypes: [[Int]]?
  ) {
    let width = configuration.hiddenSize
    gradient.values.withUnsafeBufferPointer { gradients in
      wordEmbeddings.gradient.values.withUnsafeMutableBufferPointer { words in
        positionEmbeddings.gradient.values.withUnsafeMutableBufferPointer { positions in
          tokenTypeEmbeddings.gradient.values.withUnsafeMutableBufferPointer { types in
            forEachToken(tokens, tokenTypes: tokenTypes) { row, token, position, type in
              let line = gradients.baseAddress! + row * width
              let word = words.baseAddress! + token * width
              let place = positions.baseAddress! + position * width
              let kind = types.baseAddress! + type * width
              for column in 0..<width {
                let value = line[column]
                word[column] += value
                place[column] += value
                kind[column] += value
              }
            }
          }
        }
      }
    }
  }
}
