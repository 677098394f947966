/// Settings of one training run.
///
/// `optimizer` is every group's default; `groups` overrides it per group, keyed by modality
/// name or "fusion" (the fusion weights' group, which exists when they are learned).
public struct TrainingOptions: Equatable, Sendable, Codable {
  public var epochs: Int
  public var batchSize: Int

  /// Fixes the shuffling and the dropout masks (the initial weights come from the model).
  public var seed: UInt64

  public var optimizer: OptimizerSettings
  public var schedule: RateSchedule
  public var groups: [String: GroupOverride]
  public var earlyStopping: EarlyStopping?
  public var classWeights: ClassWeights

  /// The training loss; nil takes the task's standard one (cross-entropy, or the mean
  /// squared error for regression).
  public var loss: LossFunction?

  /// Whether the fusion weights w_m are trained (their own group) or kept as the model has them.
  public var learnFusionWeights: Bool

  public init(
    epochs: Int = 30, batchSize: Int = 64, momentum: Float = 0.9, weightDecay: Float? = nil,
    seed: UInt64 = 0, optimizer: OptimizerKind = .sgd, schedule: RateSchedule = .constant,
    groups: [String: GroupOverride] = [:], earlyStopping: EarlyStopping? = nil,
    classWeights: ClassWeights = .none, learnFusionWeights: Bool = false,
    loss: LossFunction? = nil
  ) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.seed = seed
    self.optimizer = OptimizerSettings(
      kind: optimizer, momentum: momentum, weightDecay: weightDecay)
    self.schedule = schedule
    self.groups = groups
    self.earlyStopping = earlyStopping
    self.classWeights = classWeights
    self.learnFusionWeights = learnFusionWeights
    self.loss = loss
  }

  /// The loss training uses on a task.
  public func lossFunction(for task: LearningTask) -> LossFunction {
    loss ?? LossFunction.standard(for: task)
  }

  /// The settings, schedule and fixed rate (if any) of the group called `name`.
  public func resolved(group name: String) -> (OptimizerSettings, RateSchedule, Float?) {
    guard let override = groups[name] else { return (optimizer, schedule, nil) }
    return (override.applied(to: optimizer), override.schedule ?? schedule, override.learningRate)
  }

  /// Checks the options for a model of `modalities` whose training run has the optimizer
  /// groups `groups` (`FusionModel.groupNames`; by default one per modality and `fusion`).
  func validate(modalities: [String], task: LearningTask, groups: [String]? = nil) throws {
    func bad(_ name: String, _ value: Any, _ reason: String) -> EngineError {
      .invalidOption(name: name, value: optionText(value), reason: reason)
    }
    guard epochs >= 0 else { throw bad("epochs", epochs, "must be 0 or more") }
    if let loss, !LossFunction.choices(for: task).contains(loss) {
      let choices = LossFunction.choices(for: task).map { "\"\($0.rawValue)\"" }
      throw bad(
        "loss", "\"\(loss.rawValue)\"",
        "a \(task.rawValue) model trains on " + choices.joined(separator: " or "))
    }
    if task == .regression, classWeights != .none {
      throw bad(
        "class_weights", classWeights,
        "a regression task has no classes to weigh; leave class_weights out")
    }
    guard batchSize >= 1 else { throw bad("batch", batchSize, "must be at least 1") }
    let names = groups ?? modalities + ["fusion"]
    for key in self.groups.keys.sorted() where !names.contains(key) {
      throw bad(
        "groups", "'\(key)'",
        "there is no such group; the groups are " + names.joined(separator: ", "))
    }
    // The shared settings first, so that a bad one is named as given, not as a group's.
    try optimizer.validate()
    try schedule.validate()
    if let monitor = schedule.plateau?.monitor {
      try monitor.validate(modalities: modalities, task: task, as: "schedule.monitor")
    }
    for name in names where self.groups[name] != nil {
      let (settings, schedule, rate) = resolved(group: name)
      try settings.validate(group: name)
      try schedule.validate(group: name)
      if let monitor = schedule.plateau?.monitor {
        try monitor.validate(
          modalities: modalities, task: task,
          as: GroupOverride.optionName("schedule.monitor", group: name))
      }
      if let rate, !(rate.isFinite && rate > 0) {
        throw bad(
          GroupOverride.optionName("lr", group: name), rate,
          "a learning rate must be positive and finite")
      }
    }
    try earlyStopping?.validate(modalities: modalities, task: task)
  }
}

