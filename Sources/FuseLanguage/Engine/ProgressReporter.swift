import FuseEngine
import FuseFormat

/// Turns engine events into progress lines: one line per epoch or sweep point, and a
/// transient line per batch for terminals.
final class ProgressReporter {
  let host: EngineHost
  let work: String
  let epochs: Int

  init(host: EngineHost, work: String, epochs: Int) {
    self.host = host
    self.work = work
    self.epochs = epochs
  }

  func trainEvent(_ event: TrainingEvent, names: [String]) {
    switch event {
    case .started(let groups):
      let width = groups.map(\.name.count).max() ?? 0
      for group in groups {
        host.report(
          .line(
            "\(work): group \(pad(group.name, width))  rate \(formatRate(group.rate))  \(group.settings)"
          ))
      }
    case .batch(let epoch, let batch, let count, let loss):
      host.report(
        .transient(
          "\(work): epoch \(epoch)/\(epochs), batch \(batch)/\(count), "
            + "loss \(formatFixed(Double(loss), digits: 4))"))
    case .epochFinished(let stats):
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
    default:
      break
    }
  }

  /// Sweep progress; `regression` says the points are scored by dev MAE, not accuracy.
  func sweepEvent(_ event: TrainingEvent, regression: Bool = false) {
    switch event {
    case .batch(let epoch, let batch, let count, let loss):
      host.report(
        .transient(
          "sweep: epoch \(epoch)/\(epochs), batch \(batch)/\(count), "
            + "loss \(formatFixed(Double(loss), digits: 4))"))
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
