/// Settings of one training run.
public struct TrainingOptions: Equatable, Sendable {
  public var epochs: Int
  public var batchSize: Int
  public var momentum: Float
  public var weightDecay: Float

  /// Fixes the shuffling and the dropout masks (the initial weights come from the model).
  public var seed: UInt64

  /// Only "sgd" in this version.
  public var optimizer: String

  public init(
    epochs: Int = 30, batchSize: Int = 64, momentum: Float = 0.9, weightDecay: Float = 1e-4,
    seed: UInt64 = 0, optimizer: String = "sgd"
  ) {
    self.epochs = epochs
    self.batchSize = batchSize
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.seed = seed
    self.optimizer = optimizer
  }

  func validate() throws {
    func bad(_ name: String, _ value: Any, _ reason: String) -> EngineError {
      .invalidOption(name: name, value: "\(value)", reason: reason)
    }
    guard epochs >= 0 else { throw bad("epochs", epochs, "must be 0 or more") }
    guard batchSize >= 1 else { throw bad("batch", batchSize, "must be at least 1") }
    guard momentum.isFinite, momentum >= 0, momentum < 1 else {
      throw bad("momentum", momentum, "must be in [0, 1)")
    }
    guard weightDecay.isFinite, weightDecay >= 0 else {
      throw bad("weight decay", weightDecay, "must be 0 or more")
    }
    guard optimizer.lowercased() == "sgd" else {
      throw bad("optimizer", "'\(optimizer)'", "only \"sgd\" is available")
    }
  }
}

/// One modality's branch during one epoch.
public struct BranchEpochStats: Equatable, Sendable {
  public var modality: String

  /// The rate in force during the epoch.
  public var learningRate: Float

  /// L2 norm of the branch's loss gradient (all its parameters), averaged over batches.
  public var gradientNorm: Double

  /// ||W after the epoch - W before|| / ||W before||, over all the branch's parameters.
  public var updateRatio: Double

  /// Accuracy of the branch's own logits on the epoch's training batches (with dropout on).
  public var trainAccuracy: Double

  /// Scores of the branch's own logits (argmax of f_m alone) on the dev split.
  public var devAccuracy: Double
  public var devMacroF1: Double
  public var devWeightedF1: Double
}

/// The statistics of one epoch of training.
public struct EpochStats: Equatable, Sendable {
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
}

/// The record of a training run.
public struct History: Equatable, Sendable {
  public var modalities: [String]
  public var epochs: [EpochStats]

  /// True when the progress callback stopped training; the model keeps the weights it
  /// had reached, and `epochs` holds only the epochs that finished.
  public var stoppedEarly: Bool

  public init(modalities: [String], epochs: [EpochStats] = [], stoppedEarly: Bool = false) {
    self.modalities = modalities
    self.epochs = epochs
    self.stoppedEarly = stoppedEarly
  }
}

/// Progress of long work, reported to a callback that returns false to stop it.
public enum TrainingEvent: Sendable {
  case epochStarted(epoch: Int, of: Int)
  case batch(epoch: Int, batch: Int, of: Int, loss: Float)
  case epochFinished(EpochStats)

  /// One (modality, rate) point of a sweep finished, scored by dev accuracy.
  case sweepPoint(modality: String, rate: Float, score: Double)
}

/// The result of a unimodal learning-rate sweep.
public struct SweepResult: Equatable, Sendable {
  public var rates: [Float]
  public var modalities: [String]

  /// Dev scores of each branch trained alone, indexed [modality][rate].
  public var devAccuracy: [[Double]]
  public var devMacroF1: [[Double]]
  public var devWeightedF1: [[Double]]

  /// Whether that point diverged (its scores are then 0 and it is never chosen).
  public var diverged: [[Bool]]

  /// The chosen rate per modality: best dev accuracy, then macro F1, then the smaller rate.
  public var bestRates: [Float]
}

/// Scores of one modality's branch on its own logits.
public struct BranchReport: Equatable, Sendable {
  public var modality: String
  public var loss: Double
  public var metrics: ClassificationMetrics
}

/// The fused model's and each branch's scores on one split.
public struct EvaluationReport: Equatable, Sendable {
  public var split: String
  public var classNames: [String]
  public var loss: Double
  public var fused: ClassificationMetrics
  public var branches: [BranchReport]
}