/// Per-group changes to the default optimizer settings; nil fields inherit the default.
public struct GroupOverride: Equatable, Sendable, Codable {
  public var kind: OptimizerKind?
  /// A fixed starting rate for this group, in place of the strategy's.
  public var learningRate: Float?
  public var momentum: Float?
  public var nesterov: Bool?
  public var weightDecay: Float?
  public var beta1: Float?
  public var beta2: Float?
  public var epsilon: Float?
  public var maxGradientNorm: Float?
  public var frozen: Bool?
  public var schedule: RateSchedule?

  public init(
    kind: OptimizerKind? = nil, learningRate: Float? = nil, momentum: Float? = nil,
    nesterov: Bool? = nil, weightDecay: Float? = nil, beta1: Float? = nil, beta2: Float? = nil,
    epsilon: Float? = nil, maxGradientNorm: Float? = nil, frozen: Bool? = nil,
    schedule: RateSchedule? = nil
  ) {
    self.kind = kind
    self.learningRate = learningRate
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.maxGradientNorm = maxGradientNorm
    self.frozen = frozen
    self.schedule = schedule
  }

  /// How messages name a setting: as given (`momentum`) when it is the shared one, by its
  /// place in `groups` (`groups.audio.momentum`) when it is one group's own.
  static func optionName(_ name: String, group: String?) -> String {
    group.map { "groups.\($0).\(name)" } ?? name
  }

  /// The defaults with this override's fields replacing theirs. A group that changes the
  /// optimizer kind without giving a weight decay gets that optimizer's default decay.
  public func applied(to defaults: OptimizerSettings) -> OptimizerSettings {
    var settings = defaults
    if let kind, kind != defaults.kind {
      settings.kind = kind
      settings.weightDecay = nil
    }
    if let momentum { settings.momentum = momentum }
    if let nesterov { settings.nesterov = nesterov }
    if let weightDecay { settings.weightDecay = weightDecay }
    if let beta1 { settings.beta1 = beta1 }
    if let beta2 { settings.beta2 = beta2 }
    if let epsilon { settings.epsilon = epsilon }
    if let maxGradientNorm { settings.maxGradientNorm = maxGradientNorm }
    if let frozen { settings.frozen = frozen }
    return settings
  }
}

/// Weights of the classes in the training loss (PyTorch's CrossEntropyLoss `weight`).
public enum ClassWeights: Equatable, Sendable, CustomStringConvertible {
  case none
  /// n / (classes * count_c) on the train split, as scikit-learn's "balanced".
  case balanced
  case given([Float])

  public var description: String {
    switch self {
    case .none: return "none"
    case .balanced: return "\"balanced\""
    case .given(let weights): return optionText(weights)
    }
  }

  /// The weight of each class, or nil for unweighted.
  func weights(labels: [Int], classCount: Int) throws -> [Float]? {
    switch self {
    case .none:
      return nil
    case .balanced:
      var counts = Array(repeating: 0, count: classCount)
      for label in labels { counts[label] += 1 }
      return counts.map { count in
        count == 0 ? 0 : Float(Double(labels.count) / Double(classCount * count))
      }
    case .given(let weights):
      guard weights.count == classCount else {
        throw EngineError.invalidOption(
          name: "class_weights", value: optionText(weights),
          reason: "give one weight per class: \(classCount), not \(weights.count)")
      }
      if let bad = weights.first(where: { !($0.isFinite && $0 >= 0) }) {
        throw EngineError.invalidOption(
          name: "class_weights", value: optionText(bad), reason: "weights must be 0 or more")
      }
      guard weights.contains(where: { $0 > 0 }) else {
        throw EngineError.invalidOption(
          name: "class_weights", value: optionText(weights),
          reason: "at least one weight must be above 0")
      }
      return weights
    }
  }
}

/// One modality's branch during one epoch.
public struct BranchEpochStats: Equatable, Sendable, Codable {
  public var modality: String

  /// The rate in force during the epoch: the modality's, which its encoder groups use
  /// unless `groups:` gives them their own.
  public var learningRate: Float

  /// L2 norm of the branch's loss gradient (all its parameters, a fine-tuned encoder's
  /// included), averaged over batches: per batch, sqrt of the sum of its groups' squared
  /// norms.
  public var gradientNorm: Double

  /// ||W after the epoch - W before|| / ||W before||, over all the branch's parameters (a
  /// fine-tuned encoder's included; not a mean of its groups' ratios).
  public var updateRatio: Double

