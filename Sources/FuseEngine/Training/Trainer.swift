/// Trains the fused model jointly: one SGD parameter group per modality, rates from the
/// model's strategy, the loss on the weighted sum of the branches' logits.
///
/// Each epoch shuffles the train split with a generator seeded by `options.seed`, runs
/// the mini-batches, then scores the dev split. `progress` sees every batch; returning
/// false stops between batches and keeps the weights reached so far.
///
/// - Parameters:
///   - rateRule: a user rule called after each epoch (after the strategy's own update)
///     with that epoch's statistics; it returns the rates for the next epochs, one per
///     modality, or nil to keep them. Whatever it throws stops training and is rethrown.
/// - Throws: `EngineError` for a data set that does not fit the model, a missing split,
///   a bad option, a strategy without best rates, a rule returning unusable rates, or a
///   non-finite loss (the weights are then those at the start of the failing epoch).
public func train(
  _ model: FusionModel, on data: Dataset, options: TrainingOptions,
  rateRule: ((EpochStats) throws -> [Float]?)? = nil,
  progress: (TrainingEvent) -> Bool = { _ in true }
) throws -> History {
  try options.validate()
  try model.check(data)
  let run = try TrainingRun(model: model, data: data, options: options)
  run.rateRule = rateRule
  return try run.run(progress: progress)
}

/// The state of one call to `train`: features, buffers, optimizer and rate schedule.
final class TrainingRun {
  let model: FusionModel
  let options: TrainingOptions
  let trainFeatures: [Matrix]
  let trainLabels: [Int]
  let devFeatures: [Matrix]
  let devLabels: [Int]
  let optimizer: SGD
  var generator: SeededGenerator
  var autoSchedule: AutoRateSchedule?
  var rateRule: ((EpochStats) throws -> [Float]?)?

  // Buffers reused by every batch.
  var batchInputs: [Matrix]
  var batchLabels: [Int] = []
  var buffers = FusionBuffers()
  var order: [Int]
  var epochLabels: [Int]
  var epochPredictions: [Int]
  var branchPredictions: [[Int]]

  init(model: FusionModel, data: Dataset, options: TrainingOptions) throws {
    let train = try requireSplit("train", of: data)
    let dev = try requireSplit("dev", of: data)
    guard train.count > 0 else { throw EngineError.emptySplit("train") }
    guard dev.count > 0 else { throw EngineError.emptySplit("dev") }

    let rates = try model.rates(for: model.strategy)
    if case .auto(let window, let every) = model.strategy {
      autoSchedule = AutoRateSchedule(initialRates: rates, window: window, every: every)
    }
    self.model = model
    self.options = options
    trainFeatures = standardizedFeatures(of: train, for: model)
    trainLabels = train.labels
    devFeatures = standardizedFeatures(of: dev, for: model)
    devLabels = dev.labels
    optimizer = SGD(
      groups: model.branches.indices.map { m in
        ParameterGroup(
          name: model.modalities[m].name, parameters: model.branches[m].parameters,
          learningRate: rates[m])
      }, momentum: options.momentum, weightDecay: options.weightDecay)
    generator = SeededGenerator(seed: options.seed)
    batchInputs = Array(repeating: Matrix(rows: 0, columns: 0), count: model.branches.count)
    order = Array(0..<train.count)
    epochLabels = Array(repeating: 0, count: train.count)
    epochPredictions = Array(repeating: 0, count: train.count)
    branchPredictions = Array(
      repeating: Array(repeating: 0, count: train.count), count: model.branches.count)
    model.currentRates = rates
  }

  func run(progress: (TrainingEvent) -> Bool) throws -> History {
    var history = History(modalities: model.modalities.map { $0.name })
    for epoch in stride(from: 1, through: options.epochs, by: 1) {
      guard progress(.epochStarted(epoch: epoch, of: options.epochs)) else {
        history.stoppedEarly = true
        break
      }
      guard let stats = try runEpoch(epoch, progress: progress) else {
        history.stoppedEarly = true
        break
      }
      history.epochs.append(stats)
      try adjustRates(after: stats)
      guard progress(.epochFinished(stats)) else {
        history.stoppedEarly = true
        break
      }
    }
    return history
  }

