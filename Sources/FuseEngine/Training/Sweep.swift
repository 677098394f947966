/// The unimodal step of the MSLR recipe: for each modality and each rate, trains that
/// modality's branch alone (its own logits, softmax cross-entropy), every rate from the
/// same initial weights and with the same seed, and scores it on the dev split.
///
/// The model keeps, per modality, the best rate (dev accuracy, then macro F1, then the
/// smaller rate; for regression the lowest dev mean absolute error, then mean squared
/// error, then the smaller rate) in `bestRates` and the weights that rate produced in
/// `branches`. A rate that diverges scores 0 and is never chosen. `progress` sees each inner training's
/// events, then a `.sweepPoint` per (modality, rate), whose score is NaN for a rate that
/// diverged.
///
/// - Throws: `EngineError` for bad rates or options, a data set that does not fit the model,
///   `.interrupted` when the callback stops the sweep (the model is then unchanged), and
///   `.sweepDiverged` when every rate of a modality diverges (the model is then unchanged).
public func sweep(
  _ model: FusionModel, on data: Dataset, rates: [Float], options: TrainingOptions,
  progress: (TrainingEvent) -> Bool = { _ in true }
) throws -> SweepResult {
  try sweep(
    model, on: data, grids: Array(repeating: rates, count: model.branches.count),
    options: options, progress: progress)
}

/// The sweep with a grid of rates per modality, in the model's modality order: a
/// pretrained encoder's branch can try rates around 2e-5 while a small head beside it tries
/// 1e-3 to 1e-1, without fine-tuning the encoder at every rate of both ranges.
///
/// - Throws: as `sweep(_:on:rates:options:progress:)`; an empty grid or a rate that is not
///   positive and finite is an `invalidOption` named `rates`, or `rates.<modality>` when the
///   grids differ.
public func sweep(
  _ model: FusionModel, on data: Dataset, grids: [[Float]], options: TrainingOptions,
  progress: (TrainingEvent) -> Bool = { _ in true }
) throws -> SweepResult {
  try options.validate(
    modalities: model.modalities.map(\.name), task: model.task, groups: model.groupNames)
  try options.checkSweepPlateaus(task: model.task)
  try model.check(data)
  precondition(grids.count == model.branches.count, "one grid per modality")
  guard options.epochs >= 1 else {
    throw EngineError.invalidOption(
      name: "epochs", value: String(options.epochs),
      reason: "a sweep chooses each rate by what it trained; give at least 1 epoch")
  }
  let shared = grids.allSatisfy { $0 == grids.first }
  for (m, rates) in grids.enumerated() {
    let name = shared ? "rates" : "rates.\(model.modalities[m].name)"
    guard !rates.isEmpty else {
      throw EngineError.invalidOption(name: name, value: "[]", reason: "give at least one rate")
    }
    if let bad = rates.first(where: { !($0.isFinite && $0 > 0) }) {
      throw EngineError.invalidOption(
        name: name, value: optionText(bad), reason: "learning rates must be positive and finite")
    }
    // A rate given twice would train again to the same result, which costs minutes an epoch
    // when the branch fine-tunes an encoder.
    if let twice = rates.indices.first(where: { rates[..<$0].contains(rates[$0]) }) {
      throw EngineError.invalidOption(
        name: name, value: optionText(rates[twice]),
        reason: "the rate appears twice in the grid (rates are 32-bit floats, so rates that"
          + " differ only beyond their 7th digit are one rate); give each rate once")
    }
  }

  let names = model.modalities.map { $0.name }
  let empty = grids.map { Array(repeating: 0.0, count: $0.count) }
  let unscored = RegressionMetrics(targets: [], predictions: [])
  var result = SweepResult(
    grids: grids, modalities: names, devAccuracy: empty, devMacroF1: empty,
    devWeightedF1: empty,
    devRegression: model.task == .regression
      ? grids.map { Array(repeating: unscored, count: $0.count) } : [],
    diverged: grids.map { Array(repeating: false, count: $0.count) },
    bestRates: [], task: model.task)
  var winners: [Branch] = []

  for m in model.branches.indices {
    let unimodal = data.restricted(to: m)
    let unimodalOptions = options.restricted(
      to: names[m], groups: [names[m]] + model.branches[m].encoderGroupNames)
    var best: (branch: Branch, point: SweepPoint)?
    for (r, rate) in grids[m].enumerated() {
      let candidate = FusionModel(
        branches: [model.branches[m].copy()], classNames: model.classNames, task: model.task)
      candidate.strategy = .global(rate)
      let history: History
      do {
        history = try train(candidate, on: unimodal, options: unimodalOptions, progress: progress)
      } catch EngineError.diverged {
        result.diverged[m][r] = true
        guard progress(.sweepPoint(modality: names[m], rate: rate, score: .nan)) else {
          throw EngineError.interrupted("the sweep")
        }
        continue
      }
      if history.stoppedEarly { throw EngineError.interrupted("the sweep") }

      let report = try evaluate(candidate, on: unimodal, split: "dev")
      let point: SweepPoint
      if let regression = report.branches[0].regression {
        result.devRegression[m][r] = regression
        point = SweepPoint(
          rate: rate, primary: -regression.meanAbsoluteError,
          secondary: -regression.meanSquaredError)
      } else {
        let scores = report.branches[0].metrics
        result.devAccuracy[m][r] = scores.accuracy
        result.devMacroF1[m][r] = scores.macroF1
        result.devWeightedF1[m][r] = scores.weightedF1
        point = SweepPoint(rate: rate, primary: scores.accuracy, secondary: scores.macroF1)
      }
      if best == nil || point.isBetter(than: best!.point) {
        best = (candidate.branches[0], point)
      }
      let score = report.branches[0].regression?.meanAbsoluteError ?? point.primary
      guard progress(.sweepPoint(modality: names[m], rate: rate, score: score)) else {
        throw EngineError.interrupted("the sweep")
      }
    }
    guard let chosen = best else {
      throw EngineError.sweepDiverged(modality: names[m], rates: grids[m])
    }
    winners.append(chosen.branch)
    result.bestRates.append(chosen.point.rate)
  }

  model.branches = winners
  model.trainingState = nil
  model.bestRates = result.bestRates.map { Optional($0) }
  return result
}

