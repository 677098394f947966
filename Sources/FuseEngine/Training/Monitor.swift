/// A quantity watched across epochs (by early stopping and the plateau schedule): a fused
/// statistic such as "dev_wf1", or a branch's, written "audio.dev_acc".
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

  /// `mode` nil picks min for losses and gradient norms, max for scores.
  public init(_ name: String, mode: Mode? = nil) {
    self.name = name
    let lowered = name.split(separator: ".").last.map(String.init) ?? name
    let smallerIsBetter =
      lowered.hasSuffix("loss") || lowered == "gradnorm"
      || lowered == "update_ratio"
    self.mode = mode ?? (smallerIsBetter ? .min : .max)
  }

  public var description: String { "\(name) (\(mode.rawValue))" }

  /// Checks the name against the modalities; the test split is never a choice.
  func validate(modalities: [String]) throws {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    let known =
      parts.count == 1
      ? Monitor.fusedNames.contains(parts[0])
      : parts.count == 2 && modalities.contains(parts[0]) && Monitor.branchNames.contains(parts[1])
    guard known else {
      let branchExample = modalities.first.map { ", or \($0).dev_acc" } ?? ""
      throw EngineError.invalidOption(
        name: "monitor", value: "'\(name)'",
        reason: "use one of " + Monitor.fusedNames.joined(separator: ", ") + branchExample
          + " (branch statistics: " + Monitor.branchNames.joined(separator: ", ") + ")")
    }
  }

  /// The monitored value in one epoch's statistics.
  public func value(in stats: EpochStats) -> Double {
    let parts = name.split(separator: ".").map(String.init)
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

  func validate(modalities: [String]) throws {
    try monitor.validate(modalities: modalities)
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
