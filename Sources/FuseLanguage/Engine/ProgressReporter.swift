import Foundation
import FuseEngine
import FuseFormat

/// Turns engine events into progress lines: one line per epoch or sweep point, and a
/// transient line per batch for terminals.
final class ProgressReporter {
  let host: EngineHost
  let work: String
  let epochs: Int
  let batchSize: Int
  /// The rates in force, as the batch line shows them; set when training starts and after
  /// each epoch.
  private var rates: [Float] = []
  /// When the batches being timed began, and how many had been done before them.
  private var pace: (start: Date, position: Int)?
  /// Whether a training run's header has been shown: the engine accepted its options.
  private(set) var started = false
  /// The pretrained encoder groups that train, each with whether it has been warned of a
  /// head's rate, so that a schedule or rule that raises its rate later is warned of once.
  private var encoderGroups: [String: Bool] = [:]

  init(host: EngineHost, work: String, epochs: Int, batchSize: Int) {
    self.host = host
    self.work = work
    self.epochs = epochs
    self.batchSize = batchSize
  }

  /// The batch line a terminal redraws: where the work is, its loss, the rates, and its
  /// pace from the batches timed so far (items per second, time left). Only a terminal
  /// shows it, so the clock never reaches a log, a notebook or a test's output.
  private func batchLine(epoch: Int, batch: Int, count: Int, loss: Float) -> String {
    let position = (epoch - 1) * count + batch
    if pace == nil || position <= pace!.position { pace = (Date(), position) }
    var line =
      "\(work): epoch \(epoch)/\(epochs), batch \(batch)/\(count), "
      + "loss \(formatFixed(Double(loss), digits: 4))"
    if !rates.isEmpty {
      line += ", lr " + rates.map(formatRate).joined(separator: " ")
    }
    guard let pace, position > pace.position else { return line }
    let seconds = Date().timeIntervalSince(pace.start)
    guard seconds > 0 else { return line }
    let perBatch = seconds / Double(position - pace.position)
    let left = perBatch * Double(max(0, epochs * count - position))
    return line
      + ", \(Int((Double(batchSize) / perBatch).rounded())) items/s, \(clock(left)) left"
  }

  /// A duration as `m:ss`, or `h:mm:ss` from an hour.
  private func clock(_ seconds: Double) -> String {
    let whole = Int(seconds.rounded(.up))
    let (hours, minutes, rest) = (whole / 3600, whole / 60 % 60, whole % 60)
    let two = { (n: Int) in n < 10 ? "0\(n)" : "\(n)" }
    return hours > 0 ? "\(hours):\(two(minutes)):\(two(rest))" : "\(minutes):\(two(rest))"
  }

  /// The engine's progress callback for a training run: shows `header` when the engine has
  /// checked the options (so a bad one shows no header), then every event, and stops the
  /// run once the session is interrupted.
  func trainingCallback(
    header: String, names: [String], context: BuiltinContext
  ) -> (TrainingEvent) -> Bool {
    { event in
      if case .started = event {
        self.started = true
        self.host.report(.line(header))
      }
      self.trainEvent(event, names: names)
      return !context.isInterrupted
    }
  }

  /// What ended a finished run early, and whose weights the model kept.
  func reportEnding(_ history: History) {
    if let reason = history.stopReason { host.report(.line("\(work): \(reason)")) }
    if history.restoredBest, let best = history.bestEpoch {
      host.report(.line("\(work): restored the weights of epoch \(best)"))
    }
  }

  /// Whether a group is a pretrained encoder's (`text.encoder`, `text.embeddings`,
  /// `text.layer.3`) and trains (is not frozen).
  static func trainsEncoder(_ group: (name: String, rate: Float, settings: String)) -> Bool {
    let parts = group.name.split(separator: ".")
    guard parts.count >= 2, ["encoder", "embeddings", "layer"].contains(parts[1]) else {
      return false
    }
    return !group.settings.contains("frozen")
  }

  /// Whether a training encoder group is set to a rate at which fine-tuning usually destroys
  /// what pretraining learned: a head's rate, such as a bare `rates: "global"` gives.
  static func wrecksEncoder(_ group: (name: String, rate: Float, settings: String)) -> Bool {
    trainsEncoder(group) && group.rate > encoderRateLimit
  }

