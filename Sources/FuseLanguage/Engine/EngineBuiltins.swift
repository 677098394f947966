import Foundation
import FuseEngine
import FuseFormat

/// The builtins that bind the engine: data, models, sweeps, training and evaluation.
struct EngineBuiltins {
  let host: EngineHost

  var all: [Builtin] {
    [
      load, show, model, sweep, global, smooth, auto, fuse, rates, train, evaluate, report,
      writeHistory, save, loadModel, threads,
    ] + ScheduleBuiltins(engine: self).all
  }

  var load: Builtin {
    Builtin(
      name: "load",
      summary: "Reads a data set: a folder with dataset.json, train/dev/test folders, or a CSV.",
      parameters: [
        ParameterSpec("path", accepts: "a path to a data set folder or CSV file"),
        ParameterSpec(
          "task", default: .nothing,
          accepts: "\"classification\" or \"regression\" (labels read as one number per sample)",
          defaultDescription: "none: the manifest's \"task\", else classification"),
      ],
      example: "data = load(\"data/htad\")\nscores = load(\"intensity.csv\", task: \"regression\")"
    ) { arguments in
      let path = try arguments.path("path")
      var task: LearningTask?
      if !arguments.isNothing("task") {
        guard let named = LearningTask(named: try arguments.string("task")) else {
          throw arguments.mismatch("task")
        }
        task = named
      }
      return .object(DatasetObject(try loadDataset(at: path, task: task)))
    }
  }

  var show: Builtin {
    Builtin(
      name: "show", summary: "Prints a value in its readable, multi-line form.",
      parameters: [ParameterSpec("x", accepts: "any value")],
      example: "show(data)"
    ) { arguments in
      let value = arguments["x"]
      if case .object(let object) = value {
        arguments.context.write(object.display + "\n")
      } else {
        arguments.context.write(value.description + "\n")
      }
      return .nothing
    }
  }

  func seed(_ arguments: Arguments) throws -> UInt64 {
    let value = try arguments.integer("seed")
    guard value >= 0 else { throw arguments.mismatch("seed") }
    return UInt64(value)
  }

  var sweep: Builtin {
    Builtin(
      name: "sweep",
      summary: "Trains each modality's branch alone at each rate; keeps the best on dev.",
      parameters: [
        ParameterSpec("model", accepts: "a model"),
        ParameterSpec(
          "rates",
          accepts: "a list of positive learning rates, or a record of such lists by modality"),
      ] + EngineBuiltins.trainingParameters,
      example: "best = sweep(m, rates: [0.001, 0.01, 0.1], epochs: 30)\n"
        + "best = sweep(t, rates: {text: [0.00002, 0.0001], context: [0.001, 0.01]}, epochs: 2)"
    ) { arguments in
      let target = try arguments.object("model", as: ModelObject.self)
      try target.beginWork("sweep")
      defer { target.endWork() }
      let grids = try sweepGrids(arguments, for: target.model)
      let options = try self.options(arguments, for: target.model)
      try self.checkUnusedSettings(
        arguments, options: options, groups: target.model.groupNames.filter { $0 != "fusion" },
        work: "sweep")
      let context = arguments.context
      let reporter = ProgressReporter(
        host: host, work: "sweep", epochs: options.epochs, batchSize: options.batchSize)
      let result: SweepResult
      do {
        result = try FuseEngine.sweep(
          target.model, on: target.dataset, grids: grids, options: options
        ) { event in
          reporter.sweepEvent(event, regression: target.model.task == .regression)
          return !context.isInterrupted
        }
      } catch EngineError.interrupted {
        try context.checkInterrupt()
        throw EngineError.interrupted("the sweep")
      }
      return .object(SweepObject(result))
    }
  }

