import FuseEngine

/// Reads the training keyword arguments of train() and sweep() into engine options.
extension EngineBuiltins {
  /// Options shared by sweep() and train(): the loop, the optimizer and early stopping.
  static let trainingParameters = [
    ParameterSpec("epochs", default: .number(30), accepts: "a whole number ≥ 0"),
    ParameterSpec("batch", default: .number(64), accepts: "a whole number ≥ 1"),
    ParameterSpec("seed", default: .number(0), accepts: "a whole number ≥ 0"),
    ParameterSpec(
      "optimizer", default: .string("sgd"), accepts: "\"sgd\", \"adam\" or \"adamw\""),
    ParameterSpec("momentum", default: .number(0.9), accepts: "a number in [0, 1)"),
    ParameterSpec("nesterov", default: .bool(false), accepts: "true or false"),
    ParameterSpec(
      "weight_decay", default: .nothing, accepts: "a number ≥ 0",
      defaultDescription: "by optimizer: 1e-4 for sgd, 0 for adam, 0.01 for adamw"),
    ParameterSpec(
      "betas", default: .list([.number(0.9), .number(0.999)]),
      accepts: "a list of two numbers in [0, 1)"),
    ParameterSpec("eps", default: .number(1e-8), accepts: "a positive number"),
    ParameterSpec(
      "clip", default: .nothing, accepts: "a positive gradient-norm limit",
      defaultDescription: "none: no clipping"),
    ParameterSpec(
      "schedule", default: .nothing,
      accepts: "a schedule such as cosine() or warmup(2, then: cosine())",
      defaultDescription: "none: constant"),
    ParameterSpec(
      "groups", default: .nothing,
      accepts: "a record of per-group settings, e.g. {audio: {optimizer: \"sgd\", lr: 0.01}}"),
    ParameterSpec(
      "monitor", default: .nothing,
      accepts:
        "a statistic to stop on, e.g. \"dev_wf1\" or \"audio.dev_acc\" (regression: "
        + "\"dev_mae\", \"dev_corr\", \"audio.dev_mae\", ...)",
      defaultDescription: "none: no early stopping"),
    ParameterSpec("patience", default: .number(5), accepts: "a whole number ≥ 1"),
    ParameterSpec("min_delta", default: .number(0), accepts: "a number ≥ 0"),
    ParameterSpec(
      "mode", default: .nothing, accepts: "\"min\" or \"max\"",
      defaultDescription: "by metric: \"min\" for losses, errors, gradient norms, update ratios"),
    ParameterSpec("warmup_epochs", default: .number(0), accepts: "a whole number ≥ 0"),
    ParameterSpec("restore_best", default: .bool(true), accepts: "true or false"),
    ParameterSpec(
      "class_weights", default: .nothing,
      accepts: "\"balanced\", a list of weights, or a record by class name (classification only)",
      defaultDescription: "none: every class weighs 1"),
    ParameterSpec(
      "loss", default: .nothing,
      accepts: "\"cross_entropy\" (classification), \"mse\" or \"mae\" (regression)",
      defaultDescription: "by task: cross_entropy, or mse for regression"),
  ]

  /// Options of train() alone.
  static let jointParameters = [
    ParameterSpec(
      "rates", default: .nothing,
      accepts:
        "a strategy (\"keep\", \"smooth\", \"auto\", \"global\", a rate, global(r), ...) "
        + "or a record of rates by modality, {audio: 0.1, ...}",
      defaultDescription: "none: the model's strategy"),
    ParameterSpec(
      "fusion", default: .string("fixed"),
      accepts: "\"fixed\", \"learn\", or a list of fusion weights w_m"),
    ParameterSpec(
      "freeze", default: .nothing, accepts: "a modality name or a list of them",
      defaultDescription: "none: every group trains"),
    ParameterSpec(
      "rule", default: .nothing, accepts: "a function of the epoch's statistics returning rates",
      defaultDescription: "none: no rule"),
    ParameterSpec(
      "resume", default: .bool(false),
      accepts:
        "true: continue the model's last run with its own settings, up to epoch `epochs` of "
        + "the run (left out: the epochs it was last given)"),
  ]

  func options(_ arguments: Arguments, for model: FusionModel) throws -> TrainingOptions {
    var options = TrainingOptions(
      epochs: try arguments.integer("epochs"), batchSize: try arguments.integer("batch"),
      seed: try seed(arguments))
    options.optimizer = try settings(arguments)
    if !arguments.isNothing("schedule") {
      options.schedule = try schedule(arguments["schedule"], arguments, "schedule")
    }
    if !arguments.isNothing("groups") {
      let known = model.groupNames
      for (name, value) in try arguments.record("groups") {
        guard known.contains(name) else {
          throw BuiltinError(
            "groups names '\(name)', but there is no such group; this model's groups are "
              + known.joined(separator: ", ") + didYouMean(name, among: known),
            argument: "groups")
        }
        options.groups[name] = try groupOverride(value, name: name, arguments)
      }
    }
    try checkEarlyStoppingFields(arguments)
    if !arguments.isNothing("monitor") {
      let mode = try monitorMode(arguments)
      options.earlyStopping = EarlyStopping(
        monitor: Monitor(try arguments.string("monitor"), mode: mode),
        patience: try arguments.integer("patience"),
        minDelta: try arguments.number("min_delta"),
        warmupEpochs: try arguments.integer("warmup_epochs"),
        restoreBest: try arguments.bool("restore_best"))
    }
    if model.task == .regression, !arguments.isNothing("class_weights") {
      throw BuiltinError(
        "class_weights weighs the classes of a classification task; this model is for "
          + "regression, which has none", argument: "class_weights")
    }
    options.classWeights = try classWeights(arguments, classNames: model.classNames)
    if !arguments.isNothing("loss") {
      let name = try arguments.string("loss")
      guard let loss = LossFunction(rawValue: name.lowercased()) else {
        throw BuiltinError(
          "unknown loss \(quoted(name)); use \"cross_entropy\" for classification, "
            + "\"mse\" or \"mae\" for regression", argument: "loss")
      }
      options.loss = loss
    }
    return options
  }

