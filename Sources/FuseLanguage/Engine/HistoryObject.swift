import FuseEngine
import FuseFormat

/// The per-epoch record of one training run.
final class HistoryObject: HostObject {
  let history: History

  init(_ history: History) {
    self.history = history
  }

  var kindName: String { "history" }

  var display: String {
    guard let last = history.epochs.last else {
      return "history: no epoch finished" + (history.stopReason.map { "; stopped: \($0)" } ?? "")
    }
    var lines = [
      "history: \(counted(history.epochs.count, "epoch"))"
        + ", \(counted(history.threadCount, "thread"))"
        + (history.stoppedEarly ? " (stopped early)" : "")
        + (history.bestEpoch.map {
          "; best epoch \($0)" + (history.restoredBest ? " (restored)" : "")
        } ?? "")
        + "; last epoch: train loss \(formatFixed(last.trainLoss, digits: 4)), "
        + "dev loss \(formatFixed(last.devLoss, digits: 4)), " + fusedScores(last)
    ]
    let width = history.modalities.map(\.count).max() ?? 0
    for branch in last.branches {
      lines.append(
        "  \(pad(branch.modality, width))  rate \(formatRate(branch.learningRate)), "
          + branchScores(branch)
          + "gradient norm \(formatNumber(branch.gradientNorm)), "
          + "update ratio \(formatNumber(branch.updateRatio))")
    }
    if let reason = history.stopReason { lines.append("  stopped: \(reason)") }
    return lines.joined(separator: "\n")
  }

  /// The dev scores of the fused model in the summary line.
  private func fusedScores(_ stats: EpochStats) -> String {
    guard let dev = stats.devRegression else {
      return "dev accuracy \(formatScore(stats.devAccuracy)), "
        + "dev weighted F1 \(formatScore(stats.devWeightedF1))"
    }
    return "dev MAE \(formatError(dev.meanAbsoluteError)), "
      + "dev r \(formatScore(dev.correlation)), "
      + "dev binary accuracy \(formatScore(dev.binaryAccuracy))"
  }

  /// A branch's dev scores in its summary line, each followed by ", ".
  private func branchScores(_ branch: BranchEpochStats) -> String {
    guard let dev = branch.devRegression else {
      return "dev accuracy \(formatScore(branch.devAccuracy)), "
    }
    return "dev MAE \(formatError(dev.meanAbsoluteError)), dev r \(formatScore(dev.correlation)), "
  }

  var memberNames: [String] {
    let scores =
      history.task == .regression
      ? [
        "loss", "mae", "corr", "acc2", "dev_loss", "dev_mse", "dev_mae", "dev_corr", "dev_acc2",
        "rates", "gradnorm", "update_ratio", "branch_mse", "branch_mae", "branch_corr",
        "branch_acc2",
      ]
      : [
        "loss", "dev_loss", "acc", "dev_acc", "dev_f1", "dev_wf1", "rates", "gradnorm",
        "update_ratio", "branch_acc", "branch_f1", "branch_wf1",
      ]
    return ["epochs"] + scores + [
      "stopped", "best_epoch", "stop_reason", "restored", "fusion_weights", "groups", "threads",
      "task", "last", "time", "csv", "jsonl",
    ]
  }

  /// Per optimizer group (a branch's MLP, a fine-tuned encoder's groups, the fusion
  /// weights): `rates`, `gradnorm` and `update_ratio`, each a record by group name of
  /// per-epoch lists. Epochs of a history written before groups were recorded are left out.
  private var groupRecord: Value {
    let epochs = history.epochs.compactMap(\.groups)
    let names = epochs.first?.map(\.name) ?? []
    func series(_ value: @escaping (GroupEpochStats) -> Value) -> Value {
      .record(
        names.indices.map { g in
          (names[g], .list(epochs.map { $0.indices.contains(g) ? value($0[g]) : .nothing }))
        })
    }
    return .record([
      ("rates", series { .decimal($0.learningRate) }),
      ("gradnorm", series { .number($0.gradientNorm) }),
      ("update_ratio", series { .number($0.updateRatio) }),
    ])
  }

