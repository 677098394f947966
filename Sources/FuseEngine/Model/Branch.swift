/// The shape of one modality's unimodal model: hidden widths, activation, dropout and
/// standardisation.
public struct BranchShape: Equatable, Sendable {
  /// Widths of the hidden layers, each followed by the activation and dropout; empty means
  /// linear (one layer from the features to the logits, with no activation or dropout).
  public var hidden: [Int]

  /// The nonlinearity after each hidden layer.
  public var activation: Activation

  /// The dropout rate after each hidden layer's activation.
  public var dropout: Float

  /// Whether features are z-scored with the train split's mean and standard deviation.
  public var standardize: Bool

  /// For a text modality, whether and how the branch fine-tunes the pretrained encoder that
  /// made its features: nil reads the features (the frozen encoder's embeddings) as any
  /// other modality's.
  public var fineTuning: EncoderTuning?

  public init(
    hidden: [Int] = [128], activation: Activation = .relu, dropout: Float = 0.1,
    standardize: Bool = true, fineTuning: EncoderTuning? = nil
  ) {
    self.hidden = hidden
    self.activation = activation
    self.dropout = dropout
    self.standardize = standardize
    self.fineTuning = fineTuning
  }

  /// True when the branch has no hidden layer: a linear map from features to logits.
  public var isLinear: Bool { hidden.isEmpty }

  /// The weights and biases of a branch of this shape from `inputs` features to `outputs`
  /// logits (or one regression output): inputs x width + width per layer.
  public func parameterCount(inputs: Int, outputs: Int) -> Int {
    var count = 0
    var width = inputs
    for next in hidden + [outputs] {
      count += width * next + next
      width = next
    }
    return count
  }
}

/// One modality's unimodal model: an MLP (or a linear map) over its feature vector, ending
/// in class logits, or in one output for regression. A branch of a text modality may run
/// the modality's pretrained encoder on its token ids first, and fine-tune it
/// (`Branch+Encoder.swift`).
public final class Branch {
  public let modality: Modality
  public let shape: BranchShape

  /// The width of the last layer: one logit per class, or 1 for a regression output.
  public let outputCount: Int

  /// The layers in order: (Linear, activation, Dropout) per hidden width, then Linear to
  /// logits. A dropout of 0 adds no Dropout layer.
  public let layers: [Layer]

  /// Per-feature mean and standard deviation subtracted and divided before the MLP
  /// (0 and 1 when the shape does not standardise).
  public internal(set) var featureMean: [Float]
  public internal(set) var featureScale: [Float]

  /// The text encoder the branch fine-tunes (its own copy), when its shape asks for one.
  public let textEncoder: TextEncoder?

  /// The pretrained weights `textEncoder` started from, shared and never written; nil when
  /// they are not known (a branch read from a checkpoint without them).
  public let pretrainedEncoder: TextEncoder?

  /// Whether the encoder's sentence embeddings are scaled to unit length, as the
  /// modality's features were.
  public let normalizesEmbeddings: Bool

  /// The encoder's recorded forward pass and the buffers around it, reused between batches.
  let encoderBuffers = EncoderBuffers()

  /// Builds a freshly initialised branch; standardisation statistics come from
  /// `trainFeatures` (a feature with zero spread is divided by 1). A shape that fine-tunes
  /// needs `encoder`, the pretrained encoder whose embeddings the modality's features are;
  /// the branch trains a copy of it.
  public convenience init(
    modality: Modality, outputCount: Int, shape: BranchShape, trainFeatures: Matrix?,
    generator: inout SeededGenerator, encoder: PretrainedEncoder? = nil
  ) {
    self.init(
      modality: modality, outputCount: outputCount, shape: shape, trainFeatures: trainFeatures,
      generator: &generator, textEncoder: encoder?.encoder.copy(), pretrained: encoder?.encoder,
      normalize: encoder?.normalize ?? false)
  }

  /// A fresh MLP beside `textEncoder`, which the branch takes as it is (a checkpoint's).
  init(
    modality: Modality, outputCount: Int, shape: BranchShape, trainFeatures: Matrix?,
    generator: inout SeededGenerator, textEncoder: TextEncoder?, pretrained: TextEncoder?,
    normalize: Bool
  ) {
    precondition(
      (shape.fineTuning == nil) == (textEncoder == nil), "a fine-tuning branch needs its encoder")
    self.modality = modality
    self.shape = shape
    self.outputCount = outputCount
    layers = Branch.initialLayers(
      inputs: modality.dimension, outputCount: outputCount, shape: shape, generator: &generator)
    self.textEncoder = textEncoder
    pretrainedEncoder = pretrained
    normalizesEmbeddings = normalize
    parameters = layers.flatMap { $0.parameters } + (textEncoder?.parameters ?? [])

    featureMean = Array(repeating: 0, count: modality.dimension)
    featureScale = Array(repeating: 1, count: modality.dimension)
    if shape.standardize, let features = trainFeatures, features.rows > 0 {
      (featureMean, featureScale) = Branch.statistics(of: features)
      if textEncoder != nil { featureScale = Branch.flooredScale(featureScale) }
    }
  }

  /// The layers of a new branch, drawing every initial weight from `generator` in layer
  /// order, so that the same generator state always gives the same weights.
  private static func initialLayers(
    inputs: Int, outputCount: Int, shape: BranchShape, generator: inout SeededGenerator
  ) -> [Layer] {
    var layers: [Layer] = []
    var width = inputs
    for hiddenWidth in shape.hidden {
      layers.append(Linear(inputs: width, outputs: hiddenWidth, generator: &generator))
      layers.append(ActivationLayer(shape.activation))
      if shape.dropout > 0 { layers.append(Dropout(rate: shape.dropout)) }
      width = hiddenWidth
    }
    layers.append(Linear(inputs: width, outputs: outputCount, generator: &generator))
    return layers
  }

