import FuseEngine
import FuseFormat

/// Settings that a train() or sweep() call gives but that nothing would read: each is an
/// error at its argument, since silently dropping it would train something other than what
/// the script says.
extension EngineBuiltins {
  /// The options that only early stopping reads, which is off without `monitor:`.
  static let earlyStoppingFields = [
    "patience", "min_delta", "mode", "warmup_epochs", "restore_best",
  ]

  /// Refuses early-stopping settings given without a monitor.
  func checkEarlyStoppingFields(_ arguments: Arguments) throws {
    guard arguments.isNothing("monitor") else { return }
    for field in EngineBuiltins.earlyStoppingFields where arguments.isGiven(field) {
      throw BuiltinError(
        "\(field) is a setting of early stopping, which is off without monitor:; give the "
          + "statistic to stop on as well, such as monitor: \"dev_loss\", or leave \(field) out",
        argument: field)
    }
  }

  /// Refuses SGD's settings where no group that trains is SGD, and a `fusion` group when
  /// there are no learned fusion weights for it. `groups` are the groups that exist: the
  /// modalities, and "fusion" when the fusion weights are learned.
  func checkUnusedSettings(
    _ arguments: Arguments, options: TrainingOptions, groups: [String], work: String
  ) throws {
    let given = arguments.isNothing("groups") ? [] : try arguments.record("groups").map(\.0)
    if given.contains("fusion"), !groups.contains("fusion") {
      throw BuiltinError(
        work == "sweep"
          ? "groups.fusion sets the group of the learned fusion weights, which a sweep does not "
            + "have: it trains each branch alone; leave groups.fusion out"
          : "groups.fusion sets the group of the learned fusion weights, which this run does not "
            + "have: its fusion weights are fixed; add fusion: \"learn\" to train them",
        argument: "groups")
    }

    for field in ["momentum", "nesterov"] where arguments.isGiven(field) {
      let readers = groups.filter { name in
        let own = options.groups[name]
        let overridden = field == "momentum" ? own?.momentum != nil : own?.nesterov != nil
        return options.resolved(group: name).0.kind == .sgd && !overridden
      }
      guard readers.isEmpty else { continue }
      let kind = options.optimizer.kind
      throw BuiltinError(
        "\(field) is a setting of SGD, which no group here would read: "
          + (kind == .sgd
            ? "each group sets its own optimizer or \(field)"
            : "optimizer \(quoted(kind.rawValue)) has no momentum (Adam's betas play its part)")
          + "; leave \(field) out",
        argument: field)
    }
    for field in ["betas", "eps"] where arguments.isGiven(field) {
      let readers = groups.filter { name in
        let own = options.groups[name]
        let overridden = field == "betas" ? own?.beta1 != nil : own?.epsilon != nil
        return options.resolved(group: name).0.kind != .sgd && !overridden
      }
      guard readers.isEmpty else { continue }
      throw BuiltinError(
        "\(field) is a setting of Adam and AdamW, which no group here would read: "
          + (options.optimizer.kind == .sgd
            ? "the optimizer is \"sgd\"; give optimizer: \"adam\" or \"adamw\", or leave"
              + " \(field) out"
            : "each group sets its own optimizer or \(field); leave \(field) out"),
        argument: field)
    }
    for name in groups {
      guard let own = options.groups[name] else { continue }
      let kind = options.resolved(group: name).0.kind
      if kind == .sgd {
        for (field, isSet) in [("betas", own.beta1 != nil), ("eps", own.epsilon != nil)]
        where isSet {
          throw BuiltinError(
            "groups.\(name).\(field) is a setting of Adam and AdamW, but this group's optimizer"
              + " is sgd; leave it out, or give the group optimizer: \"adam\" or \"adamw\"",
            argument: "groups")
        }
      }
      guard kind != .sgd else { continue }
      for (field, isSet) in [("momentum", own.momentum != nil), ("nesterov", own.nesterov != nil)]
      where isSet {
        throw BuiltinError(
          "groups.\(name).\(field) is a setting of SGD, but this group's optimizer is "
            + "\(kind.rawValue), which has no momentum (Adam's betas play its part); leave it "
            + "out, or give the group optimizer: \"sgd\"",
          argument: "groups")
      }
    }
  }
}
