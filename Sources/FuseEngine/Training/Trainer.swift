import Foundation

/// Trains the fused model jointly: one optimizer parameter group per modality (and one for
/// the fusion weights when they are learned), rates from the model's strategy times each
/// group's schedule, the loss on the weighted sum of the branches' logits.
///
/// Each epoch shuffles the train split with a generator seeded by `options.seed`, runs
/// the mini-batches, then scores the dev split. The test split is never read. `progress`
/// sees every batch; returning false stops between batches and keeps the weights reached
/// so far. With early stopping, the model ends with the best epoch's weights unless asked
/// not to restore them.
///
/// - Parameters:
///   - rateRule: a user rule called after each epoch (after the strategy's own update)
///     with that epoch's statistics; it returns the base rates for the next epochs, one per
///     modality, or nil to keep them. Whatever it throws stops training and is rethrown.
/// - Throws: `EngineError` for a data set that does not fit the model, a missing split,
///   a bad option, a strategy without best rates, a rule returning unusable rates, or a
///   non-finite loss (the weights are then those at the start of the failing epoch).
public func train(
  _ model: FusionModel, on data: Dataset, options: TrainingOptions,
  rateRule: ((EpochStats) throws -> [Float]?)? = nil,
  progress: (TrainingEvent) -> Bool = { _ in true }
) throws -> History {
  var history = History(modalities: model.modalities.map(\.name))
  try train(
    model, on: data, options: options, rateRule: rateRule, recordingInto: &history,
    progress: progress)
  return history
}

/// `train`, keeping the history in `history` as epochs finish, so that a caller still has
/// it when training stops with an error.
///
/// Whatever stops a run that has begun, Ctrl-C (`progress` returning false), a divergence
/// or an error from the rate rule, leaves the model and `history` alike: the model keeps
/// the weights of the last completed step or epoch (a divergence puts back those the
/// failing epoch started from; a failing rule comes after its epoch completed), early
/// stopping's best epoch is restored as at a normal end, `history.epochs` holds the epochs
/// that completed, and `history.stopReason` says what stopped it. Errors found before the
/// first step (options, data, strategy) leave `history` empty and the model untouched.
public func train(
  _ model: FusionModel, on data: Dataset, options: TrainingOptions,
  rateRule: ((EpochStats) throws -> [Float]?)? = nil, recordingInto history: inout History,
  progress: (TrainingEvent) -> Bool = { _ in true }
) throws {
  history = History(modalities: model.modalities.map(\.name))
  history.task = model.task
  history.loss = options.lossFunction(for: model.task)
  history.threadCount = matrixThreadCount
  try options.validate(
    modalities: model.modalities.map(\.name), task: model.task, groups: model.groupNames)
  try model.check(data)
  let run = try TrainingRun(model: model, data: data, options: options)
  run.rateRule = rateRule
  try run.run(into: &history, progress: progress)
}

/// The state of one call to `train`: features, buffers, optimizer and rate schedule.
final class TrainingRun {
  let model: FusionModel
  let options: TrainingOptions
  let loss: LossFunction
  let trainFeatures: [Matrix]
  let trainLabels: [Int]
  let devFeatures: [Matrix]
  let devLabels: [Int]

  /// The optimizer's groups, in order, and what each holds; per modality, how many groups
  /// it has and the one whose rate stands for the modality's (`primaryGroup(of:)`).
  let plans: [GroupPlan]
  let groupCounts: [Int]
  let primaryGroups: [Int]

  /// Per branch: whether it runs its text encoder in this run (its features are then
  /// empty and its token ids are read instead), and the lowest encoder block it trains.
  let runsEncoder: [Bool]
  let lowestBlocks: [Int]
  let trainTokens: [[[Int]]?]
  let devTokens: [[[Int]]?]

  /// The target values of a regression model's splits (empty for classification, as the
  /// labels are for regression).
  let trainTargets: [Float]
  let devTargets: [Float]
  let classWeights: [Float]?
  let optimizer: Optimizer
  var generator: SeededGenerator
  var autoSchedule: AutoRateSchedule?
  var rateRule: ((EpochStats) throws -> [Float]?)?

  /// The epochs this call runs, and the length schedules such as `cosine()` are laid out
  /// over: the call's own epochs, or for a resumed run those of the call that started it.
  var firstEpoch = 1
  var span: Int
  let startStrategy: RateStrategy
  let trainFingerprint: String

  /// The run's state after its last completed epoch, and why it cannot go on, if it cannot.
  var resumePoint: ResumePoint?
  var notResumable: String?

  /// Rates before the schedule: from the strategy, a group's fixed rate, `auto` or the rule.
  /// One per group, in the order of `plans`.
  var baseRates: [Float]
  var schedules: [RateSchedule]
  var plateaus: [PlateauTracker?]

  /// The fusion weights as a parameter, when they are learned.
  let fusionParameter: Parameter?
  var stopping: StoppingState?

