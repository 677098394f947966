import FuseFormat

/// An additive late-fusion classifier: z(x) = sum over m of w_m * f_m(x_m).
public final class FusionModel {
  public let modalities: [Modality]
  public let classNames: [String]
  public var branches: [Branch]

  /// The weight w_m of each branch's logits in the sum (1 unless set).
  public var fusionWeights: [Float]

  /// The best unimodal rate of each modality found by `sweep` (nil before a sweep).
  public var bestRates: [Float?]

  /// How `train` chooses the per-modality rates.
  public var strategy: RateStrategy

  /// The rates in force: after training, those of its last epoch.
  public var currentRates: [Float]

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
  public init(dataset: Dataset, shapes: [BranchShape], seed: UInt64 = 0) throws {
    guard shapes.count == dataset.modalities.count else {
      throw EngineError.dataMismatch(
        "\(counted(shapes.count, "branch shape")) for "
          + counted(dataset.modalities.count, "modality", plural: "modalities"))
    }
    guard dataset.classNames.count >= 2 else {
      throw EngineError.dataMismatch("a classifier needs at least 2 classes")
    }
    for shape in shapes { try shape.validate() }
    // A width of 0 would give the first layer weights bounded by 1 / sqrt(0).
    if let empty = dataset.modalities.first(where: { $0.dimension < 1 }) {
      throw EngineError.dataMismatch(
        "modality '\(empty.name)' has no features; each branch needs at least one")
    }
    try FusionModel.checkSize(shapes: shapes, dataset: dataset)
    // Standardisation needs the train split; a model without it needs only the shapes.
    let needsTrain = shapes.contains { $0.standardize }
    let train = needsTrain ? try requireSplit("train", of: dataset) : nil
    if let train, train.count == 0 { throw EngineError.emptySplit("train") }
    var generator = SeededGenerator(seed: seed)
    branches = zip(dataset.modalities.indices, shapes).map { m, shape in
      Branch(
        modality: dataset.modalities[m], classCount: dataset.classNames.count, shape: shape,
        trainFeatures: train?.features[m], generator: &generator)
    }
    modalities = dataset.modalities
    classNames = dataset.classNames
    fusionWeights = Array(repeating: 1, count: dataset.modalities.count)
    bestRates = Array(repeating: nil, count: dataset.modalities.count)
    strategy = .global(0.01)
    currentRates = Array(repeating: 0.01, count: dataset.modalities.count)
  }

  /// A model made of existing branches (copied or not, as the caller chooses).
  public init(branches: [Branch], classNames: [String], fusionWeights: [Float]? = nil) {
    precondition(!branches.isEmpty, "a fusion model needs at least one branch")
    self.branches = branches
    self.modalities = branches.map { $0.modality }
    self.classNames = classNames
    self.fusionWeights = fusionWeights ?? Array(repeating: 1, count: branches.count)
    bestRates = Array(repeating: nil, count: branches.count)
    strategy = .global(0.01)
    currentRates = Array(repeating: 0.01, count: branches.count)
  }

  /// A deep copy: weights, standardisation, rates and strategy.
  public func copy() -> FusionModel {
    let twin = FusionModel(
      branches: branches.map { $0.copy() }, classNames: classNames, fusionWeights: fusionWeights)
    twin.bestRates = bestRates
    twin.strategy = strategy
    twin.currentRates = currentRates
    return twin
  }

  /// The rates a strategy gives at the start of training.
  public func rates(for strategy: RateStrategy) throws -> [Float] {
    try strategy.initialRates(bestRates: bestRates, modalities: modalities.map { $0.name })
  }

  public var parameterCount: Int { branches.reduce(0) { $0 + $1.parameterCount } }

  /// Checks that a data set has this model's modalities, widths and classes.
  public func check(_ dataset: Dataset) throws {
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