  /// A sweep's grids, one per modality in the model's order: one list for all, or a record
  /// that gives every modality its own list and names no other.
  private func sweepGrids(_ arguments: Arguments, for model: FusionModel) throws -> [[Float]] {
    guard case .record(let fields) = arguments["rates"] else {
      return Array(repeating: try arguments.floats("rates"), count: model.branches.count)
    }
    let names = model.modalities.map(\.name)
    let values = try valuesByModality(
      fields, of: model, argument: "rates", each: "grid", ask: "give a list of rates")
    return try zip(names, values).map { name, value in
      guard case .list(let items) = value else {
        throw BuiltinError(
          "rates.\(name) is \(describeForError(value)); give a list of rates, such as"
            + " [0.001, 0.01]", argument: "rates")
      }
      return try items.enumerated().map { index, item in
        guard case .number(let number) = item else {
          throw BuiltinError(
            "rates.\(name)[\(index)] is \(describeForError(item)); rates must be numbers",
            argument: "rates")
        }
        return try arguments.float(number, "rates")
      }
    }
  }

  var train: Builtin {
    Builtin(
      name: "train",
      summary: "Trains the fused model jointly, one parameter group and rate per modality.",
      parameters: [ParameterSpec("model", accepts: "a model")] + EngineBuiltins.trainingParameters
        + EngineBuiltins.jointParameters,
      example:
        "h = train(m, epochs: 30, optimizer: \"adamw\", schedule: cosine(), monitor: \"dev_wf1\")"
    ) { arguments in
      let target = try arguments.object("model", as: ModelObject.self)
      try target.beginWork("train")
      defer { target.endWork() }
      if try arguments.bool("resume") { return try self.resumeTraining(arguments, target: target) }
      let model = target.model
      // A call that fails leaves the model's settings as they were: its rates, and fusion
      // weights given as a list. The weights and the history are those of the last
      // completed step or epoch, however training stopped (docs/training.md, Divergence).
      let settings = (model.strategy, model.currentRates, model.fusionWeights)
      var reporter: ProgressReporter?
      var history = History(modalities: target.names)
      let context = arguments.context
      do {
        var options = try self.options(arguments, for: model)
        try self.applyJointOptions(arguments, to: &options, target: target)
        try self.checkUnusedSettings(
          arguments, options: options,
          groups: model.groupNames.filter { $0 != "fusion" || options.learnFusionWeights },
          work: "train")
        let rule = try self.rateRule(arguments, names: target.names)
        let header =
          "train: \(counted(options.epochs, "epoch")), batch \(options.batchSize), "
          + "\(counted(host.threads, "thread")), rates \(model.strategy)"
          + (model.task == .regression
            ? ", loss \(options.lossFunction(for: model.task).rawValue)" : "")
          + (options.schedule == .constant ? "" : ", schedule \(options.schedule)")
          + (options.earlyStopping.map {
            ", early stopping on \($0.monitor) (patience \($0.patience))"
          } ?? "")
        let progress = ProgressReporter(
          host: host, work: "train", epochs: options.epochs, batchSize: options.batchSize)
        reporter = progress
        try FuseEngine.train(
          model, on: target.dataset, options: options, rateRule: rule, recordingInto: &history,
          progress: progress.trainingCallback(header: header, names: target.names, context: context)
        )
      } catch {
        var started = reporter?.started ?? false
        if started { target.recordTraining(history) }
        // Ctrl-C inside the rule keeps the model as the last step left it, settings included.
        let interrupted =
          error is InterruptRequest || (error as? Diagnostic)?.kind == .interrupted
        if !interrupted {
          (model.strategy, model.currentRates) = (settings.0, settings.1)
          if case .list = arguments["fusion"] { started = false }
          if !started { model.fusionWeights = settings.2 }
        }
        throw error
      }
      target.recordTraining(history)
      if history.stoppedEarly {
        try context.checkInterrupt()
      }
      reporter?.reportEnding(history)
      return .object(HistoryObject(history))
    }
  }

