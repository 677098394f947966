import FuseEngine

/// The per-epoch record of one training run.
final class HistoryObject: HostObject {
  let history: History

  init(_ history: History) {
    self.history = history
  }

  var kindName: String { "history" }

  var display: String {
    guard let last = history.epochs.last else {
      return "history: no epoch finished"
    }
    var lines = [
      "history: \(history.epochs.count) epochs"
        + (history.stoppedEarly ? " (stopped early)" : "")
        + "; last epoch: train loss \(formatFixed(last.trainLoss, digits: 4)), "
        + "dev loss \(formatFixed(last.devLoss, digits: 4)), "
        + "dev accuracy \(formatScore(last.devAccuracy)), "
        + "dev weighted F1 \(formatScore(last.devWeightedF1))"
    ]
    let width = history.modalities.map(\.count).max() ?? 0
    for branch in last.branches {
      lines.append(
        "  \(pad(branch.modality, width))  rate \(formatRate(branch.learningRate)), "
          + "dev accuracy \(formatScore(branch.devAccuracy)), "
          + "gradient norm \(formatNumber(branch.gradientNorm)), "
          + "update ratio \(formatNumber(branch.updateRatio))")
    }
    return lines.joined(separator: "\n")
  }

  var memberNames: [String] {
    ["epochs", "loss", "dev_loss", "acc", "dev_acc", "dev_f1", "dev_wf1", "rates", "gradnorm",
     "update_ratio", "branch_acc", "branch_wf1", "stopped"]
  }

  private func series(_ value: (EpochStats) -> Double) -> Value {
    .numbers(history.epochs.map(value))
  }

  private func perBranch(_ value: (BranchEpochStats) -> Double) -> Value {
    let columns = history.modalities.indices.map { m in
      Value.numbers(history.epochs.map { value($0.branches[m]) })
    }
    return .perModality(history.modalities, columns)
  }

  func member(_ name: String) -> Value? {
    switch name {
    case "epochs": return .number(Double(history.epochs.count))
    case "loss": return series(\.trainLoss)
    case "dev_loss": return series(\.devLoss)
    case "acc": return series(\.trainAccuracy)
    case "dev_acc": return series(\.devAccuracy)
    case "dev_f1": return series(\.devMacroF1)
    case "dev_wf1": return series(\.devWeightedF1)
    case "rates": return perBranch { Double($0.learningRate) }
    case "gradnorm": return perBranch(\.gradientNorm)
    case "update_ratio": return perBranch(\.updateRatio)
    case "branch_acc": return perBranch(\.devAccuracy)
    case "branch_wf1": return perBranch(\.devWeightedF1)
    case "stopped": return .bool(history.stoppedEarly)
    default: return nil
    }
  }
}

/// The dev scores of a unimodal learning-rate sweep.
final class SweepObject: HostObject {
  let result: SweepResult

  init(_ result: SweepResult) {
    self.result = result
  }

  var kindName: String { "sweep" }

  var display: String {
    let width = max(8, result.modalities.map(\.count).max() ?? 0)
    let columns = result.rates.map(formatRate)
    let cell = max(7, columns.map(\.count).max() ?? 0)
    var lines = ["sweep: dev accuracy of each modality trained alone, by learning rate"]
    lines.append(
      pad("", width) + columns.map { pad($0, cell, right: true) }.joined(separator: " ")
        + "   best")
    for (m, name) in result.modalities.enumerated() {
      let scores = result.rates.indices.map { r in
        result.diverged[m][r] ? "nan" : formatScore(result.devAccuracy[m][r])
      }
      lines.append(
        pad(name, width) + scores.map { pad($0, cell, right: true) }.joined(separator: " ")
          + "   \(formatRate(result.bestRates[m]))")
    }
    return lines.joined(separator: "\n")
  }

  var memberNames: [String] { ["rates", "grid", "acc", "f1", "wf1", "modalities"] }

  func member(_ name: String) -> Value? {
    switch name {
    case "rates": return .numbers(result.bestRates)
    case "grid": return .numbers(result.rates)
    case "modalities": return .list(result.modalities.map { .string($0) })
    case "acc": return .perModality(result.modalities, result.devAccuracy.map { .numbers($0) })
    case "f1": return .perModality(result.modalities, result.devMacroF1.map { .numbers($0) })
    case "wf1": return .perModality(result.modalities, result.devWeightedF1.map { .numbers($0) })
    default: return nil
    }
  }
}
