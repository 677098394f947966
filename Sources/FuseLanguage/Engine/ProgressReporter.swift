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
      guard host.showsTransientProgress else { break }
      host.report(
        .transient(
          "\(work): epoch \(epoch)/\(epochs), batch \(batch)/\(count), "
            + "loss \(formatFixed(Double(loss), digits: 4))"))
    case .epochFinished(let stats):
      let branches = stats.branches.map {
        "\($0.modality) \(formatScore($0.devAccuracy)) @ \(formatRate($0.learningRate))"
      }
      host.report(
        .line(
          "\(work): epoch \(stats.epoch)/\(epochs)  loss \(formatFixed(stats.trainLoss, digits: 4))"
            + "  dev acc \(formatScore(stats.devAccuracy))"
            + "  wf1 \(formatScore(stats.devWeightedF1))"
            + "  branches: " + branches.joined(separator: ", ")
            + (stats.fusionLearningRate.map { ", fusion @ \(formatRate($0))" } ?? "")))
    default:
      break
    }
  }

  func sweepEvent(_ event: TrainingEvent) {
    switch event {
    case .batch(let epoch, let batch, let count, let loss):
      guard host.showsTransientProgress else { break }
      host.report(
        .transient(
          "sweep: epoch \(epoch)/\(epochs), batch \(batch)/\(count), "
            + "loss \(formatFixed(Double(loss), digits: 4))"))
    case .sweepPoint(let modality, let rate, let score):
      let outcome = score.isNaN ? "diverged" : "dev accuracy \(formatScore(score))"
      host.report(.line("sweep: \(modality) alone at rate \(formatRate(rate)): \(outcome)"))
    default:
      break
    }
  }
}