  /// rates:, fusion: and freeze: of train().
  func applyJointOptions(
    _ arguments: Arguments, to options: inout TrainingOptions, target: ModelObject
  ) throws {
    let model = target.model
    if !arguments.isNothing("rates") {
      let strategy = try self.strategy(arguments, "rates", for: model)
      model.currentRates = try self.strategyRates(strategy, of: model, argument: "rates")
      model.strategy = strategy
    }
    switch arguments["fusion"] {
    case .string(let word) where word.lowercased() == "fixed": break
    case .string(let word) where word.lowercased() == "learn": options.learnFusionWeights = true
    case .list:
      let weights = try arguments.floats("fusion")
      guard weights.count == model.branches.count, weights.allSatisfy(\.isFinite) else {
        throw BuiltinError(
          "fusion needs one finite weight per modality (\(model.branches.count)), got \(weights.count)",
          argument: "fusion")
      }
      guard weights.contains(where: { $0 != 0 }) else {
        throw BuiltinError(
          "fusion weights [" + weights.map { formatNumber($0) }.joined(separator: ", ")
            + "] are all zero: the fused logits would be 0 whatever the input, so the model "
            + "predicts nothing and no branch learns; make at least one non-zero",
          argument: "fusion")
      }
      model.fusionWeights = weights
    default:
      throw arguments.mismatch("fusion")
    }
    var frozen: [String] = []
    switch arguments["freeze"] {
    case .nothing: break
    case .string(let name): frozen = [name]
    case .list(let items):
      for item in items {
        guard case .string(let name) = item else { throw arguments.mismatch("freeze") }
        frozen.append(name)
      }
    default: throw arguments.mismatch("freeze")
    }
    for name in frozen {
      guard target.names.contains(name) || name == "fusion" else {
        throw BuiltinError(
          "freeze names '\(name)', which is not a modality; modalities: "
            + target.names.joined(separator: ", "), argument: "freeze")
      }
      // A modality that fine-tunes its encoder freezes with it.
      let encoderGroups = model.branches.first { $0.modality.name == name }?.encoderGroupNames
      for group in [name] + (encoderGroups ?? []) {
        options.groups[group, default: GroupOverride()].frozen = true
      }
    }

    // With every group frozen the epochs would run and change nothing.
    let fusionTrains = options.learnFusionWeights && !options.resolved(group: "fusion").0.frozen
    let groups = model.groupNames.filter { $0 != "fusion" }
    if !fusionTrains, groups.allSatisfy({ options.resolved(group: $0).0.frozen }) {
      throw BuiltinError(
        "every modality is frozen (" + target.names.joined(separator: ", ")
          + "), so train would change nothing; leave one unfrozen, or learn the fusion "
          + "weights with fusion: \"learn\"",
        argument: arguments.isGiven("freeze") ? "freeze" : "groups")
    }
  }

  /// The user's rule, wrapped so that the engine can call it with an epoch's statistics.
  func rateRule(_ arguments: Arguments, names: [String]) throws -> (
    (EpochStats) throws -> [Float]?
  )? {
    guard !arguments.isNothing("rule") else { return nil }
    let function = try arguments.function("rule")
    // Checked now: a rule that cannot take the statistics would fail only after epoch 1.
    if case .function(let callable) = function, !callable.accepts(positionalArguments: 1) {
      let (required, most) = callable.positionalRange
      let takes = most == 0 ? "takes no arguments" : "needs \(counted(required, "argument"))"
      throw BuiltinError(
        "rule must be a function of one argument, the epoch's statistics, such as "
          + "fn(s) { ... }; this one \(takes)", argument: "rule")
    }
    let context = arguments.context
    // The engine keeps rates as 32-bit floats; a number beyond them would reach it as inf,
    // and the message would name inf rather than what the rule returned.
    func rate(_ number: Double, for name: String?) throws -> Float {
      let rate = Float(number)
      let problem: String
      if number.isFinite, !rate.isFinite {
        problem = "beyond the range of 32-bit floats (about ±3.4e38)"
      } else if rate == 0, number != 0 {
        problem = "too small for a 32-bit float (the smallest is about 1.4e-45)"
      } else {
        return rate
      }
      throw BuiltinError(
        "the rate rule returned \(formatNumber(number))" + (name.map { " for '\($0)'" } ?? "")
          + ", \(problem), which rates are kept in; return a learning rate such as 0.01")
    }
    return { stats in
      let result = try context.call(function, [statsRecord(stats)])
      switch result {
      case .nothing: return nil
      case .number(let number):
        return Array(repeating: try rate(number, for: nil), count: names.count)
      case .list(let items):
        return try zip(items.indices, items).map { index, item in
          guard case .number(let number) = item else {
            throw BuiltinError("the rate rule must return numbers, got \(describeForError(item))")
          }
          return try rate(number, for: index < names.count ? names[index] : nil)
        }
      case .record(let fields):
        let byName = Dictionary(fields, uniquingKeysWith: { first, _ in first })
        return try names.map { name in
          guard case .number(let number)? = byName[name] else {
            throw BuiltinError("the rate rule's record needs a number for '\(name)'")
          }
          return try rate(number, for: name)
        }
      default:
        throw BuiltinError(
          "the rate rule must return a list of rates, a record by modality, a rate, or none; "
            + "got \(describeForError(result))")
      }
    }
  }

