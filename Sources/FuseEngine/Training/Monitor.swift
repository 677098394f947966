/// A quantity watched across epochs (by early stopping and the plateau schedule): a fused
/// statistic such as "dev_wf1" (for regression "dev_mae"), or a branch's, written
/// "audio.dev_acc".
public struct Monitor: Equatable, Sendable, Codable, CustomStringConvertible {
  public enum Mode: String, Equatable, Sendable, Codable { case min, max }

  public var name: String
  public var mode: Mode

  /// The fused statistics a monitor can name, and the branch statistics after "modality.".
  public static let fusedNames = [
    "loss", "acc", "f1", "wf1", "dev_loss", "dev_acc", "dev_f1", "dev_wf1",
  ]
  public static let branchNames = [
    "acc", "dev_acc", "dev_f1", "dev_wf1", "gradnorm", "update_ratio",
  ]

  /// The same for a regression model: mean squared and absolute error, Pearson's r and the
  /// binary (sign) accuracy.
  public static let regressionFusedNames = [
    "loss", "mae", "corr", "acc2", "dev_loss", "dev_mse", "dev_mae", "dev_corr", "dev_acc2",
  ]
  public static let regressionBranchNames = [
    "mae", "dev_mse", "dev_mae", "dev_corr", "dev_acc2", "gradnorm", "update_ratio",
  ]

  public static func fusedNames(for task: LearningTask) -> [String] {
    task == .regression ? regressionFusedNames : fusedNames
  }

  public static func branchNames(for task: LearningTask) -> [String] {
    task == .regression ? regressionBranchNames : branchNames
  }

  /// `mode` nil picks min for losses, errors, gradient norms and update ratios, max for
  /// scores.
  public init(_ name: String, mode: Mode? = nil) {
    self.name = name
    let lowered = name.split(separator: ".").last.map(String.init) ?? name
    let smallerIsBetter =
      lowered.hasSuffix("loss") || lowered.hasSuffix("mse") || lowered.hasSuffix("mae")
      || lowered == "gradnorm" || lowered == "update_ratio"
    self.mode = mode ?? (smallerIsBetter ? .min : .max)
  }

  public var description: String { "\(name) (\(mode.rawValue))" }

  /// Checks the name against the modalities and the task's statistics; the test split is
  /// never a choice. `option` is the option an error names (`schedule.monitor` for a
  /// plateau schedule's).
  func validate(modalities: [String], task: LearningTask, as option: String = "monitor") throws {
    let fused = Monitor.fusedNames(for: task)
    let branch = Monitor.branchNames(for: task)
    let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let known =
      parts.count == 1
      ? fused.contains(parts[0])
      : parts.count == 2 && modalities.contains(parts[0]) && branch.contains(parts[1])
    guard known else {
      let example = task == .regression ? "dev_mae" : "dev_acc"
      let branchExample = modalities.first.map { ", or \($0).\(example)" } ?? ""
      let prefix = task == .regression ? "for a regression model " : ""
      throw EngineError.invalidOption(
        name: option, value: "'\(name)'",
        reason: prefix + "use one of " + fused.joined(separator: ", ") + branchExample
          + " (branch statistics: " + branch.joined(separator: ", ") + ")")
    }
  }

  /// The monitored value in one epoch's statistics.
  public func value(in stats: EpochStats) -> Double {
    let parts = name.split(separator: ".").map(String.init)
    if let value = regressionValue(in: stats, parts: parts) { return value }
    if parts.count == 2, let branch = stats.branches.first(where: { $0.modality == parts[0] }) {
      switch parts[1] {
      case "acc": return branch.trainAccuracy
      case "dev_acc": return branch.devAccuracy
      case "dev_f1": return branch.devMacroF1
      case "dev_wf1": return branch.devWeightedF1
      case "gradnorm": return branch.gradientNorm
      default: return branch.updateRatio
      }
    }
    switch name {
    case "loss": return stats.trainLoss
    case "acc": return stats.trainAccuracy
    case "f1": return stats.trainMacroF1
    case "wf1": return stats.trainWeightedF1
    case "dev_loss": return stats.devLoss
    case "dev_acc": return stats.devAccuracy
    case "dev_f1": return stats.devMacroF1
    default: return stats.devWeightedF1
    }
  }

  /// A regression statistic (`dev_mae`, `audio.dev_corr`, ...), or nil for any other name.
  private func regressionValue(in stats: EpochStats, parts: [String]) -> Double? {
    func split(_ statistic: String, train: RegressionMetrics?, dev: RegressionMetrics?)
      -> Double?
    {
      statistic.hasPrefix("dev_")
        ? dev?.score(named: String(statistic.dropFirst(4))) : train?.score(named: statistic)
    }
    if parts.count == 2 {
      guard let branch = stats.branches.first(where: { $0.modality == parts[0] }) else {
        return nil
      }
      return split(parts[1], train: branch.trainRegression, dev: branch.devRegression)
    }
    return split(parts[0], train: stats.trainRegression, dev: stats.devRegression)
  }
}

/// Stops training when a monitored value has not improved for `patience` epochs, and by
/// default puts back the weights of the best epoch.
public struct EarlyStopping: Equatable, Sendable, Codable {
  public var monitor: Monitor
  public var patience: Int

  /// An improvement smaller than this does not count.
  public var minDelta: Double

  /// Epochs at the start that are neither compared nor counted.
  public var warmupEpochs: Int
  public var restoreBest: Bool

  public init(
    monitor: Monitor = Monitor("dev_loss"), patience: Int = 5, minDelta: Double = 0,
    warmupEpochs: Int = 0, restoreBest: Bool = true
  ) {
    self.monitor = monitor
    self.patience = patience
    self.minDelta = minDelta
    self.warmupEpochs = warmupEpochs
    self.restoreBest = restoreBest
  }

  /// Whether `value` beats `best` by more than the minimum change.
  func improves(_ value: Double, on best: Double?) -> Bool {
    guard value.isFinite else { return false }
    guard let best else { return true }
    return monitor.mode == .max ? value > best + minDelta : value < best - minDelta
  }

  func validate(modalities: [String], task: LearningTask) throws {
    try monitor.validate(modalities: modalities, task: task)
    func bad(_ name: String, _ value: Any, _ reason: String) -> EngineError {
      .invalidOption(name: name, value: optionText(value), reason: reason)
    }
    guard patience >= 1 else { throw bad("patience", patience, "must be at least 1") }
    guard minDelta.isFinite, minDelta >= 0 else {
      throw bad("min_delta", minDelta, "must be 0 or more")
    }
    guard warmupEpochs >= 0 else { throw bad("warmup_epochs", warmupEpochs, "must be 0 or more") }
  }
}
