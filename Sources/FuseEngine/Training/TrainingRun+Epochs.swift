import Foundation

/// The epoch loop of a training run, and how it ends: finished, stopped early, interrupted
/// or failed, each leaving the model and the history in agreement.
extension TrainingRun {
  /// Runs every epoch into `history`; whatever stops the run, the history holds the
  /// epochs that completed and says why it stopped (see `train(...recordingInto:...)`).
  func run(into history: inout History, progress: (TrainingEvent) -> Bool) throws {
    setRates(forEpoch: firstEpoch)
    _ = progress(
      .started(
        groups: optimizer.groups.map { ($0.name, $0.learningRate, $0.settings.summary) }))
    resumePoint = capture(completed: firstEpoch - 1)
    do {
      try runEpochs(into: &history, progress: progress)
    } catch {
      // A failed run ends as an interrupted one does: the epochs that completed, the best
      // epoch restored if asked, and the reason in the history.
      history.stopReason = history.stopReason ?? Self.oneLine(error)
      if notResumable == nil {
        notResumable = "it stopped with an error: " + Self.oneLine(error)
      }
      restoreBest(into: &history)
      model.trainingState = state(
        history: history, point: resumePoint, notResumable: notResumable)
      throw error
    }
    restoreBest(into: &history)
    model.trainingState = state(history: history, point: resumePoint, notResumable: notResumable)
  }

  private func runEpochs(into history: inout History, progress: (TrainingEvent) -> Bool) throws {
    for epoch in stride(from: firstEpoch, through: options.epochs, by: 1) {
      setRates(forEpoch: epoch)
      guard progress(.epochStarted(epoch: epoch, of: options.epochs)) else {
        return interrupted(&history, "interrupted before epoch \(epoch)")
      }
      let epochResult: (EpochStats, EpochTiming)?
      do {
        epochResult = try runEpoch(epoch, progress: progress)
      } catch {
        notResumable =
          "it diverged during epoch \(epoch); train again without resume, at a smaller rate"
        throw error
      }
      // Ctrl-C during an epoch: a resume goes on from the start of the epoch.
      guard let (stats, timing) = epochResult else {
        return interrupted(
          &history, "interrupted during epoch \(epoch); the weights are those of its last step")
      }
      history.epochs.append(stats)
      history.timings.append(timing)
      do {
        try adjustRates(after: stats)
      } catch {
        // The epoch itself completed and is kept; only the rule's update failed.
        history.stopReason = "the rate rule failed after epoch \(epoch): " + Self.oneLine(error)
        notResumable = "its rate rule failed after epoch \(epoch)"
        _ = progress(.epochFinished(stats))
        throw error
      }
      let stop = checkStopping(after: stats, history: &history)
      resumePoint = capture(completed: epoch)
      if stop { notResumable = "early stopping ended it after epoch \(epoch)" }
      guard progress(.epochFinished(stats)) else {
        return interrupted(&history, "interrupted after epoch \(epoch)")
      }
      if stop { return }
    }
  }

  private func interrupted(_ history: inout History, _ reason: String) {
    history.stoppedEarly = true
    history.stopReason = reason
  }

  /// An error's message on one line: its `errorDescription` when it has one (a language
  /// diagnostic gives its message and place), else its description's first line.
  private static func oneLine(_ error: Error) -> String {
    let text = (error as? LocalizedError)?.errorDescription ?? String(describing: error)
    return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
  }
}
