import FuseFormat

/// Continues the model's latest training run up to epoch `epochs` of that run, exactly as
/// the run would have gone on had it never stopped: same batches, dropout masks, optimizer
/// moments, rates, schedule, `auto` and plateau bookkeeping, early stopping.
///
/// `epochs` counts the whole run, as Keras' `fit(initial_epoch:)` and a PyTorch loop
/// `for epoch in range(start, epochs)` do: a run of 30 epochs resumed with `epochs: 50`
/// trains epochs 31 to 50, and then equals, bit for bit at the same thread count, a run of
/// 50 epochs trained in one call with the same options. The options are the run's own
/// (`model.trainingState.options`); `rateRule` must be given again when the run had one.
/// The history returned holds the whole run, earlier epochs included.
///
/// A schedule laid out over the run's length (`cosine()` without its own epochs) keeps the
/// length of the call that started the run, so such a run resumes only up to it.
///
/// - Throws: `EngineError.cannotResume` when the model has no run to resume, the run cannot
///   go on (see `TrainingState`), `epochs` is not beyond the epochs completed, the schedule
///   cannot stretch that far, the model's strategy or the rule's presence changed, or `data`
///   is not the data set the run trained on; then whatever `train` throws.
public func resume(
  _ model: FusionModel, on data: Dataset, epochs: Int,
  rateRule: ((EpochStats) throws -> [Float]?)? = nil,
  progress: (TrainingEvent) -> Bool = { _ in true }
) throws -> History {
  var history = History(modalities: model.modalities.map(\.name))
  try resume(
    model, on: data, epochs: epochs, rateRule: rateRule, recordingInto: &history,
    progress: progress)
  return history
}

/// `resume`, keeping the history in `history` as epochs finish (see
/// `train(_:on:options:rateRule:recordingInto:progress:)`). Errors found before the first
/// step leave `history` as it was and the model untouched.
public func resume(
  _ model: FusionModel, on data: Dataset, epochs: Int,
  rateRule: ((EpochStats) throws -> [Float]?)? = nil, recordingInto history: inout History,
  progress: (TrainingEvent) -> Bool = { _ in true }
) throws {
  let (state, point) = try resumableState(of: model, epochs: epochs, hasRule: rateRule != nil)
  try model.check(data)
  let train = try requireSplit("train", of: data)
  guard train.fingerprint == state.trainFingerprint else {
    throw EngineError.cannotResume(
      "the train split differs from the one the run trained on (fingerprint "
        + "\(train.fingerprint), the run's \(state.trainFingerprint))")
  }
  var options = state.options
  options.epochs = epochs
  try options.validate(
    modalities: model.modalities.map(\.name), task: model.task, groups: model.groupNames)

  let run = try TrainingRun(model: model, data: data, options: options)
  run.rateRule = rateRule
  run.span = state.scheduleSpan
  run.firstEpoch = point.completedEpochs + 1
  run.restore(point)
  history = state.history
  history.stoppedEarly = false
  history.stopReason = nil
  history.restoredBest = false
  history.threadCount = matrixThreadCount
  try run.run(into: &history, progress: progress)
}

/// The model's run and its resume point, when it can go on to epoch `epochs`.
private func resumableState(of model: FusionModel, epochs: Int, hasRule: Bool) throws -> (
  TrainingState, ResumePoint
) {
  func refuse(_ reason: String) -> EngineError { .cannotResume(reason) }
  guard let state = model.trainingState else {
    throw refuse(
      "this model has not been trained, so there is no run to go on with; train it first, "
        + "or load a checkpoint saved after training")
  }
  if let reason = state.notResumable {
    throw refuse("the run cannot go on: \(reason); train without resume to start a new run")
  }
  guard let point = state.point else { throw refuse("the run has no resume point") }
  let done = point.completedEpochs
  guard epochs > done else {
    throw refuse(
      "the run has completed \(counted(done, "epoch")); epochs counts the whole run, so give "
        + "more than \(done)")
  }
  let names = model.modalities.map(\.name) + (state.options.learnFusionWeights ? ["fusion"] : [])
  for name in names {
    let schedule = state.options.resolved(group: name).1
    guard schedule.stretchesOverRun, epochs > state.scheduleSpan else { continue }
    throw refuse(
      "the schedule \(schedule) of group '\(name)' is laid out over the \(state.scheduleSpan) "
        + "epochs the run was started with; resume to at most \(state.scheduleSpan), or start "
        + "a new run with a schedule of its own length, such as cosine(epochs: \(epochs))")
  }
  guard model.strategy == state.strategy else {
    throw refuse(
      "the model's rates are now \(model.strategy), but the run trained with "
        + "\(state.strategy)")
  }
  if state.usesRateRule && !hasRule {
    throw refuse(
      "the run had a rate rule"
        + (state.isFromCheckpoint ? ", which a checkpoint cannot keep" : "")
        + "; give the rule again: rule: <fn>")
  }
  if !state.usesRateRule && hasRule {
    throw refuse("the run had no rate rule; a resumed run cannot add one")
  }
  return (state, point)
}
