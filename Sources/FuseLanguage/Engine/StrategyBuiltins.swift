import FuseEngine

/// The rate strategy builtins, global(), smooth() and auto(), and the two that apply a
/// strategy to a model, fuse() and rates().
extension EngineBuiltins {
  var global: Builtin {
    Builtin(
      name: "global", summary: "The strategy that gives every modality the same rate.",
      parameters: [ParameterSpec("rate", accepts: "a positive learning rate")],
      example: "g = fuse(m, rates: global(0.01))"
    ) { arguments in
      try strategyObject(.global(try arguments.float("rate")))
    }
  }

  var smooth: Builtin {
    Builtin(
      name: "smooth",
      summary: "Each modality's best rate pulled towards their geometric mean (0 keep, 1 shared).",
      parameters: [
        ParameterSpec("alpha", default: .number(0.5), accepts: "a number in [0, 1]")
      ],
      example: "s = fuse(m, rates: smooth(0.5))"
    ) { arguments in
      try strategyObject(.smooth(alpha: try arguments.float("alpha")))
    }
  }

  var auto: Builtin {
    Builtin(
      name: "auto",
      summary: "Rates rescaled by each branch's dev accuracy against its recent mean.",
      parameters: [
        ParameterSpec("window", default: .number(3), accepts: "a whole number ≥ 1"),
        ParameterSpec("every", default: .number(1), accepts: "a whole number of epochs ≥ 1"),
        ParameterSpec(
          "cap", default: .nothing,
          accepts: "a factor above 1 limiting each update (rate stays in [old/cap, old*cap])",
          defaultDescription: "none: no limit"),
      ],
      example: "a = fuse(m, rates: auto(window: 3, every: 1, cap: 2))"
    ) { arguments in
      try strategyObject(
        .auto(
          window: try arguments.integer("window"), every: try arguments.integer("every"),
          cap: arguments.isNothing("cap") ? nil : try arguments.float("cap")))
    }
  }

  /// A strategy value, checked as it is made so that a bad number is reported at its
  /// argument rather than when a model first uses it.
  private func strategyObject(_ strategy: RateStrategy) throws -> Value {
    do {
      try strategy.validate()
    } catch EngineError.invalidOption(let name, let value, let reason) {
      let error = EngineError.invalidOption(name: name, value: value, reason: reason)
      throw BuiltinError(error.description, argument: name)
    }
    return .object(StrategyObject(strategy))
  }

  static let strategyParameter = ParameterSpec(
    "rates",
    accepts:
      "\"keep\", \"smooth\", \"auto\", \"global\", a rate, global(r), smooth(a), auto(w, e), "
      + "or a record of rates by modality such as {audio: 0.1, accel: 0.03}")

  static let strategyWords = ["keep", "smooth", "auto", "global"]

  /// The strategy an argument names, for `model`. The bare word "global" takes the
  /// model's default shared rate (see `FusionModel.defaultGlobalRate`); a record gives each
  /// modality its own fixed rate.
  func strategy(_ arguments: Arguments, _ name: String, for model: FusionModel) throws
    -> RateStrategy
  {
    let strategy: RateStrategy
    switch arguments[name] {
    case .number: strategy = .global(try arguments.float(name))
    case .string(let word):
      switch word.lowercased() {
      case "keep": strategy = .keep
      case "smooth": strategy = .smooth(alpha: 0.5)
      case "auto": strategy = .auto(window: 3, every: 1)
      case "global": strategy = .global(model.defaultGlobalRate)
      default:
        let shown = word.count > 30 ? String(word.prefix(30)) + "..." : word
        throw BuiltinError(
          "unknown rate strategy \(quoted(shown)); use \"keep\", \"smooth\", \"auto\", "
            + "\"global\", global(rate) or a record of rates by modality"
            + didYouMean(word.lowercased(), among: EngineBuiltins.strategyWords), argument: name)
      }
    case .object(let object as StrategyObject): strategy = object.strategy
    case .record(let fields):
      strategy = try perModalityRates(fields, arguments, name, for: model)
    case .list:
      let names = model.modalities.map(\.name)
      throw BuiltinError(
        "argument '\(name)' to \(arguments.builtinName) takes one rate per modality as a record "
          + "by name, such as {" + names.map { "\($0): 0.01" }.joined(separator: ", ")
          + "}, not a list", argument: name)
    default: throw arguments.mismatch(name)
    }
    do {
      try strategy.validate()
    } catch EngineError.invalidOption(let field, let value, let reason) {
      // A record's rates are named by their place, rates.audio; other strategies' by the
      // argument.
      let place = strategy.isPerModality && field != "rates" ? "\(name).\(field)" : name
      let error = EngineError.invalidOption(name: place, value: value, reason: reason)
      throw BuiltinError(error.description, argument: name)
    }
    return strategy
  }