  /// Accuracy of the branch's own logits on the epoch's training batches (with dropout on).
  public var trainAccuracy: Double

  /// Scores of the branch's own logits (argmax of f_m alone) on the dev split.
  public var devAccuracy: Double
  public var devMacroF1: Double
  public var devWeightedF1: Double

  /// For regression, the branch's own output f_m scored on the epoch's training batches
  /// and on the dev split (the classification scores above are then 0).
  public var trainRegression: RegressionMetrics?
  public var devRegression: RegressionMetrics?
}

/// One optimizer group during one epoch: a branch's MLP, an encoder group of a
/// fine-tuning branch (`text.encoder`, `text.layer.0`, ...), or the fusion weights.
public struct GroupEpochStats: Equatable, Sendable, Codable {
  public var name: String

  /// The rate in force during the epoch.
  public var learningRate: Float

  /// L2 norm of the loss gradient over the group's parameters, averaged over batches.
  public var gradientNorm: Double

  /// ||W after the epoch - W before|| / ||W before|| over the group's parameters.
  public var updateRatio: Double
}

/// The statistics of one epoch of training.
public struct EpochStats: Equatable, Sendable, Codable {
  /// 1-based.
  public var epoch: Int

  /// Mean loss over the epoch's batches (weighted by batch size), with dropout on.
  public var trainLoss: Double

  /// Fused scores on the epoch's training batches, as they were predicted during the epoch.
  public var trainAccuracy: Double
  public var trainMacroF1: Double
  public var trainWeightedF1: Double

  /// Fused loss and scores on the dev split after the epoch.
  public var devLoss: Double
  public var devAccuracy: Double
  public var devMacroF1: Double
  public var devWeightedF1: Double

  public var branches: [BranchEpochStats]

  /// For regression, the fused output scored on the epoch's training batches and on the dev
  /// split (the classification scores above are then 0).
  public var trainRegression: RegressionMetrics?
  public var devRegression: RegressionMetrics?

  /// The fusion weights w_m after the epoch.
  public var fusionWeights: [Float] = []

  /// The fusion weights' rate during the epoch, when they are learned.
  public var fusionLearningRate: Float?

  /// Every optimizer group's rate, gradient norm and update ratio, in the optimizer's
  /// order; nil in histories written before groups were recorded.
  public var groups: [GroupEpochStats]?
}

/// How long one epoch took, in seconds of wall time on a monotonic clock.
///
/// Unlike everything else in a history, timings differ from run to run; they are kept
/// apart from `EpochStats`, left out of `History`'s equality and out of its exports.
public struct EpochTiming: Equatable, Sendable, Codable {
  /// The pass over the training batches: gathering, forward, backward, optimizer steps.
  public var trainingSeconds: Double

  /// Scoring the dev split after the pass (forward in evaluation mode, losses, argmax).
  public var devSeconds: Double

  /// The whole epoch: the pass, dev scoring and the epoch's statistics.
  public var totalSeconds: Double

  public init(trainingSeconds: Double, devSeconds: Double, totalSeconds: Double) {
    self.trainingSeconds = trainingSeconds
    self.devSeconds = devSeconds
    self.totalSeconds = totalSeconds
  }
}

/// The record of a training run.
///
/// Two histories are equal when training computed the same thing: `timings` are not
/// compared, so the same seed and thread count give equal histories.
public struct History: Equatable, Sendable, Codable {
  public var modalities: [String]
  public var epochs: [EpochStats]

  /// The model's task, which decides the statistics the epochs hold.
  public var task: LearningTask = .classification

  /// The loss the run trained on.
  public var loss: LossFunction = .crossEntropy

  /// The OpenBLAS threads the matrix products used: the same seed repeats bit for bit only
  /// at the same count.
  public var threadCount = 1

  /// The wall time of each epoch in `epochs`, in the same order.
  public var timings: [EpochTiming] = []

  /// True when the progress callback stopped training; the model keeps the weights it
  /// had reached, and `epochs` holds only the epochs that finished.
  public var stoppedEarly: Bool

  /// The epoch early stopping judged best (its weights are the model's when restored).
  public var bestEpoch: Int?

  /// Why training ended before its last epoch, if it did: early stopping, an interrupt, a
  /// divergence or an error in the rate rule (see `train(_:on:options:rateRule:recordingInto:progress:)`).
  public var stopReason: String?