  // Buffers reused by every batch.
  var batchInputs: [Matrix]
  var batchText: [TextBatch?]
  var modalityGradientSquares: [Double]
  var groupGradientNorms: [Double]
  var batchLabels: [Int] = []
  var batchTargets: [Float] = []
  var buffers = FusionBuffers()
  var order: [Int]
  var epochLabels: [Int]
  var epochPredictions: [Int]
  var branchPredictions: [[Int]]

  // For regression: the targets and the outputs of the epoch's batches, in training order.
  var epochTargets: [Float]
  var epochValues: [Float]
  var branchValues: [[Float]]

  init(model: FusionModel, data: Dataset, options: TrainingOptions) throws {
    let train = try requireSplit("train", of: data)
    let dev = try requireSplit("dev", of: data)
    guard train.count > 0 else { throw EngineError.emptySplit("train") }
    guard dev.count > 0 else { throw EngineError.emptySplit("dev") }
    try model.checkActivations(
      batchRows: min(options.batchSize, train.count), batchSize: options.batchSize)

    let names = model.modalities.map(\.name)
    let plans = model.groupPlans(options: options)
    var rates = try model.rates(for: model.strategy)
    for (m, name) in names.enumerated() where !model.branches[m].fineTunes {
      if let fixed = options.resolved(group: name).2 { rates[m] = fixed }
    }
    if case .auto(let window, let every, let cap) = model.strategy {
      autoSchedule = AutoRateSchedule(initialRates: rates, window: window, every: every, cap: cap)
    }
    self.model = model
    self.options = options
    self.plans = plans
    groupCounts = names.indices.map { m in plans.filter { $0.modality == m }.count }
    primaryGroups = names.indices.map { m in
      plans.firstIndex { $0.modality == m && $0.followsModality }
        ?? plans.firstIndex { $0.modality == m }!
    }
    loss = options.lossFunction(for: model.task)
    classWeights = try options.classWeights.weights(
      labels: train.labels, classCount: model.classNames.count)

    let runsEncoder = model.branches.indices.map {
      Self.runsEncoder($0, plans: plans, options: options)
    }
    let lowestBlocks = model.branches.indices.map {
      Self.lowestTrainedBlock($0, plans: plans, options: options)
    }
    self.runsEncoder = runsEncoder
    self.lowestBlocks = lowestBlocks
    trainTokens = try encoderTokens(of: train, name: "train", for: model, running: runsEncoder)
    devTokens = try encoderTokens(of: dev, name: "dev", for: model, running: runsEncoder)
    trainFeatures = try branchFeatures(of: train, name: "train", for: model, running: runsEncoder)
    trainLabels = train.labels
    trainTargets = train.targets
    devFeatures = try branchFeatures(of: dev, name: "dev", for: model, running: runsEncoder)
    devLabels = dev.labels
    devTargets = dev.targets

    var groups: [ParameterGroup] = []
    var baseRates: [Float] = []
    var fusionParameter: Parameter?
    for plan in plans {
      let (settings, _, fixed) = options.resolved(group: plan.name)
      if let m = plan.modality {
        let rate = plan.followsModality ? rates[m] : fixed!
        // Encoder blocks the backward pass never reaches have no gradient to measure or
        // apply: the optimizer does not read their 22 million zeros at every step.
        let reached = plan.encoderBlocks.map { runsEncoder[m] && $0.upperBound > lowestBlocks[m] }
        groups.append(
          ParameterGroup(
            name: plan.name,
            parameters: reached == false
              ? [] : Array(model.branches[m].parameters[plan.parameterRange]),
            learningRate: rate, settings: settings))
        baseRates.append(rate)
      } else {
        let parameter = Parameter(
          name: "fusion",
          value: Matrix(rows: 1, columns: names.count, values: model.fusionWeights))
        let rate = fixed ?? rates.min() ?? 0.01
        groups.append(
          ParameterGroup(
            name: "fusion", parameters: [parameter], learningRate: rate, settings: settings))
        baseRates.append(rate)
        fusionParameter = parameter
      }
    }
    self.fusionParameter = fusionParameter
    optimizer = Optimizer(groups: groups)
    self.baseRates = baseRates
    schedules = plans.map { options.resolved(group: $0.name).1 }
    plateaus = schedules.map { PlateauTracker($0) }
    if let rule = options.earlyStopping { stopping = StoppingState(rule: rule) }

    generator = SeededGenerator(seed: options.seed)
    batchInputs = Array(repeating: Matrix(rows: 0, columns: 0), count: model.branches.count)
    batchText = runsEncoder.map { $0 ? TextBatch() : nil }
    modalityGradientSquares = Array(repeating: 0, count: model.branches.count)
    groupGradientNorms = Array(repeating: 0, count: plans.count)
    order = Array(0..<train.count)
    let classified = model.task == .classification ? train.count : 0
    let regressed = train.count - classified
    epochLabels = Array(repeating: 0, count: classified)
    epochPredictions = Array(repeating: 0, count: classified)
    branchPredictions = Array(
      repeating: Array(repeating: 0, count: classified), count: model.branches.count)
    epochTargets = Array(repeating: 0, count: regressed)
    epochValues = Array(repeating: 0, count: regressed)
    branchValues = Array(
      repeating: Array(repeating: 0, count: regressed), count: model.branches.count)
    model.currentRates = rates
    span = options.epochs
    startStrategy = model.strategy
    trainFingerprint = train.fingerprint
    // Blocks below the lowest trained one get no gradient; none is left from an earlier run.
    for (m, branch) in model.branches.enumerated() where runsEncoder[m] {
      branch.textEncoder?.zeroGradients()
    }
  }