/// One rate's dev scores as a sweep compares them, higher being better: accuracy then macro
/// F1, or for regression the negated mean absolute then mean squared error.
private struct SweepPoint {
  var rate: Float
  var primary: Double
  var secondary: Double

  func isBetter(than best: SweepPoint) -> Bool {
    if primary != best.primary { return primary > best.primary }
    if secondary != best.secondary { return secondary > best.secondary }
    return rate < best.rate
  }
}

extension Dataset {
  /// The same data set with only modality `m`, for training one branch alone.
  func restricted(to m: Int) -> Dataset {
    Dataset(
      name: name, modalities: [modalities[m]], classNames: classNames,
      splits: splits.mapValues { $0.withFeatures([$0.features[m]]) },
      splitRule: splitRule, source: source, task: task)
  }
}

extension TrainingOptions {
  /// Refuses a plateau schedule that monitors a branch (`audio.dev_acc`). A sweep trains one
  /// branch at a time, alone, so the other branches' statistics do not exist there; a fused
  /// statistic reads as the branch being trained. Early stopping's monitor differs: it is
  /// read as the fused one for the branch being trained (`restricted(to:)`).
  func checkSweepPlateaus(task: LearningTask) throws {
    let places =
      [("schedule.monitor", schedule)]
      + groups.keys.sorted().compactMap { name in
        groups[name]?.schedule.map {
          (GroupOverride.optionName("schedule.monitor", group: name), $0)
        }
      }
    for (place, schedule) in places {
      guard let monitor = schedule.plateau?.monitor, monitor.name.contains(".") else { continue }
      let examples = task == .regression ? "dev_loss or dev_mae" : "dev_loss or dev_acc"
      throw EngineError.invalidOption(
        name: place, value: "'\(monitor.name)'",
        reason: "a sweep trains one branch at a time, alone, so its plateau monitor must be a "
          + "fused statistic such as \(examples), which reads as the branch being trained")
    }
  }

  /// The options for training modality `name`'s branch alone: the overrides of its own
  /// groups (`groups`: its branch's and its encoder's), fixed fusion weights, and monitors
  /// of that branch read as the fused model's.
  func restricted(to name: String, groups names: [String]) -> TrainingOptions {
    var options = self
    options.groups = groups.filter { names.contains($0.key) }
    options.learnFusionWeights = false
    func unimodal(_ monitor: Monitor) -> Monitor {
      let parts = monitor.name.split(separator: ".").map(String.init)
      guard parts.count == 2 else { return monitor }
      return Monitor(parts[1], mode: monitor.mode)
    }
    if let stopping = earlyStopping { options.earlyStopping?.monitor = unimodal(stopping.monitor) }
    return options
  }
}
