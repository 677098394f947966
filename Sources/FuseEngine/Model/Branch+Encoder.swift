/// How a text modality's branch fine-tunes its pretrained encoder, which decides the
/// encoder's optimizer groups.
public enum EncoderTuning: String, Equatable, Sendable, Codable, CaseIterable {
  /// The whole encoder is one group, `<modality>.encoder`.
  case whole
  /// One group per block: `<modality>.embeddings`, `<modality>.layer.0`, ... so that lower
  /// blocks can be frozen or given their own rate.
  case blocks
}

/// The pretrained encoder behind a text modality's features, which a fine-tuning branch
/// starts from.
public struct PretrainedEncoder {
  /// The weights the modality's features were computed with; the branch trains a copy.
  public var encoder: TextEncoder

  /// Whether the modality's features are scaled to unit length.
  public var normalize: Bool

  public init(encoder: TextEncoder, normalize: Bool) {
    self.encoder = encoder
    self.normalize = normalize
  }
}

/// The buffers of a fine-tuning branch's pass through its encoder, reused between batches.
final class EncoderBuffers {
  let activations = TextEncoder.Activations()
  /// The standardised sentence embeddings the MLP read.
  var input = Matrix(rows: 0, columns: 0)
  /// dL/d(sentence embeddings), from the MLP's input gradient.
  var embeddingGradient = Matrix(rows: 0, columns: 0)
}

extension Branch {
  /// Whether the branch fine-tunes a text encoder.
  public var fineTunes: Bool { textEncoder != nil }

  /// Whether the branch's encoder still holds the pretrained weights, so that the
  /// modality's features (its embeddings, computed once) are what it would compute.
  public var encoderIsPretrained: Bool {
    guard let textEncoder, let pretrainedEncoder else { return false }
    return textEncoder.hasSameWeights(as: pretrainedEncoder)
  }

  /// The optimizer groups of the encoder, named after the modality: `<modality>.encoder`,
  /// or one per block for `EncoderTuning.blocks`; empty for a branch that does not fine-tune.
  public var encoderGroupNames: [String] {
    guard let textEncoder, let tuning = shape.fineTuning else { return [] }
    switch tuning {
    case .whole: return ["\(modality.name).encoder"]
    case .blocks: return textEncoder.blocks.map { "\(modality.name).\($0.name)" }
    }
  }

  /// The parameters of each encoder group, in the order of `encoderGroupNames`.
  var encoderGroupParameters: [[Parameter]] {
    guard let textEncoder, let tuning = shape.fineTuning else { return [] }
    switch tuning {
    case .whole: return [textEncoder.parameters]
    case .blocks: return textEncoder.blocks.map(\.parameters)
    }
  }

  /// The encoder blocks (0 the embeddings, 1 + i layer i) of each encoder group.
  var encoderGroupBlocks: [Range<Int>] {
    guard let textEncoder, let tuning = shape.fineTuning else { return [] }
    let count = textEncoder.blocks.count
    switch tuning {
    case .whole: return [0..<count]
    case .blocks: return (0..<count).map { $0..<$0 + 1 }
    }
  }

  /// Runs the encoder on a batch of token ids (keeping what its backward pass needs), then
  /// the MLP on the standardised sentence embeddings; read the result from `logits`.
  public func forward(tokens: [[Int]], training: Bool, generator: inout SeededGenerator) {
    guard let textEncoder else { preconditionFailure("the branch has no text encoder") }
    let buffers = encoderBuffers
    let embeddings = textEncoder.sentenceEmbeddings(
      tokens, normalize: normalizesEmbeddings, activations: buffers.activations)
    standardize(embeddings, into: &buffers.input)
    forward(buffers.input, training: training, generator: &generator)
  }

  /// Back-propagates the gradient of the logits of the last `forward(tokens:...)` through
  /// the MLP and the encoder, filling the gradients of the MLP and of the encoder blocks
  /// from `lowestBlock` up (0 the embeddings, 1 + i layer i). The pass stops below that
  /// block, whose gradients it leaves as they were: freezing the lower blocks saves their
  /// work.
  public func backward(tokensLogitsGradient logitsGradient: Matrix, lowestBlock: Int = 0) {
    guard let textEncoder else { preconditionFailure("the branch has no text encoder") }
    let buffers = encoderBuffers
    backward(input: buffers.input, logitsGradient: logitsGradient, needsInputGradient: true)
    // x = (e - mean) / scale, so dL/de = dL/dx / scale.
    let inputGradient = layers[0].inputGradient
    let width = modality.dimension
    buffers.embeddingGradient.reshape(rows: inputGradient.rows, columns: width)
    inputGradient.values.withUnsafeBufferPointer { dx in
      buffers.embeddingGradient.values.withUnsafeMutableBufferPointer { de in
        featureScale.withUnsafeBufferPointer { scale in
          guard let dx = dx.baseAddress, let de = de.baseAddress, let scale = scale.baseAddress
          else { return }
          for row in 0..<inputGradient.rows {
            let (from, to) = (dx + row * width, de + row * width)
            for column in 0..<width { to[column] = from[column] / scale[column] }
          }
        }
      }
    }
    textEncoder.backward(
      embeddingGradient: buffers.embeddingGradient, activations: buffers.activations,
      lowestBlock: lowestBlock)
  }

  /// The standardised sentence embeddings of `tokens`, computed by the branch's encoder in
  /// inference mode, in batches that bound the memory.
  ///
  /// - Throws: `EncoderError.badTokens` for ids the encoder cannot read.
  public func encodedFeatures(_ tokens: [[Int]]) throws -> Matrix {
    guard let textEncoder else { preconditionFailure("the branch has no text encoder") }
    var features = Matrix(rows: 0, columns: 0)
    standardize(
      try textEncoder.encode(tokens, normalize: normalizesEmbeddings), into: &features)
    return features
  }

  /// The smallest standard deviation a fine-tuning branch divides by, relative to the root
  /// mean square of its features' deviations.
  static let scaleFloor: Float = 0.1

  /// `scale` with every entry raised to at least `scaleFloor` times the root mean square of
  /// them all. all-MiniLM-L6-v2 has embedding dimensions that are nearly 0 for every text
  /// (a deviation of 1.8e-33 on a few dozen reviews); standardising divides them by that,
  /// which turns rounding noise into features of unit spread, and once the encoder moves
  /// them, into inputs of 1e30 and a loss that diverges. A fine-tuning branch divides them
  /// by the floor instead.
  static func flooredScale(_ scale: [Float]) -> [Float] {
    let meanSquare =
      scale.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(scale.count, 1))
    let floor = Float(meanSquare.squareRoot()) * scaleFloor
    return scale.map { max($0, floor) }
  }

  /// Writes `features` standardised with the train statistics into `result`.
  func standardize(_ features: Matrix, into result: inout Matrix) {
    result.copy(from: features)
    guard shape.standardize else { return }
    let width = features.columns
    result.values.withUnsafeMutableBufferPointer { x in
      featureMean.withUnsafeBufferPointer { mean in
        featureScale.withUnsafeBufferPointer { scale in
          guard let x = x.baseAddress, let mean = mean.baseAddress, let scale = scale.baseAddress
          else { return }
          for row in 0..<features.rows {
            let line = x + row * width
            for column in 0..<width { line[column] = (line[column] - mean[column]) / scale[column] }
          }
        }
      }
    }
  }
}