  /// One pass over the shuffled train split, then dev scoring; nil when the callback
  /// stopped it.
  func runEpoch(
    _ epoch: Int, progress: (TrainingEvent) -> Bool
  ) throws -> (EpochStats, EpochTiming)? {
    let clock = ContinuousClock()
    let epochStart = clock.now
    let branches = model.branches
    let start = branches.map { $0.parameters.map { $0.value } }
    let startFusion = model.fusionWeights
    let startNorms = branches.map { $0.weightNorm }
    var gradientNorms = Array(repeating: 0.0, count: branches.count)
    for g in groupGradientNorms.indices { groupGradientNorms[g] = 0 }
    var lossSum = 0.0
    let count = order.count
    // A batch larger than the split is the whole split; clamped, the sums below cannot
    // overflow whatever size the caller gives.
    let batchSize = min(options.batchSize, count)
    let batchCount = (count + batchSize - 1) / batchSize

    generator.shuffle(&order)
    for batch in 0..<batchCount {
      let first = batch * batchSize
      let positions = first..<min(first + batchSize, count)
      gatherBatch(positions)
      let batchLoss = model.lossAndGradients(
        inputs: batchInputs, labels: batchLabels, targets: batchTargets, loss: loss,
        training: true, generator: &generator, buffers: &buffers, classWeights: classWeights,
        text: batchText)
      guard batchLoss.isFinite else {
        throw diverged(
          epoch: epoch, batch: batch + 1, loss: batchLoss, restoring: start, fusion: startFusion)
      }
      lossSum += Double(batchLoss) * Double(positions.count)
      recordPredictions(at: first)
      if let fusionParameter {
        for m in branches.indices {
          fusionParameter.gradient.values[m] = buffers.fusionWeightGradient[m]
        }
      }
      optimizer.step()
      addGradientNorms(into: &gradientNorms)
      if let fusionParameter {
        for m in branches.indices { model.fusionWeights[m] = fusionParameter.value.values[m] }
      }

      guard progress(.batch(epoch: epoch, batch: batch + 1, of: batchCount, loss: batchLoss))
      else {
        return nil
      }
    }
    let devStart = clock.now
    let dev = try predict(
      model, features: devFeatures, tokens: devTokens, labels: devLabels, targets: devTargets,
      loss: loss, classWeights: classWeights)
    let devEnd = clock.now

    let stats = epochStats(
      epoch, trainLoss: lossSum / Double(count), dev: dev, start: start, startNorms: startNorms,
      gradientNorms: gradientNorms.map { $0 / Double(batchCount) }, startFusion: startFusion,
      batches: batchCount)
    // The last step can break the weights with every train loss finite; the dev pass shows it.
    guard stats.devLoss.isFinite else {
      throw diverged(
        epoch: epoch, batch: batchCount, loss: Float(stats.devLoss), restoring: start,
        fusion: startFusion)
    }
    let timing = EpochTiming(
      trainingSeconds: epochStart.duration(to: devStart).inSeconds,
      devSeconds: devStart.duration(to: devEnd).inSeconds,
      totalSeconds: epochStart.duration(to: clock.now).inSeconds)
    return (stats, timing)
  }

  /// Keeps the batch's answers and what the fused model and each branch predicted for it,
  /// for the epoch's train scores: classes by argmax, or the regression outputs.
  private func recordPredictions(at first: Int) {
    let branches = model.branches
    if loss == .crossEntropy {
      argmaxRows(buffers.fusedLogits, into: &epochPredictions, offset: first)
      for index in 0..<batchLabels.count { epochLabels[first + index] = batchLabels[index] }
      for m in branches.indices {
        argmaxRows(branches[m].logits, into: &branchPredictions[m], offset: first)
      }
      return
    }
    let rows = first..<(first + batchTargets.count)
    epochTargets.replaceSubrange(rows, with: batchTargets)
    epochValues.replaceSubrange(rows, with: buffers.fusedLogits.values)
    for m in branches.indices {
      branchValues[m].replaceSubrange(rows, with: branches[m].logits.values)
    }
  }
}

extension Duration {
  /// The duration as a number of seconds.
  var inSeconds: Double {
    let (whole, fraction) = components
    return Double(whole) + Double(fraction) * 1e-18
  }
}
