import FuseFormat

/// An additive late-fusion model: z(x) = sum over m of w_m * f_m(x_m), where f_m ends in
/// class logits (classification) or in one value (regression).
public final class FusionModel {
  public let modalities: [Modality]

  /// The class names; empty for a regression model.
  public let classNames: [String]
  public let task: LearningTask
  public var branches: [Branch]

  /// The weight w_m of each branch's logits in the sum (1 unless set).
  public var fusionWeights: [Float]

  /// The best unimodal rate of each modality found by `sweep` (nil before a sweep).
  public var bestRates: [Float?]

  /// How `train` chooses the per-modality rates.
  public var strategy: RateStrategy

  /// The rates in force: after training, those of its last epoch.
  public var currentRates: [Float]

  /// The seed the branches drew their initial weights from, which `freshCopy` draws them
  /// from again; nil for a model assembled from existing branches.
  public let seed: UInt64?

  /// The latest training run: its settings and history, and what `resume` continues from.
  /// Nil before training; a sweep, which replaces the branches, clears it.
  public internal(set) var trainingState: TrainingState?

  /// A fresh model with one branch of the given shape per modality; standardisation
  /// statistics come from the data set's train split.
  public convenience init(
    dataset: Dataset, shape: BranchShape = BranchShape(), seed: UInt64 = 0
  ) throws {
    try self.init(
      dataset: dataset, shapes: Array(repeating: shape, count: dataset.modalities.count),
      seed: seed)
  }

  /// A fresh model with its own shape for each modality, in the data set's order. The
  /// branches draw their initial weights one after another from one generator seeded
  /// with `seed`.
  ///
  /// A shape that fine-tunes (`BranchShape.fineTuning`) must be a text modality's, whose
  /// token ids every split keeps; its branch trains a copy of `encoders[name]`, or when
  /// that is not given, of the encoder read from the modality's model folder
  /// (`Dataset.textModalities`).
  public init(
    dataset: Dataset, shapes: [BranchShape], seed: UInt64 = 0,
    encoders: [String: PretrainedEncoder] = [:]
  ) throws {
    guard shapes.count == dataset.modalities.count else {
      throw EngineError.dataMismatch(
        "\(counted(shapes.count, "branch shape")) for "
          + counted(dataset.modalities.count, "modality", plural: "modalities"))
    }
    guard dataset.task == .regression || dataset.classNames.count >= 2 else {
      throw EngineError.dataMismatch("a classifier needs at least 2 classes")
    }
    for shape in shapes { try shape.validate() }
    // A width of 0 would give the first layer weights bounded by 1 / sqrt(0).
    if let empty = dataset.modalities.first(where: { $0.dimension < 1 }) {
      throw EngineError.dataMismatch(
        "modality '\(empty.name)' has no features; each branch needs at least one")
    }
    try FusionModel.checkSize(shapes: shapes, dataset: dataset)
    let pretrained = try FusionModel.pretrainedEncoders(
      for: shapes, dataset: dataset, given: encoders)
    // Standardisation needs the train split; a model without it needs only the shapes.
    let needsTrain = shapes.contains { $0.standardize }
    let train = needsTrain ? try requireSplit("train", of: dataset) : nil
    if let train, train.count == 0 { throw EngineError.emptySplit("train") }
    var generator = SeededGenerator(seed: seed)
    branches = zip(dataset.modalities.indices, shapes).map { m, shape in
      Branch(
        modality: dataset.modalities[m], outputCount: dataset.outputCount, shape: shape,
        trainFeatures: train?.features[m], generator: &generator, encoder: pretrained[m])
    }
    modalities = dataset.modalities
    classNames = dataset.classNames
    task = dataset.task
    fusionWeights = Array(repeating: 1, count: dataset.modalities.count)
    bestRates = Array(repeating: nil, count: dataset.modalities.count)
    strategy = .global(0.01)
    currentRates = Array(repeating: 0.01, count: dataset.modalities.count)
    self.seed = seed
  }

  /// A model made of existing branches (copied or not, as the caller chooses). `seed`
  /// is the one those branches were first drawn from, when they were drawn in this order
  /// from one generator, as `init(dataset:shapes:seed:)` draws them.
  public init(
    branches: [Branch], classNames: [String], task: LearningTask = .classification,
    fusionWeights: [Float]? = nil, seed: UInt64? = nil
  ) {
    precondition(!branches.isEmpty, "a fusion model needs at least one branch")
    self.branches = branches
    self.modalities = branches.map { $0.modality }
    self.classNames = classNames
    self.task = task
    self.fusionWeights = fusionWeights ?? Array(repeating: 1, count: branches.count)
    bestRates = Array(repeating: nil, count: branches.count)
    strategy = .global(0.01)
    currentRates = Array(repeating: 0.01, count: branches.count)
    self.seed = seed
  }

