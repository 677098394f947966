import Foundation
import FuseFormat

/// How a group's learning rate changes over the epochs, as a factor multiplying the rate the
/// strategy gives (so a schedule composes with `keep`, `smooth`, `auto` and a user rule).
///
/// The factor is a pure function of the 0-based epoch index e, with PyTorch's formulas:
/// `step` is StepLR, `exponential` ExponentialLR, `cosine` CosineAnnealingLR, `warmup` LinearLR
/// followed (SequentialLR) by another schedule. Schedules change the rate once per epoch,
/// not per batch. `plateau` is the one schedule with state; see `PlateauTracker`.
public indirect enum RateSchedule: Equatable, Sendable, CustomStringConvertible {
  case constant

  /// gamma^floor(e / every).
  case step(every: Int, gamma: Float)

  /// gamma^e.
  case exponential(gamma: Float)

  /// minFactor + (1 - minFactor) (1 + cos(pi e / T)) / 2, with T = `epochs`, or the epochs
  /// left in training when nil; held at minFactor after T (PyTorch would rise again).
  case cosine(epochs: Int?, minFactor: Float)

  /// startFactor + (1 - startFactor) e / epochs during the first `epochs` epochs, then
  /// `then`, started afresh at its own epoch 0.
  case warmup(epochs: Int, startFactor: Float, then: RateSchedule)

  /// Multiplies the rate by `factor` when `monitor` has not improved for `patience` epochs
  /// (ReduceLROnPlateau, relative threshold), never below `minRate`.
  case plateau(monitor: Monitor, factor: Float, patience: Int, threshold: Double, minRate: Float)

  public var description: String {
    switch self {
    case .constant: return "constant"
    case .step(let every, let gamma): return "step(every: \(every), gamma: \(formatNumber(gamma)))"
    case .exponential(let gamma): return "exponential(gamma: \(formatNumber(gamma)))"
    case .cosine(let epochs, let minFactor):
      return "cosine(epochs: \(epochs.map(String.init) ?? "all"), min: \(formatNumber(minFactor)))"
    case .warmup(let epochs, let start, let then):
      return "warmup(epochs: \(epochs), start: \(formatNumber(start)), then: \(then))"
    case .plateau(let monitor, let factor, let patience, _, _):
      return "plateau(\(monitor), factor: \(formatNumber(factor)), patience: \(patience))"
    }
  }

  /// The factor for 0-based epoch `e` of a run of `span` epochs.
  ///
  /// It is computed from the decimals the numbers were given as (`History.decimal`), so
  /// that gamma 0.1 is 0.1 and not the 32-bit float's 0.10000000149.
  public func factor(at e: Int, span: Int) -> Double {
    switch self {
    case .constant, .plateau:
      return 1
    case .step(let every, let gamma):
      return pow(History.decimal(gamma), Double(e / every))
    case .exponential(let gamma):
      return pow(History.decimal(gamma), Double(e))
    case .cosine(let epochs, let minFactor):
      let period = epochs ?? span
      guard period > 0 else { return 1 }
      let progress = Double(min(e, period)) / Double(period)
      let low = History.decimal(minFactor)
      return low + (1 - low) * (1 + cos(Double.pi * progress)) / 2
    case .warmup(let epochs, let start, let then):
      guard e < epochs else { return then.factor(at: e - epochs, span: span - epochs) }
      let start = History.decimal(start)
      return start + (1 - start) * Double(e) / Double(epochs)
    }
  }

  /// True when the factors depend on the run's length: a cosine without its own `epochs`,
  /// alone or after a warm-up. Such a schedule is laid out over the epochs of the call that
  /// starts a run, so a resumed run cannot go past them and still follow it.
  public var stretchesOverRun: Bool {
    switch self {
    case .cosine(let epochs, _): return epochs == nil
    case .warmup(_, _, let then): return then.stretchesOverRun
    default: return false
    }
  }

  /// The plateau rule inside this schedule and the epochs of warm-up before it, if any.
  var plateau:
    (
      monitor: Monitor, factor: Float, patience: Int, threshold: Double,
      minRate: Float, after: Int
    )?
  {
    switch self {
    case .plateau(let monitor, let factor, let patience, let threshold, let minRate):
      return (monitor, factor, patience, threshold, minRate, 0)
    case .warmup(let epochs, _, let then):
      guard let inner = then.plateau else { return nil }
      return (
        inner.monitor, inner.factor, inner.patience, inner.threshold, inner.minRate,
        inner.after + epochs
      )
    default:
      return nil
    }
  }

  func validate(group: String? = nil) throws {
    func bad(_ value: Any, _ reason: String) -> EngineError {
      .invalidOption(
        name: GroupOverride.optionName("schedule", group: group), value: optionText(value),
        reason: reason)
    }
    switch self {
    case .constant: break
    case .step(let every, let gamma):
      guard every >= 1 else { throw bad(every, "step's `every` must be at least 1") }
      guard gamma.isFinite, gamma > 0 else { throw bad(gamma, "gamma must be above 0") }
    case .exponential(let gamma):
      guard gamma.isFinite, gamma > 0 else { throw bad(gamma, "gamma must be above 0") }
    case .cosine(let epochs, let minFactor):
      if let epochs, epochs < 1 { throw bad(epochs, "cosine's epochs must be at least 1") }
      guard minFactor >= 0, minFactor <= 1 else { throw bad(minFactor, "min must be in [0, 1]") }
    case .warmup(let epochs, let start, let then):
      guard epochs >= 1 else { throw bad(epochs, "warm-up epochs must be at least 1") }
      guard start > 0, start <= 1 else { throw bad(start, "warm-up start must be in (0, 1]") }
      try then.validate(group: group)
    case .plateau(_, let factor, let patience, let threshold, let minRate):
      guard factor > 0, factor < 1 else { throw bad(factor, "plateau factor must be in (0, 1)") }
      guard patience >= 0 else { throw bad(patience, "patience must be 0 or more") }
      guard threshold >= 0 else { throw bad(threshold, "threshold must be 0 or more") }
      guard minRate >= 0 else { throw bad(minRate, "min rate must be 0 or more") }
    }
  }
}

/// ReduceLROnPlateau's bookkeeping for one group: the best value seen and the epochs since.
struct PlateauTracker {
  let monitor: Monitor
  let factor: Float
  let patience: Int
  let threshold: Double
  let minRate: Float
  let after: Int
  var best: Double?
  var badEpochs = 0

  /// The multiplier so far; the run multiplies the scheduled rate by it.
  var scale: Double = 1

  init?(_ schedule: RateSchedule) {
    guard let rule = schedule.plateau else { return nil }
    (monitor, factor, patience, threshold, minRate, after) = (
      rule.monitor, rule.factor, rule.patience, rule.threshold, rule.minRate, rule.after
    )
  }

  /// Observes the value after 1-based `epoch`; `rate` is the rate the next epoch would use
  /// before this tracker's scale.
  mutating func observe(_ value: Double, epoch: Int, rate: Double) {
    guard epoch > after else { return }
    let improved: Bool
    if let best {
      improved =
        monitor.mode == .min
        ? value < best * (1 - threshold) : value > best * (1 + threshold)
    } else {
      improved = true
    }
    if improved {
      best = value
      badEpochs = 0
      return
    }
    badEpochs += 1
    guard badEpochs > patience else { return }
    badEpochs = 0
    let current = rate * scale
    let reduced = max(current * History.decimal(factor), History.decimal(minRate))
    if rate > 0 { scale = reduced / rate }
  }
}