  /// Seconds per epoch: the training pass, dev scoring and the whole epoch. Wall time, so
  /// it differs between runs; nothing else in the history does.
  private var timingRecord: Value {
    let timings = history.timings
    return .record([
      ("train", .numbers(timings.map(\.trainingSeconds))),
      ("dev", .numbers(timings.map(\.devSeconds))),
      ("total", .numbers(timings.map(\.totalSeconds))),
    ])
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

  /// The members of a classification history that a regression history has no values for.
  private static let classificationMembers: Set = [
    "acc", "dev_acc", "dev_f1", "dev_wf1", "branch_acc", "branch_f1", "branch_wf1",
  ]

  /// A regression statistic by its member name: of the training batches (`mae`), of dev
  /// (`dev_mae`) or of each branch on dev (`branch_mae`); nil for any other name.
  private func regressionMember(_ name: String) -> Value? {
    let scores = RegressionMetrics.scoreNames
    if name.hasPrefix("branch_") {
      let statistic = String(name.dropFirst("branch_".count))
      guard scores.contains(statistic) else { return nil }
      return perBranch { $0.devRegression?.score(named: statistic) ?? .nan }
    }
    if name.hasPrefix("dev_") {
      let statistic = String(name.dropFirst("dev_".count))
      guard scores.contains(statistic) else { return nil }
      return series { $0.devRegression?.score(named: statistic) ?? .nan }
    }
    guard scores.contains(name), name != "mse" else { return nil }
    return series { $0.trainRegression?.score(named: name) ?? .nan }
  }

  func member(_ name: String) -> Value? {
    if history.task == .regression {
      if let value = regressionMember(name) { return value }
      if Self.classificationMembers.contains(name) { return nil }
    }
    switch name {
    case "epochs": return .number(Double(history.epochs.count))
    case "loss": return series(\.trainLoss)
    case "dev_loss": return series(\.devLoss)
    case "threads": return .number(Double(history.threadCount))
    case "task": return .string(history.task.rawValue)
    case "acc": return series(\.trainAccuracy)
    case "dev_acc": return series(\.devAccuracy)
    case "dev_f1": return series(\.devMacroF1)
    case "dev_wf1": return series(\.devWeightedF1)
    case "rates": return perBranch { History.decimal($0.learningRate) }
    case "gradnorm": return perBranch(\.gradientNorm)
    case "update_ratio": return perBranch(\.updateRatio)
    case "branch_acc": return perBranch(\.devAccuracy)
    case "branch_f1": return perBranch(\.devMacroF1)
    case "branch_wf1": return perBranch(\.devWeightedF1)
    case "stopped": return .bool(history.stoppedEarly || history.stopReason != nil)
    case "best_epoch": return history.bestEpoch.map { .number(Double($0)) } ?? .nothing
    case "stop_reason": return history.stopReason.map { .string($0) } ?? .nothing
    case "restored": return .bool(history.restoredBest)
    case "fusion_weights":
      return .perModality(
        history.modalities,
        history.modalities.indices.map { m in
          .numbers(
            history.epochs.map { Double($0.fusionWeights.isEmpty ? 1 : $0.fusionWeights[m]) })
        })
    case "groups": return groupRecord
    case "last": return history.epochs.last.map(statsRecord) ?? .nothing
    case "time": return timingRecord
    case "csv": return .string(history.csv())
    case "jsonl": return .string(history.jsonLines())
    default: return nil
    }
  }
}

/// One epoch's statistics as a record: what a rate rule receives, and `h.last`.
func statsRecord(_ stats: EpochStats) -> Value {
  let names = stats.branches.map(\.modality)
  func perBranch(_ value: (BranchEpochStats) -> Double) -> Value {
    .perModality(names, stats.branches.map { .number(value($0)) })
  }
  let common: [(String, Value)] = [
    ("rates", perBranch { History.decimal($0.learningRate) }),
    ("gradnorm", perBranch(\.gradientNorm)), ("update_ratio", perBranch(\.updateRatio)),
  ]
  var fields: [(String, Value)]
  if let train = stats.trainRegression, let dev = stats.devRegression {
    fields = [
      ("epoch", .number(Double(stats.epoch))), ("loss", .number(stats.trainLoss)),
      ("mae", .number(train.meanAbsoluteError)), ("corr", .number(train.correlation)),
      ("acc2", .number(train.binaryAccuracy)), ("dev_loss", .number(stats.devLoss)),
    ]
    fields += RegressionMetrics.scoreNames.map { ("dev_\($0)", .number(dev.score(named: $0)!)) }
    fields += common
    fields += RegressionMetrics.scoreNames.map { name in
      ("branch_\(name)", perBranch { $0.devRegression?.score(named: name) ?? .nan })
    }
  } else {
    fields = [
      ("epoch", .number(Double(stats.epoch))), ("loss", .number(stats.trainLoss)),
      ("acc", .number(stats.trainAccuracy)), ("f1", .number(stats.trainMacroF1)),
      ("wf1", .number(stats.trainWeightedF1)), ("dev_loss", .number(stats.devLoss)),
      ("dev_acc", .number(stats.devAccuracy)), ("dev_f1", .number(stats.devMacroF1)),
      ("dev_wf1", .number(stats.devWeightedF1)),
    ]
    fields += common
    fields += [
      ("branch_acc", perBranch(\.devAccuracy)), ("branch_f1", perBranch(\.devMacroF1)),
      ("branch_wf1", perBranch(\.devWeightedF1)),
    ]
  }
  if !stats.fusionWeights.isEmpty {
    fields.append(
      ("fusion_weights", .perModality(names, stats.fusionWeights.map { .decimal($0) })))
  }
  return .record(fields)
}