  /// A deep copy: weights, standardisation, rates, strategy, seed and training state.
  public func copy() -> FusionModel {
    let twin = FusionModel(
      branches: branches.map { $0.copy() }, classNames: classNames, task: task,
      fusionWeights: fusionWeights, seed: seed)
    twin.carry(settingsOf: self)
    twin.trainingState = trainingState
    return twin
  }

  /// A copy whose branches are as `init(dataset:shapes:seed:)` first built them: the same
  /// seed, shapes and standardisation statistics, so its weights equal, bit for bit, those
  /// of a model built anew from the same data set and seed, whatever sweeps and training
  /// have done to this one since. It keeps the best rates, strategy and rates in force, so
  /// that `keep`, `smooth` and `auto` train it from scratch at the sweep's rates; its fusion
  /// weights are back to 1.
  ///
  /// - Throws: `EngineError.noInitialSeed` for a model assembled from existing branches,
  ///   whose first weights are not known.
  public func freshCopy() throws -> FusionModel {
    guard let seed else { throw EngineError.noInitialSeed }
    if let branch = branches.first(where: { $0.fineTunes && $0.pretrainedEncoder == nil }) {
      throw EngineError.noPretrainedEncoder(modality: branch.modality.name)
    }
    var generator = SeededGenerator(seed: seed)
    let fresh = FusionModel(
      branches: branches.map { $0.reinitialized(generator: &generator) }, classNames: classNames,
      task: task, seed: seed)
    fresh.carry(settingsOf: self)
    return fresh
  }

  private func carry(settingsOf other: FusionModel) {
    bestRates = other.bestRates
    strategy = other.strategy
    currentRates = other.currentRates
  }

  /// The rates a strategy gives at the start of training.
  public func rates(for strategy: RateStrategy) throws -> [Float] {
    try strategy.initialRates(bestRates: bestRates, modalities: modalities.map { $0.name })
  }

  public var parameterCount: Int { branches.reduce(0) { $0 + $1.parameterCount } }

  /// The names of the optimizer groups a training run has, in order: each modality's
  /// branch (for a branch that fine-tunes its encoder, the MLP alone) followed by its
  /// encoder groups, then `fusion`, which exists when the fusion weights are learned.
  public var groupNames: [String] {
    branches.flatMap { [$0.modality.name] + $0.encoderGroupNames } + ["fusion"]
  }

  /// Checks that a data set has this model's task, modalities, widths and classes.
  public func check(_ dataset: Dataset) throws {
    guard dataset.task == task else {
      throw EngineError.dataMismatch(
        "the model is for \(task.rawValue), the data set is a \(dataset.task.rawValue) task")
    }
    guard dataset.modalities.count == modalities.count else {
      throw EngineError.dataMismatch(
        "the model has \(modalities.count) modalities, the data set \(dataset.modalities.count)")
    }
    for (ours, theirs) in zip(modalities, dataset.modalities) where ours != theirs {
      throw EngineError.dataMismatch(
        "modality '\(ours.name)' (\(ours.dimension) features) against "
          + "'\(theirs.name)' (\(theirs.dimension) features)")
    }
    guard dataset.classNames.count == classNames.count else {
      throw EngineError.dataMismatch(
        "the model has \(classNames.count) classes, the data set \(dataset.classNames.count)")
    }
  }
}

extension FusionModel {
  /// The pretrained encoder of each modality whose shape fine-tunes one (nil for the others):
  /// the one given, else the one read from the modality's model folder.
  static func pretrainedEncoders(
    for shapes: [BranchShape], dataset: Dataset, given: [String: PretrainedEncoder]
  ) throws -> [PretrainedEncoder?] {
    let textNames = dataset.modalities.map(\.name).filter { name in
      !dataset.splits.isEmpty && dataset.splits.values.allSatisfy { $0.tokenIDs[name] != nil }
    }
    return try zip(dataset.modalities, shapes).map { modality, shape in
      guard shape.fineTuning != nil else { return nil }
      guard textNames.contains(modality.name) else {
        throw EngineError.notATextModality(modality: modality.name, textModalities: textNames)
      }
      let pretrained: PretrainedEncoder
      if let known = given[modality.name] {
        pretrained = known
      } else if let text = dataset.textModalities[modality.name] {
        pretrained = PretrainedEncoder(
          encoder: try TextEncoder(folder: text.encoderFolder), normalize: text.normalized)
      } else {
        throw EngineError.notATextModality(modality: modality.name, textModalities: [])
      }
      let width = pretrained.encoder.configuration.hiddenSize
      guard width == modality.dimension else {
        throw EngineError.dataMismatch(
          "modality '\(modality.name)' has \(counted(modality.dimension, "feature")), but its "
            + "encoder makes embeddings of \(width)")
      }
      return pretrained
    }
  }
}