  private init(reinitialising other: Branch, generator: inout SeededGenerator) {
    modality = other.modality
    shape = other.shape
    outputCount = other.outputCount
    layers = Branch.initialLayers(
      inputs: other.modality.dimension, outputCount: other.outputCount, shape: other.shape,
      generator: &generator)
    precondition(
      other.textEncoder == nil || other.pretrainedEncoder != nil,
      "fresh weights of a fine-tuning branch need its pretrained encoder")
    textEncoder = other.textEncoder == nil ? nil : other.pretrainedEncoder?.copy()
    pretrainedEncoder = other.pretrainedEncoder
    normalizesEmbeddings = other.normalizesEmbeddings
    parameters = layers.flatMap { $0.parameters } + (textEncoder?.parameters ?? [])
    featureMean = other.featureMean
    featureScale = other.featureScale
  }

  private init(copying other: Branch) {
    modality = other.modality
    shape = other.shape
    outputCount = other.outputCount
    layers = other.layers.map { $0.copy() }
    textEncoder = other.textEncoder?.copy()
    pretrainedEncoder = other.pretrainedEncoder
    normalizesEmbeddings = other.normalizesEmbeddings
    parameters = layers.flatMap { $0.parameters } + (textEncoder?.parameters ?? [])
    featureMean = other.featureMean
    featureScale = other.featureScale
  }

  public func copy() -> Branch { Branch(copying: self) }

  /// A branch of the same modality, shape and standardisation statistics whose weights are
  /// drawn anew from `generator`, as `init` draws them: whatever this branch has learned is
  /// left behind.
  public func reinitialized(generator: inout SeededGenerator) -> Branch {
    Branch(reinitialising: self, generator: &generator)
  }

  /// Every trainable parameter: layer by layer (weight then bias), then the text encoder's
  /// block by block when the branch fine-tunes one.
  public let parameters: [Parameter]

  /// The MLP's parameters alone, layer by layer.
  public var headParameters: ArraySlice<Parameter> {
    parameters.prefix(parameters.count - (textEncoder?.parameters.count ?? 0))
  }

  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.values.count } }

  /// The logits (or regression outputs, one column) of the last `forward`.
  public var logits: Matrix { layers[layers.count - 1].output }

  /// Applies the standardisation to a whole feature matrix (once per split, not per batch).
  public func standardized(_ features: Matrix) -> Matrix {
    // FIXME: computed in Float, so features near ±3.4e38 overflow here and the model
    // diverges instead of the data set being refused at load.
    guard shape.standardize else { return features }
    var result = features
    let width = features.columns
    result.values.withUnsafeMutableBufferPointer { x in
      for row in 0..<features.rows {
        let start = row * width
        for column in 0..<width {
          x[start + column] = (x[start + column] - featureMean[column]) / featureScale[column]
        }
      }
    }
    return result
  }

  /// Runs the MLP on already standardised features; read the result from `logits`.
  public func forward(_ input: Matrix, training: Bool, generator: inout SeededGenerator) {
    precondition(input.columns == modality.dimension, "branch input has the wrong width")
    layers[0].forward(input, training: training, generator: &generator)
    for index in 1..<layers.count {
      layers[index].forward(layers[index - 1].output, training: training, generator: &generator)
    }
  }

  /// Back-propagates the gradient of the loss with respect to the logits of the last
  /// `forward` (same `input`), filling every parameter's gradient of the MLP; with
  /// `needsInputGradient`, the first layer's `inputGradient` is dL/d(input).
  public func backward(input: Matrix, logitsGradient: Matrix, needsInputGradient: Bool = false) {
    for index in stride(from: layers.count - 1, through: 0, by: -1) {
      let isLast = index == layers.count - 1
      layers[index].backward(
        input: index == 0 ? input : layers[index - 1].output,
        outputGradient: isLast ? logitsGradient : layers[index + 1].inputGradient,
        needsInputGradient: index > 0 || needsInputGradient)
    }
  }

  /// The L2 norm of all parameter gradients together.
  public var gradientNorm: Double {
    parameters.reduce(0.0) { sum, parameter in
      let norm = parameter.gradient.norm
      return sum + norm * norm
    }.squareRoot()
  }

  /// The L2 norm of all parameters together.
  public var weightNorm: Double {
    parameters.reduce(0.0) { sum, parameter in
      let norm = parameter.value.norm
      return sum + norm * norm
    }.squareRoot()
  }

  // Two passes (mean, then squared deviations) in double precision, so that a constant
  // feature gets exactly zero spread. Divides by n, as scikit-learn's StandardScaler does.
  static func statistics(of features: Matrix) -> (mean: [Float], scale: [Float]) {
    let width = features.columns
    let count = Double(features.rows)
    var mean = Array(repeating: 0.0, count: width)
    for row in 0..<features.rows {
      for column in 0..<width { mean[column] += Double(features[row, column]) }
    }
    for column in 0..<width { mean[column] /= count }

    var squares = Array(repeating: 0.0, count: width)
    for row in 0..<features.rows {
      for column in 0..<width {
        let deviation = Double(features[row, column]) - mean[column]
        squares[column] += deviation * deviation
      }
    }
    let scale = squares.map { sum -> Float in
      let deviation = (sum / count).squareRoot()
      return deviation > 0 ? Float(deviation) : 1
    }
    return (mean.map { Float($0) }, scale)
  }
}
