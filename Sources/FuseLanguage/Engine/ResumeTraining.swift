import FuseEngine
import FuseFormat

/// train(m, epochs: N, resume: true): the model's last run continued, as the engine's
/// `resume` continues it, with the run's own settings.
extension EngineBuiltins {
  /// The arguments a resumed train() may give; every other setting is the run's own.
  static let resumeArguments: Set<String> = ["model", "epochs", "resume", "rule"]

  func resumeTraining(_ arguments: Arguments, target: ModelObject) throws -> Value {
    let model = target.model
    let names = (EngineBuiltins.trainingParameters + EngineBuiltins.jointParameters).map(\.name)
    if let given = names.first(where: {
      arguments.isGiven($0) && !EngineBuiltins.resumeArguments.contains($0)
    }) {
      throw BuiltinError(
        "a resumed run goes on with its own settings; leave out '\(given)' (to change "
          + "settings, train without resume: a new run from these weights)", argument: given)
    }
    guard let state = model.trainingState else {
      throw BuiltinError(
        "cannot resume training: this model has not been trained, so there is no run to go "
          + "on with; train it first, or load a checkpoint saved after training",
        argument: "resume")
    }
    let done = state.completedEpochs
    let epochs =
      arguments.isGiven("epochs") ? try arguments.integer("epochs") : state.options.epochs
    if arguments.isGiven("epochs"), epochs <= done {
      throw BuiltinError(
        "epochs counts the whole run, which has completed \(counted(done, "epoch")); give more "
          + "than \(done) to go on", argument: "epochs")
    }
    if !state.usesRateRule, !arguments.isNothing("rule") {
      throw BuiltinError(
        "cannot resume training: the run had no rate rule; a resumed run cannot add one",
        argument: "rule")
    }
    let rule = try rateRule(arguments, names: target.names)

    let options = state.options
    let header =
      "train: resuming at epoch \(done + 1) of \(epochs), batch \(options.batchSize), "
      + "\(counted(host.threads, "thread")), rates \(model.strategy)"
      + (options.schedule == .constant ? "" : ", schedule \(options.schedule)")
      + (state.threads == host.threads
        ? "" : " (the run began with \(counted(state.threads, "thread")); numbers may differ)")
    let reporter = ProgressReporter(
      host: host, work: "train", epochs: epochs, batchSize: options.batchSize)
    var history = History(modalities: target.names)
    do {
      try FuseEngine.resume(
        model, on: target.dataset, epochs: epochs, rateRule: rule, recordingInto: &history,
        progress: reporter.trainingCallback(
          header: header, names: target.names, context: arguments.context))
    } catch EngineError.cannotResume(let reason) {
      throw BuiltinError("cannot resume training: \(reason)", argument: "resume")
    } catch {
      if reporter.started { target.recordTraining(history, resumedAfter: done) }
      throw error
    }
    target.recordTraining(history, resumedAfter: done)
    if history.stoppedEarly { try arguments.context.checkInterrupt() }
    reporter.reportEnding(history)
    return .object(HistoryObject(history))
  }
}