  /// Whether the model holds the best epoch's weights rather than the last epoch's.
  public var restoredBest = false

  public init(modalities: [String], epochs: [EpochStats] = [], stoppedEarly: Bool = false) {
    self.modalities = modalities
    self.epochs = epochs
    self.stoppedEarly = stoppedEarly
  }

  public static func == (lhs: History, rhs: History) -> Bool {
    lhs.modalities == rhs.modalities && lhs.epochs == rhs.epochs && lhs.task == rhs.task
      && lhs.loss == rhs.loss && lhs.threadCount == rhs.threadCount
      && lhs.stoppedEarly == rhs.stoppedEarly && lhs.bestEpoch == rhs.bestEpoch
      && lhs.stopReason == rhs.stopReason && lhs.restoredBest == rhs.restoredBest
  }
}

/// Progress of long work, reported to a callback that returns false to stop it.
public enum TrainingEvent: Sendable {
  /// Training is about to start with these groups (name, rate in force, settings summary).
  case started(groups: [(name: String, rate: Float, settings: String)])
  case epochStarted(epoch: Int, of: Int)
  case batch(epoch: Int, batch: Int, of: Int, loss: Float)
  case epochFinished(EpochStats)

  /// One (modality, rate) point of a sweep finished, scored by dev accuracy, or for
  /// regression by dev mean absolute error (NaN: diverged).
  case sweepPoint(modality: String, rate: Float, score: Double)
}

/// The result of a unimodal learning-rate sweep.
public struct SweepResult: Equatable, Sendable {
  /// The rates tried, per modality in the model's order: the same grid for every modality
  /// unless the sweep was given one each.
  public var grids: [[Float]]
  public var modalities: [String]

  /// Dev scores of each branch trained alone, indexed [modality][rate of its grid].
  public var devAccuracy: [[Double]]
  public var devMacroF1: [[Double]]
  public var devWeightedF1: [[Double]]

  /// For regression, dev scores of each branch trained alone, indexed [modality][rate]
  /// (empty for classification, whose three lists above are then zeros).
  public var devRegression: [[RegressionMetrics]] = []

  /// Whether that point diverged (its scores are then 0 and it is never chosen).
  public var diverged: [[Bool]]

  /// The chosen rate per modality: best dev accuracy, then macro F1, then the smaller rate;
  /// for regression the lowest dev mean absolute error, then mean squared error, then the
  /// smaller rate.
  public var bestRates: [Float]

  public var task: LearningTask = .classification

  /// Every rate tried: the shared grid in its own order, or, when the modalities had grids
  /// of their own, all their rates ascending.
  public var rates: [Float] {
    guard let first = grids.first else { return [] }
    if grids.allSatisfy({ $0 == first }) { return first }
    return Array(Set(grids.joined())).sorted()
  }

  /// Whether every modality tried the same grid.
  public var sharesGrid: Bool { grids.allSatisfy { $0 == grids.first } }
}

/// Scores of one modality's branch on its own logits.
public struct BranchReport: Equatable, Sendable {
  public var modality: String
  public var loss: Double
  public var metrics: ClassificationMetrics

  /// For regression, the scores of the branch's own output (`metrics` is then empty).
  public var regression: RegressionMetrics?

  public init(
    modality: String, loss: Double, metrics: ClassificationMetrics,
    regression: RegressionMetrics? = nil
  ) {
    self.modality = modality
    self.loss = loss
    self.metrics = metrics
    self.regression = regression
  }
}

/// The fused model's and each branch's scores on one split.
///
/// For regression, `loss` is the mean squared error and `regression` holds the scores
/// (`fused` is then empty, with no classes).
public struct EvaluationReport: Equatable, Sendable {
  public var split: String
  public var classNames: [String]
  public var loss: Double
  public var fused: ClassificationMetrics
  public var branches: [BranchReport]
  public var regression: RegressionMetrics?

  /// The number of samples scored.
  public var sampleCount: Int { regression?.count ?? fused.count }

  /// The OpenBLAS threads the evaluation's products used.
  public var threadCount = 1

  public init(
    split: String, classNames: [String], loss: Double, fused: ClassificationMetrics,
    branches: [BranchReport], regression: RegressionMetrics? = nil, threadCount: Int = 1
  ) {
    self.split = split
    self.classNames = classNames
    self.loss = loss
    self.fused = fused
    self.branches = branches
    self.regression = regression
    self.threadCount = threadCount
  }
}