  /// One pass over the shuffled train split; nil when the callback stopped it.
  func runEpoch(_ epoch: Int, progress: (TrainingEvent) -> Bool) throws -> EpochStats? {
    let branches = model.branches
    let start = branches.map { $0.parameters.map { $0.value } }
    let startNorms = branches.map { $0.weightNorm }
    var gradientNorms = Array(repeating: 0.0, count: branches.count)
    var lossSum = 0.0
    let count = trainLabels.count
    let batchCount = (count + options.batchSize - 1) / options.batchSize

    generator.shuffle(&order)
    for batch in 0..<batchCount {
      let first = batch * options.batchSize
      let indices = order[first..<min(first + options.batchSize, count)]
      batchLabels.removeAll(keepingCapacity: true)
      for index in indices { batchLabels.append(trainLabels[index]) }

      for m in branches.indices {
        batchInputs[m].gatherRows(of: trainFeatures[m], at: indices)
      }
      let loss = model.lossAndGradients(
        inputs: batchInputs, labels: batchLabels, training: true, generator: &generator,
        buffers: &buffers)
      guard loss.isFinite else {
        throw diverged(epoch: epoch, batch: batch + 1, loss: loss, restoring: start)
      }
      lossSum += Double(loss) * Double(indices.count)
      argmaxRows(buffers.fusedLogits, into: &epochPredictions, offset: first)
      for index in 0..<batchLabels.count { epochLabels[first + index] = batchLabels[index] }
      for (m, branch) in branches.enumerated() {
        argmaxRows(branch.logits, into: &branchPredictions[m], offset: first)
        gradientNorms[m] += branch.gradientNorm
      }
      optimizer.step()

      guard progress(.batch(epoch: epoch, batch: batch + 1, of: batchCount, loss: loss)) else {
        return nil
      }
    }
    return epochStats(
      epoch, trainLoss: lossSum / Double(count), start: start, startNorms: startNorms,
      gradientNorms: gradientNorms.map { $0 / Double(batchCount) })
  }

  func epochStats(
    _ epoch: Int, trainLoss: Double, start: [[Matrix]], startNorms: [Double],
    gradientNorms: [Double]
  ) -> EpochStats {
    let classCount = model.classNames.count
    let trainMetrics = ClassificationMetrics(
      labels: epochLabels, predictions: epochPredictions, classCount: classCount)
    let dev = predict(model, features: devFeatures, labels: devLabels)
    let devMetrics = ClassificationMetrics(
      labels: devLabels, predictions: dev.fused, classCount: classCount)

    let branchStats = model.branches.indices.map { m -> BranchEpochStats in
      let branch = model.branches[m]
      var change = 0.0
      for (parameter, before) in zip(branch.parameters, start[m]) {
        for index in before.values.indices {
          let delta = Double(parameter.value.values[index]) - Double(before.values[index])
          change += delta * delta
        }
      }
      let branchDev = ClassificationMetrics(
        labels: devLabels, predictions: dev.branches[m], classCount: classCount)
      let trainCorrect = zip(epochLabels, branchPredictions[m]).filter { $0 == $1 }.count
      return BranchEpochStats(
        modality: model.modalities[m].name, learningRate: optimizer.groups[m].learningRate,
        gradientNorm: gradientNorms[m],
        updateRatio: startNorms[m] > 0 ? change.squareRoot() / startNorms[m] : 0,
        trainAccuracy: Double(trainCorrect) / Double(epochLabels.count),
        devAccuracy: branchDev.accuracy, devMacroF1: branchDev.macroF1,
        devWeightedF1: branchDev.weightedF1)
    }
    return EpochStats(
      epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainMetrics.accuracy,
      trainMacroF1: trainMetrics.macroF1, trainWeightedF1: trainMetrics.weightedF1,
      devLoss: dev.loss, devAccuracy: devMetrics.accuracy, devMacroF1: devMetrics.macroF1,
      devWeightedF1: devMetrics.weightedF1, branches: branchStats)
  }

  /// Applies the `auto` rule after a validation, then the user's rule if there is one.
  func adjustRates(after stats: EpochStats) throws {
    if var schedule = autoSchedule {
      let accuracies = stats.branches.map { $0.devAccuracy }
      if let rates = schedule.rates(afterEpoch: stats.epoch, branchAccuracies: accuracies) {
        apply(rates)
      }
      autoSchedule = schedule
    }
    guard let rule = rateRule, let rates = try rule(stats) else { return }
    guard rates.count == model.branches.count else {
      throw EngineError.invalidOption(
        name: "rate rule", value: "\(rates)",
        reason: "it must return one rate per modality (\(model.branches.count))")
    }
    if let bad = rates.first(where: { !($0.isFinite && $0 > 0) }) {
      throw EngineError.invalidOption(
        name: "rate rule", value: "\(bad)", reason: "learning rates must be positive and finite")
    }
    apply(rates)
  }

  private func apply(_ rates: [Float]) {
    for m in rates.indices { optimizer.groups[m].learningRate = rates[m] }
    model.currentRates = rates
  }

  /// Restores the epoch's starting weights and names the branch to blame: one whose logits
  /// are not finite (the largest gradient norm among them), else the largest gradient norm.
  func diverged(epoch: Int, batch: Int, loss: Float, restoring start: [[Matrix]]) -> EngineError {
    let branches = model.branches
    let nonFinite = branches.indices.filter { !branches[$0].logits.values.allSatisfy(\.isFinite) }
    let suspects = nonFinite.isEmpty ? Array(branches.indices) : nonFinite
    func size(_ m: Int) -> Double {
      let norm = branches[m].gradientNorm
      return norm.isFinite ? norm : .infinity
    }
    let blamed = suspects.max { size($0) < size($1) } ?? 0
    for (branch, values) in zip(branches, start) {
      for (parameter, value) in zip(branch.parameters, values) { parameter.value = value }
    }
    return .diverged(
      epoch: epoch, batch: batch, modality: model.modalities[blamed].name,
      learningRate: optimizer.groups[blamed].learningRate, loss: loss)
  }
}
