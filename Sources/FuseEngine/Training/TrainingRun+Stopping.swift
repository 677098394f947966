import FuseFormat

/// Early stopping's bookkeeping: the best value, its epoch and weights, the epochs since.
struct StoppingState {
  let rule: EarlyStopping
  var best: Double?
  var bestEpoch: Int?
  var epochsWithoutImprovement = 0

  /// The branches' parameters and the fusion weights at the best epoch.
  var bestWeights: [[Matrix]] = []
  var bestFusionWeights: [Float] = []

  init(rule: EarlyStopping) {
    self.rule = rule
  }
}

extension TrainingRun {
  /// Records the epoch's monitored value; true when training should stop now.
  func checkStopping(after stats: EpochStats, history: inout History) -> Bool {
    guard var state = stopping, stats.epoch > state.rule.warmupEpochs else { return false }
    defer { stopping = state }
    let value = state.rule.monitor.value(in: stats)
    if state.rule.improves(value, on: state.best) {
      state.best = value
      state.bestEpoch = stats.epoch
      state.epochsWithoutImprovement = 0
      history.bestEpoch = stats.epoch
      if state.rule.restoreBest {
        state.bestWeights = model.branches.map { $0.parameters.map { $0.value } }
        state.bestFusionWeights = model.fusionWeights
      }
      return false
    }
    state.epochsWithoutImprovement += 1
    guard state.epochsWithoutImprovement >= state.rule.patience else { return false }
    history.stopReason =
      "early stopping after epoch \(stats.epoch): \(state.rule.monitor.name) did not improve "
      + "for \(counted(state.rule.patience, "epoch")); "
      + (state.best.flatMap { best in
        state.bestEpoch.map { "best \(formatNumber(best)) at epoch \($0)" }
      }
        ?? "it was never a number (nan), so no epoch counted as best")
    return true
  }

  /// Puts back the best epoch's weights when early stopping asks for it.
  func restoreBest(into history: inout History) {
    guard let state = stopping, state.rule.restoreBest, let best = state.bestEpoch,
      !state.bestWeights.isEmpty, best != history.epochs.last?.epoch
    else { return }
    for (branch, values) in zip(model.branches, state.bestWeights) {
      for (parameter, value) in zip(branch.parameters, values) { parameter.value = value }
    }
    model.fusionWeights = state.bestFusionWeights
    history.restoredBest = true
  }
}
