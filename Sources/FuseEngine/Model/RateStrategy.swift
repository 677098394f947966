import Foundation
import FuseFormat

/// How the per-modality learning rates are chosen during joint training.
///
/// `smooth` and `auto` are FuseLab's own definitions, built from the MSLR paper's abstract
/// and public reimplementations; the paper's full text was not available to us.
public enum RateStrategy: Equatable, Sendable, CustomStringConvertible {
  /// Every modality uses the same rate: the baseline.
  case global(Float)

  /// Each modality keeps its best unimodal rate from the sweep.
  case keep

  /// eta_m = exp((1 - alpha) ln eta*_m + alpha ln g), g the geometric mean of the eta*_m:
  /// alpha = 0 is `keep`, alpha = 1 gives every modality the rate g.
  case smooth(alpha: Float)

  /// Starts from eta*_m; after every `every`-th epoch's validation,
  /// eta_m = eta*_m * acc_m(now) / mean(acc_m over the previous `window` validations),
  /// where acc_m is the dev accuracy of modality m's own branch. With `cap`, one update
  /// changes a rate by at most that factor (the new rate stays within [old / cap, old * cap]).
  case auto(window: Int, every: Int, cap: Float? = nil)

  /// Each modality trains at the rate given for it by name, fixed: `keep` with rates of the
  /// user's choosing, such as another model's best rates. Every modality of the model must
  /// be named once, in any order.
  case perModality(names: [String], rates: [Float])

  /// True for rates given by modality name.
  public var isPerModality: Bool {
    if case .perModality = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .global(let rate): return "global(\(formatNumber(rate)))"
    case .keep: return "keep"
    case .perModality(let names, let rates):
      return "{" + zip(names, rates).map { "\($0): \(formatNumber($1))" }.joined(separator: ", ")
        + "}"
    case .smooth(let alpha): return "smooth(alpha: \(formatNumber(alpha)))"
    case .auto(let window, let every, let cap):
      return "auto(window: \(window), every: \(every)"
        + (cap.map { ", cap: \(formatNumber($0)))" } ?? ")")
    }
  }

  /// Checks the strategy's own numbers, whatever the model: a global rate positive and
  /// finite, alpha in [0, 1] (outside it `smooth` swaps or extrapolates the rates), auto's
  /// window and every at least 1 and its cap a finite factor above 1, and per-modality
  /// rates positive and finite, one for each name, no name twice.
  ///
  /// - Throws: `EngineError.invalidOption` named after the argument at fault: `rate`,
  ///   `alpha`, `window`, `every`, `cap`, or the modality whose rate is at fault.
  public func validate() throws {
    func bad(_ name: String, _ value: Any, _ reason: String) -> EngineError {
      .invalidOption(name: name, value: optionText(value), reason: reason)
    }
    switch self {
    case .global(let rate):
      guard rate.isFinite, rate > 0 else {
        throw bad("rate", rate, "a learning rate must be positive and finite")
      }
    case .keep:
      break
    case .smooth(let alpha):
      guard alpha.isFinite, alpha >= 0, alpha <= 1 else {
        throw bad("alpha", alpha, "alpha must be in [0, 1]: 0 keeps each best rate, 1 shares one")
      }
    case .auto(let window, let every, let cap):
      guard window >= 1 else { throw bad("window", window, "auto's window must be at least 1") }
      guard every >= 1 else { throw bad("every", every, "auto's every must be at least 1") }
      if let cap, !(cap.isFinite && cap > 1) {
        throw bad("cap", cap, "the cap must be a finite factor above 1")
      }
    case .perModality(let names, let rates):
      guard names.count == rates.count else {
        throw bad("rates", rates, "give one rate per name (\(names.count))")
      }
      if let twice = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
        throw bad("rates", description, "it names \(twice) twice; each modality takes one rate")
      }
      for (name, rate) in zip(names, rates) where !(rate.isFinite && rate > 0) {
        throw bad(name, rate, "a learning rate must be positive and finite")
      }
    }
  }

  /// The rates in force at the start of training, given the sweep's best rates.
  public func initialRates(bestRates: [Float?], modalities: [String]) throws -> [Float] {
    try validate()
    switch self {
    case .global(let rate):
      return Array(repeating: rate, count: modalities.count)
    case .keep, .auto:
      return try Self.required(bestRates, modalities: modalities, strategy: self)
    case .perModality(let names, let rates):
      let byName = Dictionary(uniqueKeysWithValues: zip(names, rates))
      let missing = modalities.filter { byName[$0] == nil }
      let unknown = names.filter { !modalities.contains($0) }
      guard missing.isEmpty, unknown.isEmpty else {
        let problems =
          (missing.isEmpty ? [] : ["it has no rate for " + missing.joined(separator: ", ")])
          + (unknown.isEmpty
            ? [] : ["the model has no modality " + unknown.joined(separator: ", ")])
        throw EngineError.invalidOption(
          name: "rates", value: description,
          reason: problems.joined(separator: "; ") + " (the model's modalities: "
            + modalities.joined(separator: ", ") + ")")
      }
      return modalities.map { byName[$0]! }
    case .smooth(let alpha):
      let best = try Self.required(bestRates, modalities: modalities, strategy: self)
      // From the rates' decimals, so that rates 0.1 and 0.001 give 0.01, not 0.010000001.
      let logs = best.map { log(History.decimal($0)) }
      let logGeometricMean = logs.reduce(0, +) / Double(logs.count)
      let mix = Double(alpha)
      return logs.map { Float(exp((1 - mix) * $0 + mix * logGeometricMean)) }
    }
  }

  private static func required(
    _ bestRates: [Float?], modalities: [String], strategy: RateStrategy
  ) throws -> [Float] {
    let missing = zip(modalities, bestRates).filter { $0.1 == nil }.map { $0.0 }
    guard missing.isEmpty else {
      throw EngineError.missingBestRates(modalities: missing, strategy: strategy.description)
    }
    return bestRates.map { $0! }
  }
}

