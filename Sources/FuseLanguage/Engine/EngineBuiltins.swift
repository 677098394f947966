import Foundation
import FuseEngine

/// The builtins that bind the engine: data, models, sweeps, training and evaluation.
struct EngineBuiltins {
  let host: EngineHost

  var all: [Builtin] {
    [load, show, model, sweep, global, smooth, auto, fuse, rates, train, evaluate, report]
  }

  var load: Builtin {
    Builtin(
      name: "load",
      summary: "Reads a data set: a folder with dataset.json, train/dev/test folders, or a CSV.",
      parameters: [ParameterSpec("path", accepts: "a path to a data set folder or CSV file")],
      example: "data = load(\"data/htad\")"
    ) { arguments in
      let path = try arguments.string("path")
      return .object(DatasetObject(try loadDataset(at: path)))
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

  var model: Builtin {
    Builtin(
      name: "model",
      summary: "A fusion model with one MLP branch per modality of a data set.",
      parameters: [
        ParameterSpec("data", accepts: "a dataset"),
        ParameterSpec("hidden", default: .list([.number(128)]),
                      accepts: "a hidden width or a list of widths ([] for a linear branch)"),
        ParameterSpec("dropout", default: .number(0.1), accepts: "a number in [0, 1)"),
        ParameterSpec("standardize", default: .bool(true),
                      accepts: "true or false: z-score features with train statistics"),
        ParameterSpec("seed", default: .number(0), accepts: "a whole number ≥ 0"),
      ],
      example: "m = model(data, hidden: [128], dropout: 0.1, seed: 7)"
    ) { arguments in
      let data = try arguments.object("data", as: DatasetObject.self).dataset
      let hidden: [Int]
      if case .number = arguments["hidden"] {
        hidden = [try arguments.integer("hidden")]
      } else {
        hidden = try arguments.numbers("hidden").map { width in
          guard let whole = Int(exactly: width) else { throw arguments.mismatch("hidden") }
          return whole
        }
      }
      let shape = BranchShape(
        hidden: hidden, dropout: Float(try arguments.number("dropout")),
        standardize: try arguments.bool("standardize"))
      let built = try FusionModel(dataset: data, shape: shape, seed: try seed(arguments))
      return .object(ModelObject(model: built, dataset: data))
    }
  }

  static let trainingParameters = [
    ParameterSpec("epochs", default: .number(30), accepts: "a whole number ≥ 0"),
    ParameterSpec("batch", default: .number(64), accepts: "a whole number ≥ 1"),
    ParameterSpec("momentum", default: .number(0.9), accepts: "a number in [0, 1)"),
    ParameterSpec("weight_decay", default: .number(0.0001), accepts: "a number ≥ 0"),
    ParameterSpec("seed", default: .number(0), accepts: "a whole number ≥ 0"),
    ParameterSpec("optimizer", default: .string("sgd"), accepts: "\"sgd\""),
  ]

  func options(_ arguments: Arguments) throws -> TrainingOptions {
    TrainingOptions(
      epochs: try arguments.integer("epochs"), batchSize: try arguments.integer("batch"),
      momentum: Float(try arguments.number("momentum")),
      weightDecay: Float(try arguments.number("weight_decay")), seed: try seed(arguments),
      optimizer: try arguments.string("optimizer"))
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
        ParameterSpec("rates", accepts: "a list of positive learning rates"),
      ] + EngineBuiltins.trainingParameters,
      example: "best = sweep(m, rates: [0.001, 0.01, 0.1], epochs: 30)"
    ) { arguments in
      let target = try arguments.object("model", as: ModelObject.self)
      let rates = try arguments.numbers("rates").map(Float.init)
      let options = try self.options(arguments)
      let context = arguments.context
      let reporter = ProgressReporter(host: host, work: "sweep", epochs: options.epochs)
      let result: SweepResult
      do {
        result = try FuseEngine.sweep(
          target.model, on: target.dataset, rates: rates, options: options
        ) { event in
          reporter.sweepEvent(event)
          return !context.isInterrupted
        }
      } catch EngineError.interrupted {
        try context.checkInterrupt()
        throw EngineError.interrupted("the sweep")
      }
      return .object(SweepObject(result))
    }
  }

  var global: Builtin {
    Builtin(
      name: "global", summary: "The strategy that gives every modality the same rate.",
      parameters: [ParameterSpec("rate", accepts: "a positive learning rate")],
      example: "g = fuse(m, rates: global(0.01))"
    ) { arguments in
      .object(StrategyObject(.global(Float(try arguments.number("rate")))))
    }
  }

  var smooth: Builtin {
    Builtin(
      name: "smooth",
      summary: "Each modality's best rate pulled towards their geometric mean (0 keep, 1 shared).",
      parameters: [ParameterSpec("alpha", default: .number(0.5), accepts: "a number, usually in [0, 1]")],
      example: "s = fuse(m, rates: smooth(0.5))"
    ) { arguments in
      .object(StrategyObject(.smooth(alpha: Float(try arguments.number("alpha")))))
    }
  }