  /// The rate above which a pretrained encoder's weights are soon lost.
  static let encoderRateLimit: Float = 0.001

  /// Warns of an encoder group that a schedule or a rule has raised above the limit during
  /// the epoch just finished, once per group and run.
  private func warnAboutRaisedEncoderRates(_ stats: EpochStats) {
    for group in stats.groups ?? []
    where encoderGroups[group.name] == false && group.learningRate > Self.encoderRateLimit {
      encoderGroups[group.name] = true
      host.report(
        .line(
          "\(work): warning: epoch \(stats.epoch) trained group \(group.name), a pretrained"
            + " encoder, at \(formatRate(group.learningRate)): its schedule or rule raised it"
            + " above about 0.001, where an encoder's pretrained weights are soon lost"))
    }
  }

  func trainEvent(_ event: TrainingEvent, names: [String]) {
    switch event {
    case .started(let groups):
      rates = groups.filter { $0.name != "fusion" }.map(\.rate)
      let width = groups.map(\.name.count).max() ?? 0
      for group in groups {
        host.report(
          .line(
            "\(work): group \(pad(group.name, width))  rate \(formatRate(group.rate))  \(group.settings)"
          ))
      }
      warnAboutEncoderRates(groups)
    case .batch(let epoch, let batch, let count, let loss):
      guard host.showsTransientProgress else { break }
      host.report(.transient(batchLine(epoch: epoch, batch: batch, count: count, loss: loss)))
    case .epochFinished(let stats):
      rates = stats.branches.map(\.learningRate)
      let branches = stats.branches.map { branch in
        let score = branch.devRegression.map { formatError($0.meanAbsoluteError) }
        return "\(branch.modality) \(score ?? formatScore(branch.devAccuracy))"
          + " @ \(formatRate(branch.learningRate))"
      }
      let scores =
        stats.devRegression.map {
          "  dev mae \(formatError($0.meanAbsoluteError))  r \(formatScore($0.correlation))"
        }
        ?? "  dev acc \(formatScore(stats.devAccuracy))  wf1 \(formatScore(stats.devWeightedF1))"
      host.report(
        .line(
          "\(work): epoch \(stats.epoch)/\(epochs)  loss \(formatFixed(stats.trainLoss, digits: 4))"
            + scores + "  branches: " + branches.joined(separator: ", ")
            + (stats.fusionLearningRate.map { ", fusion @ \(formatRate($0))" } ?? "")))
      warnAboutRaisedEncoderRates(stats)
    default:
      break
    }
  }

  /// Sweep progress; `regression` says the points are scored by dev MAE, not accuracy.
  /// Warns once per encoder group set to a head's rate, for each training that starts.
  private func warnAboutEncoderRates(_ groups: [(name: String, rate: Float, settings: String)]) {
    encoderGroups = [:]
    for group in groups where Self.trainsEncoder(group) {
      encoderGroups[group.name] = Self.wrecksEncoder(group)
    }
    for group in groups where Self.wrecksEncoder(group) {
      let advice =
        work == "sweep"
        ? "keep its modality's grid to encoder rates, as in rates: {text: [0.00002, 0.0001],"
          + " ...}"
        : "give it a rate of its own, as in groups: {\"\(group.name)\": {lr: 0.00002}}"
      host.report(
        .line(
          "\(work): warning: group \(group.name) fine-tunes a pretrained encoder at "
            + "\(formatRate(group.rate)); above about 0.001 an encoder's pretrained weights "
            + "are soon lost (fine-tuning uses 1e-5 to 1e-4); \(advice)"))
    }
  }

  func sweepEvent(_ event: TrainingEvent, regression: Bool = false) {
    switch event {
    case .started(let groups):
      warnAboutEncoderRates(groups)
    case .batch(let epoch, let batch, let count, let loss):
      guard host.showsTransientProgress else { break }
      host.report(.transient(batchLine(epoch: epoch, batch: batch, count: count, loss: loss)))
    case .sweepPoint(let modality, let rate, let score):
      let outcome =
        score.isNaN
        ? "diverged"
        : regression ? "dev MAE \(formatError(score))" : "dev accuracy \(formatScore(score))"
      host.report(.line("sweep: \(modality) alone at rate \(formatRate(rate)): \(outcome)"))
    default:
      break
    }
  }
}