  var writeHistory: Builtin {
    Builtin(
      name: "write_history",
      summary:
        "Writes a training history, one row per epoch, as CSV (.csv) or JSON Lines (.jsonl).",
      parameters: [
        ParameterSpec("history", accepts: "a history (from train) or a model that was trained"),
        ParameterSpec("path", accepts: "a file name ending in .csv or .jsonl"),
      ],
      example: "write_history(h, \"history.csv\")"
    ) { arguments in
      let history: History
      if case .object(let object as ModelObject) = arguments["history"] {
        guard let trained = object.history else {
          throw BuiltinError("this model has not been trained yet; it has no history")
        }
        history = trained
      } else {
        history = try arguments.object("history", as: HistoryObject.self).history
      }
      let path = try arguments.path("path")
      try history.write(to: path)
      return .string(path)
    }
  }

  func evaluation(_ arguments: Arguments) throws -> ReportObject {
    let target = try arguments.object("model", as: ModelObject.self)
    let split = try arguments.string("split")
    let result = try FuseEngine.evaluate(target.model, on: target.dataset, split: split)
    var title =
      "\(split) split, \(counted(result.sampleCount, "sample")); rates "
      + target.strategyAndRates(joinedBy: ": ")
    // The thread count changes the last bits of sums, so a result says which it came from.
    if let trained = target.history?.threadCount {
      title += "; trained with \(counted(trained, "thread"))"
      if trained != result.threadCount { title += ", evaluated with \(result.threadCount)" }
    } else {
      title += "; evaluated with \(counted(result.threadCount, "thread"))"
    }
    return ReportObject(result, title: title)
  }

  var evaluate: Builtin {
    Builtin(
      name: "evaluate",
      summary:
        "Scores a model on a split, fused and per branch: accuracy, macro F1, weighted F1 "
        + "(regression: mse, mae, corr, acc2).",
      parameters: [
        ParameterSpec("model", accepts: "a model"),
        ParameterSpec("split", default: .string("dev"), accepts: "\"train\", \"dev\" or \"test\""),
      ],
      example: "evaluate(m, \"dev\").wf1"
    ) { arguments in
      .object(try self.evaluation(arguments))
    }
  }

  var report: Builtin {
    Builtin(
      name: "report",
      summary: "Prints the scores of a model on a split as a table, fused and per branch.",
      parameters: [
        ParameterSpec("model", accepts: "a model"),
        ParameterSpec("split", default: .string("dev"), accepts: "\"train\", \"dev\" or \"test\""),
        ParameterSpec(
          "classes", default: .bool(false),
          accepts:
            "true or false: add each class's precision, recall, F1 and support, and the "
            + "confusion matrix"),
      ],
      example: "report(m, \"test\")\nreport(m, \"test\", classes: true)"
    ) { arguments in
      let classes = try arguments.bool("classes")
      let target = try arguments.object("model", as: ModelObject.self)
      if classes, target.model.task == .regression {
        throw BuiltinError(
          "classes: true adds the per-class tables of a classification task; this model is for "
            + "regression, which has no classes", argument: "classes")
      }
      let result = try self.evaluation(arguments)
      var text = result.display
      if classes {
        text += "\n" + result.classTable + "\n" + result.confusionTable
      }
      arguments.context.write(text + "\n")
      return .nothing
    }
  }
}
