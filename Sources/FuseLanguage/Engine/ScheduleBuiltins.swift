import FuseEngine

/// A learning-rate schedule value, made by cosine(), warmup() and friends, passed to train().
final class ScheduleObject: HostObject {
  let schedule: RateSchedule

  init(_ schedule: RateSchedule) {
    self.schedule = schedule
  }

  var kindName: String { "schedule" }
  var display: String { "schedule: \(schedule)" }
  var memberNames: [String] { [] }
  func member(_ name: String) -> Value? { nil }
}

/// The builtins that make schedules.
struct ScheduleBuiltins {
  let engine: EngineBuiltins

  var all: [Builtin] { [constant, step, exponential, cosine, warmup, plateau] }

  private func make(_ schedule: RateSchedule) -> Value { .object(ScheduleObject(schedule)) }

  var constant: Builtin {
    Builtin(
      name: "constant", summary: "The schedule that keeps each rate as the strategy gives it.",
      parameters: [], example: "train(m, schedule: constant())"
    ) { _ in make(.constant) }
  }

  var step: Builtin {
    Builtin(
      name: "step", summary: "Multiplies the rate by gamma every `every` epochs (StepLR).",
      parameters: [
        ParameterSpec("every", accepts: "a whole number ≥ 1 (epochs)"),
        ParameterSpec("gamma", default: .number(0.1), accepts: "a positive number"),
      ],
      example: "train(m, schedule: step(10, gamma: 0.5))"
    ) { arguments in
      make(
        .step(every: try arguments.integer("every"), gamma: try arguments.float("gamma")))
    }
  }

  var exponential: Builtin {
    Builtin(
      name: "exponential", summary: "Multiplies the rate by gamma every epoch (ExponentialLR).",
      parameters: [ParameterSpec("gamma", accepts: "a positive number")],
      example: "train(m, schedule: exponential(0.95))"
    ) { arguments in make(.exponential(gamma: try arguments.float("gamma"))) }
  }

  var cosine: Builtin {
    Builtin(
      name: "cosine",
      summary: "Cosine annealing from the rate down to min times it (CosineAnnealingLR).",
      parameters: [
        ParameterSpec(
          "epochs", default: .nothing, accepts: "a whole number ≥ 1",
          defaultDescription: "none: the whole run"),
        ParameterSpec("min", default: .number(0), accepts: "a fraction of the rate in [0, 1]"),
      ],
      example: "train(m, schedule: cosine(min: 0.01))"
    ) { arguments in
      make(
        .cosine(
          epochs: arguments.isNothing("epochs") ? nil : try arguments.integer("epochs"),
          minFactor: try arguments.float("min")))
    }
  }

  var warmup: Builtin {
    Builtin(
      name: "warmup",
      summary: "Linear warm-up from start times the rate, then another schedule (or constant).",
      parameters: [
        ParameterSpec("epochs", accepts: "a whole number ≥ 1"),
        ParameterSpec("start", default: .number(0.1), accepts: "a fraction in (0, 1]"),
        ParameterSpec(
          "then", default: .nothing, accepts: "a schedule", defaultDescription: "none: constant"),
      ],
      example: "train(m, schedule: warmup(3, then: cosine()))"
    ) { arguments in
      let then =
        arguments.isNothing("then")
        ? RateSchedule.constant : try engine.schedule(arguments["then"], arguments, "then")
      return make(
        .warmup(
          epochs: try arguments.integer("epochs"),
          startFactor: try arguments.float("start"),
          then: then))
    }
  }

  var plateau: Builtin {
    Builtin(
      name: "plateau",
      summary: "Cuts the rate by factor when a statistic stops improving (ReduceLROnPlateau).",
      parameters: [
        ParameterSpec("monitor", default: .string("dev_loss"), accepts: "a statistic name"),
        ParameterSpec("factor", default: .number(0.1), accepts: "a number in (0, 1)"),
        ParameterSpec("patience", default: .number(10), accepts: "a whole number ≥ 0"),
        ParameterSpec("threshold", default: .number(1e-4), accepts: "a relative change ≥ 0"),
        ParameterSpec("min_rate", default: .number(0), accepts: "a rate ≥ 0"),
        ParameterSpec(
          "mode", default: .nothing, accepts: "\"min\" or \"max\"",
          defaultDescription: "by metric: \"min\" for losses, gradient norms, update ratios"),
      ],
      example: "train(m, schedule: plateau(\"dev_wf1\", factor: 0.5, patience: 2))"
    ) { arguments in
      var mode: Monitor.Mode?
      if !arguments.isNothing("mode") {
        guard let parsed = Monitor.Mode(rawValue: try arguments.string("mode")) else {
          throw arguments.mismatch("mode")
        }
        mode = parsed
      }
      return make(
        .plateau(
          monitor: Monitor(try arguments.string("monitor"), mode: mode),
          factor: try arguments.float("factor"),
          patience: try arguments.integer("patience"),
          threshold: try arguments.number("threshold"),
          minRate: try arguments.float("min_rate")))
    }
  }
}