  var auto: Builtin {
    Builtin(
      name: "auto",
      summary: "Rates rescaled by each branch's dev accuracy against its recent mean.",
      parameters: [
        ParameterSpec("window", default: .number(3), accepts: "a whole number ≥ 1"),
        ParameterSpec("every", default: .number(1), accepts: "a whole number ≥ 1 (epochs)"),
      ],
      example: "a = fuse(m, rates: auto(window: 3, every: 1))"
    ) { arguments in
      .object(
        StrategyObject(
          .auto(window: try arguments.integer("window"), every: try arguments.integer("every"), cap: nil)))
    }
  }

  static let strategyParameter = ParameterSpec(
    "rates",
    accepts: "\"keep\", \"smooth\", \"auto\", a rate (global), or global(r), smooth(a), auto(w, e)")

  func strategy(_ arguments: Arguments, _ name: String) throws -> RateStrategy {
    switch arguments[name] {
    case .number(let rate): return .global(Float(rate))
    case .string(let word):
      switch word.lowercased() {
      case "keep": return .keep
      case "smooth": return .smooth(alpha: 0.5)
      case "auto": return .auto(window: 3, every: 1)
      case "global":
        throw BuiltinError("the global strategy needs a rate: global(0.01), or just 0.01")
      default:
        throw BuiltinError(
          "unknown rate strategy \(quoted(word)); use \"keep\", \"smooth\", \"auto\" or global(rate)")
      }
    case .object(let object as StrategyObject): return object.strategy
    default: throw arguments.mismatch(name)
    }
  }

  var fuse: Builtin {
    Builtin(
      name: "fuse",
      summary: "A copy of a model (its current branches) set to train with a rate strategy.",
      parameters: [
        ParameterSpec("model", accepts: "a model"), EngineBuiltins.strategyParameter,
      ],
      example: "keep = fuse(m, rates: \"keep\")"
    ) { arguments in
      let source = try arguments.object("model", as: ModelObject.self)
      let strategy = try self.strategy(arguments, "rates")
      let fused = source.model.copy()
      fused.currentRates = try fused.rates(for: strategy)
      fused.strategy = strategy
      return .object(ModelObject(model: fused, dataset: source.dataset))
    }
  }

  var rates: Builtin {
    Builtin(
      name: "rates",
      summary: "Sets a model's rate strategy in place and returns the rates it gives.",
      parameters: [ParameterSpec("model", accepts: "a model"), EngineBuiltins.strategyParameter],
      example: "rates(m, \"keep\")"
    ) { arguments in
      let target = try arguments.object("model", as: ModelObject.self)
      let strategy = try self.strategy(arguments, "rates")
      target.model.currentRates = try target.model.rates(for: strategy)
      target.model.strategy = strategy
      return .perModality(target.names, target.model.currentRates.map { .number(Double($0)) })
    }
  }

  var train: Builtin {
    Builtin(
      name: "train",
      summary: "Trains the fused model jointly, one parameter group and rate per modality.",
      parameters: [ParameterSpec("model", accepts: "a model")] + EngineBuiltins.trainingParameters,
      example: "h = train(m, epochs: 30, batch: 64, momentum: 0.9, seed: 7)"
    ) { arguments in
      let target = try arguments.object("model", as: ModelObject.self)
      let options = try self.options(arguments)
      let context = arguments.context
      let model = target.model
      let rates = try model.rates(for: model.strategy)
      host.report(
        .line(
          "train: \(options.epochs) epochs, batch \(options.batchSize), \(host.threads) thread"
            + (host.threads == 1 ? "" : "s") + ", rates \(model.strategy): "
            + target.ratesText(rates)))
      let reporter = ProgressReporter(host: host, work: "train", epochs: options.epochs)
      let history = try FuseEngine.train(model, on: target.dataset, options: options) { event in
        reporter.trainEvent(event, names: target.names)
        return !context.isInterrupted
      }
      target.history = history
      if history.stoppedEarly {
        try context.checkInterrupt()
      }
      return .object(HistoryObject(history))
    }
  }

  func evaluation(_ arguments: Arguments) throws -> ReportObject {
    let target = try arguments.object("model", as: ModelObject.self)
    let split = try arguments.string("split")
    let result = try FuseEngine.evaluate(target.model, on: target.dataset, split: split)
    let title =
      "\(split) split, \(result.fused.count) samples; rates \(target.model.strategy): "
      + target.ratesText(target.model.currentRates)
    return ReportObject(result, title: title)
  }

  var evaluate: Builtin {
    Builtin(
      name: "evaluate",
      summary: "Scores a model on a split: accuracy, macro F1, weighted F1, fused and per branch.",
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
      ],
      example: "report(m, \"test\")"
    ) { arguments in
      let result = try self.evaluation(arguments)
      arguments.context.write(result.display + "\n")
      return .nothing
    }
  }
}