  private func monitorMode(_ arguments: Arguments) throws -> Monitor.Mode? {
    guard !arguments.isNothing("mode") else { return nil }
    guard let mode = Monitor.Mode(rawValue: try arguments.string("mode")) else {
      throw arguments.mismatch("mode")
    }
    return mode
  }

  private func settings(_ arguments: Arguments) throws -> OptimizerSettings {
    let name = try arguments.string("optimizer")
    guard let kind = OptimizerKind(rawValue: name.lowercased()) else {
      throw BuiltinError(
        "unknown optimizer \(quoted(name)); use \"sgd\", \"adam\" or \"adamw\"",
        argument: "optimizer")
    }
    let betas = try arguments.numbers("betas")
    guard betas.count == 2 else { throw arguments.mismatch("betas") }
    return OptimizerSettings(
      kind: kind, momentum: try arguments.float("momentum"),
      nesterov: try arguments.bool("nesterov"),
      weightDecay: arguments.isNothing("weight_decay")
        ? nil : try arguments.float("weight_decay"),
      beta1: Float(betas[0]), beta2: Float(betas[1]), epsilon: try arguments.float("eps"),
      maxGradientNorm: arguments.isNothing("clip") ? nil : try arguments.float("clip"))
  }

  /// One entry of `groups:`: a record whose fields override the defaults for that group.
  private func groupOverride(_ value: Value, name: String, _ arguments: Arguments) throws
    -> GroupOverride
  {
    guard case .record(let fields) = value else {
      throw BuiltinError(
        "groups.\(name) must be a record such as {optimizer: \"sgd\", lr: 0.01}, "
          + "got \(describeForError(value))", argument: "groups")
    }
    var override = GroupOverride()
    func number(_ field: String, _ value: Value) throws -> Float {
      guard case .number(let number) = value else {
        throw BuiltinError(
          "groups.\(name).\(field) must be a number, got \(describeForError(value))",
          argument: "groups")
      }
      return Float(number)
    }
    func flag(_ field: String, _ value: Value) throws -> Bool {
      guard case .bool(let flag) = value else {
        throw BuiltinError(
          "groups.\(name).\(field) must be true or false, got \(describeForError(value))",
          argument: "groups")
      }
      return flag
    }
    for (field, value) in fields {
      switch field {
      case "optimizer":
        guard case .string(let word) = value, let kind = OptimizerKind(rawValue: word.lowercased())
        else {
          throw BuiltinError(
            "groups.\(name).optimizer must be \"sgd\", \"adam\" or \"adamw\", got "
              + describeForError(value), argument: "groups")
        }
        override.kind = kind
      case "lr": override.learningRate = try number(field, value)
      case "momentum": override.momentum = try number(field, value)
      case "nesterov": override.nesterov = try flag(field, value)
      case "weight_decay": override.weightDecay = try number(field, value)
      case "eps": override.epsilon = try number(field, value)
      case "clip": override.maxGradientNorm = try number(field, value)
      case "frozen": override.frozen = try flag(field, value)
      case "betas":
        guard case .list(let items) = value, items.count == 2 else {
          throw BuiltinError(
            "groups.\(name).betas must be a list of two numbers", argument: "groups")
        }
        override.beta1 = try number(field, items[0])
        override.beta2 = try number(field, items[1])
      case "schedule": override.schedule = try schedule(value, arguments, "groups.\(name).schedule")
      default:
        throw BuiltinError(
          "groups.\(name) has no setting '\(field)'; use optimizer, lr, momentum, nesterov, "
            + "weight_decay, betas, eps, clip, frozen or schedule", argument: "groups")
      }
    }
    return override
  }

  func schedule(_ value: Value, _ arguments: Arguments, _ place: String) throws -> RateSchedule {
    switch value {
    case .object(let object as ScheduleObject): return object.schedule
    case .string(let word):
      switch word.lowercased() {
      case "constant": return .constant
      case "cosine": return .cosine(epochs: nil, minFactor: 0)
      default:
        throw BuiltinError(
          "unknown schedule \(quoted(word)) for \(place); use \"constant\", \"cosine\", or "
            + "step(), exponential(), cosine(), warmup(), plateau()", argument: place)
      }
    default:
      throw BuiltinError(
        "\(place) must be a schedule such as cosine() or warmup(2, then: cosine()), got "
          + describeForError(value), argument: place)
    }
  }

  private func classWeights(_ arguments: Arguments, classNames: [String]) throws -> ClassWeights {
    switch arguments["class_weights"] {
    case .nothing: return .none
    case .string(let word) where word.lowercased() == "balanced": return .balanced
    case .list:
      return .given(try arguments.floats("class_weights"))
    case .record(let fields):
      var weights = Array(repeating: Float(1), count: classNames.count)
      for (name, value) in fields {
        guard let index = classNames.firstIndex(of: name) else {
          throw BuiltinError(
            "class_weights names class '\(name)', which the data set does not have; classes: "
              + classNames.joined(separator: ", "), argument: "class_weights")
        }
        guard case .number(let weight) = value else { throw arguments.mismatch("class_weights") }
        weights[index] = Float(weight)
      }
      return .given(weights)
    default:
      throw arguments.mismatch("class_weights")
    }
  }
}