  /// A record of rates by modality name, `{audio: 0.1, accel: 0.03}`, as a strategy in the
  /// model's order. Every modality must have a number, and only the model's modalities may
  /// be named; the numbers themselves are checked with the strategy.
  private func perModalityRates(
    _ fields: [(String, Value)], _ arguments: Arguments, _ name: String,
    for model: FusionModel
  ) throws -> RateStrategy {
    let names = model.modalities.map(\.name)
    let values = try valuesByModality(
      fields, of: model, argument: name, each: "rate", ask: "give one")
    let rates = try zip(names, values).map { modality, value -> Float in
      let place = "\(name).\(modality)"
      guard case .number(let rate) = value else {
        let unset = value == .nothing ? " (best rates are none until a sweep sets them)" : ""
        throw BuiltinError(
          "\(place) must be a positive learning rate, got \(describeForError(value))\(unset)",
          argument: name)
      }
      do {
        return try arguments.float(rate, place)
      } catch let error as BuiltinError {
        throw BuiltinError(error.message, argument: name)
      }
    }
    return .perModality(names: names, rates: rates)
  }

  /// The rates `strategy` gives `model`; a strategy that needs a sweep first is refused at
  /// the argument `name` that gave it.
  func strategyRates(_ strategy: RateStrategy, of model: FusionModel, argument name: String) throws
    -> [Float]
  {
    do {
      return try model.rates(for: strategy)
    } catch let error as EngineError {
      guard case .missingBestRates = error else { throw error }
      throw BuiltinError(error.description, argument: name)
    }
  }

  static let branchOrigins = ["tuned", "fresh"]

  var fuse: Builtin {
    Builtin(
      name: "fuse",
      summary: "A copy of a model (tuned branches, or fresh weights) set to train with a strategy.",
      parameters: [
        ParameterSpec("model", accepts: "a model"), EngineBuiltins.strategyParameter,
        ParameterSpec(
          "from", default: .string("tuned"),
          accepts:
            "\"tuned\" (the branches as they are: after a sweep, the fine-tuned ones) or "
            + "\"fresh\" (the weights model() first drew from its seed; best rates kept)"),
      ],
      example: """
        keep = fuse(m, rates: "keep")
        scratch = fuse(m, rates: best.rates, from: "fresh")
        """
    ) { arguments in
      let source = try arguments.object("model", as: ModelObject.self)
      let strategy = try self.strategy(arguments, "rates", for: source.model)
      let fused: FusionModel
      switch try arguments.string("from").lowercased() {
      case "tuned": fused = source.model.copy()
      case "fresh": fused = try source.model.freshCopy()
      default:
        let word = try arguments.string("from")
        let shown = word.count > 30 ? String(word.prefix(30)) + "..." : word
        throw BuiltinError(
          "unknown value \(quoted(shown)) for 'from'; use \"tuned\" (the current branches) or "
            + "\"fresh\" (the weights the model was built with)"
            + didYouMean(word.lowercased(), among: EngineBuiltins.branchOrigins),
          argument: "from")
      }
      fused.currentRates = try self.strategyRates(strategy, of: fused, argument: "rates")
      fused.strategy = strategy
      return .object(ModelObject(model: fused, dataset: source.dataset))
    }
  }

  var rates: Builtin {
    Builtin(
      name: "rates",
      summary: "Sets a model's rate strategy in place and returns the rates it gives.",
      parameters: [ParameterSpec("model", accepts: "a model"), EngineBuiltins.strategyParameter],
      example: """
        rates(m, "keep")
        rates(m, {audio: 0.1, accel: 0.03})
        """
    ) { arguments in
      let target = try arguments.object("model", as: ModelObject.self)
      let strategy = try self.strategy(arguments, "rates", for: target.model)
      target.model.currentRates = try self.strategyRates(
        strategy, of: target.model, argument: "rates")
      target.model.strategy = strategy
      return .perModality(target.names, target.model.currentRates.map { .decimal($0) })
    }
  }
}