/// The `auto` rule's bookkeeping: the validations seen so far, one accuracy per modality.
struct AutoRateSchedule {
  let initialRates: [Float]
  let window: Int
  let every: Int
  let cap: Float?
  var validations: [[Double]] = []

  init(initialRates: [Float], window: Int, every: Int, cap: Float? = nil) {
    self.initialRates = initialRates
    self.window = window
    self.every = every
    self.cap = cap
  }

  /// Records the dev accuracies after epoch `epoch` (1-based) and returns the new rates,
  /// or nil when this epoch is not a validation point.
  ///
  /// With no previous validation, or a previous mean of zero, the ratio is 1. `current`
  /// holds the rates in force, from which the cap measures the change.
  mutating func rates(
    afterEpoch epoch: Int, branchAccuracies: [Double], current: [Float]? = nil
  ) -> [Float]? {
    guard epoch % every == 0 else { return nil }
    let previous = validations.suffix(window)
    validations.append(branchAccuracies)
    return initialRates.indices.map { m in
      guard !previous.isEmpty else { return initialRates[m] }
      let mean = previous.reduce(0.0) { $0 + $1[m] } / Double(previous.count)
      let ratio = mean > 0 ? branchAccuracies[m] / mean : 1
      let proposed = Float(History.decimal(initialRates[m]) * ratio)
      guard let cap, let old = current?[m], old > 0 else { return proposed }
      return min(max(proposed, old / cap), old * cap)
    }
  }
}

extension FusionModel {
  /// The rate `global` uses when none is given: the geometric mean of the best unimodal
  /// rates once a sweep has set them all (the rate `smooth(1)` gives every modality), else
  /// the geometric mean of the rates in force, which is the shared rate when they agree.
  public var defaultGlobalRate: Float {
    let best = bestRates.compactMap { $0 }
    let rates = best.count == bestRates.count && !best.isEmpty ? best : currentRates
    guard !rates.isEmpty else { return 0.01 }
    let meanLog = rates.map { log(History.decimal($0)) }.reduce(0, +) / Double(rates.count)
    return Float(exp(meanLog))
  }
}
