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
      "\"keep\", \"smooth\", \"auto\", \"global\", a rate, or global(r), smooth(a), auto(w, e)")

  /// The strategy an argument names, for `model`. The bare word "global" takes the
  /// model's default shared rate (see `FusionModel.defaultGlobalRate`).
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
        throw BuiltinError(
          "unknown rate strategy \(quoted(word)); use \"keep\", \"smooth\", \"auto\", "
            + "\"global\" or global(rate)", argument: name)
      }
    case .object(let object as StrategyObject): strategy = object.strategy
    default: throw arguments.mismatch(name)
    }
    do {
      try strategy.validate()
    } catch EngineError.invalidOption(_, let value, let reason) {
      let error = EngineError.invalidOption(name: name, value: value, reason: reason)
      throw BuiltinError(error.description, argument: name)
    }
    return strategy
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
      let strategy = try self.strategy(arguments, "rates", for: source.model)
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
      let strategy = try self.strategy(arguments, "rates", for: target.model)
      target.model.currentRates = try target.model.rates(for: strategy)
      target.model.strategy = strategy
      return .perModality(target.names, target.model.currentRates.map { .decimal($0) })
    }
  }
}
