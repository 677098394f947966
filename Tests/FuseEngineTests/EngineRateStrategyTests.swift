import Foundation
import Testing

@testable import FuseEngine

@Suite("Rate strategies")
struct EngineRateStrategyTests {
  static let names = ["audio", "accel"]
  static let best: [Float?] = [0.1, 0.001]

  static func rates(_ strategy: RateStrategy) throws -> [Float] {
    try strategy.initialRates(bestRates: best, modalities: names)
  }

  static func close(_ a: [Float], _ b: [Double]) -> Bool {
    zip(a, b).allSatisfy { abs(Double($0) - $1) <= 1e-6 * $1 }
  }

  @Test func globalGivesEveryModalityTheSameRate() throws {
    #expect(try Self.rates(.global(0.03)) == [0.03, 0.03])
    // global needs no sweep.
    #expect(
      try RateStrategy.global(0.5).initialRates(bestRates: [nil, nil], modalities: Self.names) == [
        0.5, 0.5,
      ])
  }

  @Test func keepUsesTheBestRates() throws {
    #expect(try Self.rates(.keep) == [0.1, 0.001])
  }

  // g = sqrt(0.1 * 0.001) = 0.01. With alpha 0.5:
  // audio: exp(0.5 ln 0.1 + 0.5 ln 0.01) = sqrt(0.1 * 0.01) = sqrt(0.001) = 0.0316227766...
  // accel: sqrt(0.001 * 0.01) = sqrt(1e-5) = 0.00316227766...
  @Test func smoothInterpolatesInLogSpace() throws {
    #expect(
      Self.close(
        try Self.rates(.smooth(alpha: 0.5)), [0.031622776601683794, 0.0031622776601683794]))
    #expect(Self.close(try Self.rates(.smooth(alpha: 0)), [0.1, 0.001]))
    #expect(Self.close(try Self.rates(.smooth(alpha: 1)), [0.01, 0.01]))
    // alpha 0.25: exp(0.75 ln 0.1 + 0.25 ln 0.01) = 0.1^0.75 * 0.01^0.25 = 10^-1.25.
    #expect(Self.close(try Self.rates(.smooth(alpha: 0.25)), [pow(10, -1.25), pow(10, -2.75)]))
  }

  /// Rates by modality are read by name, whatever order they were given in, and need no
  /// sweep; they print as the record they were given in the language.
  @Test func perModalityRatesAreReadByName() throws {
    let given = RateStrategy.perModality(names: ["accel", "audio"], rates: [0.0003, 0.1])
    #expect(
      try given.initialRates(bestRates: [nil, nil], modalities: Self.names) == [0.1, 0.0003])
    #expect(given.description == "{accel: 0.0003, audio: 0.1}")
    #expect(given.isPerModality && !RateStrategy.keep.isPerModality)
  }

  @Test(arguments: [
    (["audio"], [Float(0.1)], "it has no rate for accel (the model's modalities: audio, accel)"),
    (
      ["audio", "accel", "video"], [0.1, 0.1, 0.1],
      "the model has no modality video (the model's modalities: audio, accel)"
    ),
    (
      ["audio", "video"], [0.1, 0.1],
      "it has no rate for accel; the model has no modality video "
        + "(the model's modalities: audio, accel)"
    ),
  ])
  func perModalityRatesMustNameEachModalityOfTheModel(
    names: [String], rates: [Float], reason: String
  ) {
    let strategy = RateStrategy.perModality(names: names, rates: rates)
    #expect(
      throws: EngineError.invalidOption(
        name: "rates", value: strategy.description, reason: reason)
    ) {
      try strategy.initialRates(bestRates: Self.best, modalities: Self.names)
    }
  }

  @Test func strategiesThatNeedASweepSayWhichModalityLacksOne() {
    #expect(throws: EngineError.missingBestRates(modalities: ["accel"], strategy: "keep")) {
      try RateStrategy.keep.initialRates(bestRates: [0.1, nil], modalities: Self.names)
    }
    #expect(throws: EngineError.self) {
      try RateStrategy.auto(window: 0, every: 1).initialRates(
        bestRates: Self.best, modalities: Self.names)
    }
  }

  /// smooth(2) used to swap the rates and smooth(-1) to extrapolate past them; a strategy
  /// outside its range is refused by name before any model uses it.
  @Test(arguments: [
    (RateStrategy.smooth(alpha: 2), "alpha"), (.smooth(alpha: -1), "alpha"),
    (.global(-1), "rate"), (.global(.infinity), "rate"),
    (.auto(window: 3, every: 1, cap: 0), "cap"),
    (.auto(window: 0, every: 1), "window"), (.auto(window: 3, every: 0), "every"),
    (.perModality(names: ["audio", "accel"], rates: [0.1, -1]), "accel"),
    (.perModality(names: ["audio", "accel"], rates: [.nan, 0.1]), "audio"),
    (.perModality(names: ["audio", "accel"], rates: [0.1, .infinity]), "accel"),
    (.perModality(names: ["audio", "audio"], rates: [0.1, 0.1]), "rates"),
    (.perModality(names: ["audio", "accel"], rates: [0.1]), "rates"),
  ])
  func outOfRangeStrategiesAreRefused(strategy: RateStrategy, argument: String) {
    #expect {
      try strategy.validate()
    } throws: { error in
      guard case EngineError.invalidOption(let name, _, _) = error else { return false }
      return name == argument
    }
    #expect(throws: EngineError.self) { try Self.rates(strategy) }
  }

  /// The bare "global" takes smooth(1)'s rate once a sweep set every best rate, else the
  /// rates in force (one shared rate, or their geometric mean when a rule spread them).
  @Test func theDefaultGlobalRateIsTheGeometricMeanOfTheBestRates() throws {
    let model = try FusionModel(dataset: EngineFixtures.blobs(), seed: 1)
    #expect(model.defaultGlobalRate == 0.01)
    model.currentRates = [0.1, 0.001]
    #expect(Self.close([model.defaultGlobalRate], [0.01]))
    model.bestRates = [0.1, nil]
    #expect(Self.close([model.defaultGlobalRate], [0.01]))
    model.bestRates = [0.3, 0.03]
    let smoothed = try model.rates(for: .smooth(alpha: 1))
    #expect(Self.close([model.defaultGlobalRate], smoothed.map(Double.init)))
    #expect(Self.close([model.defaultGlobalRate], [0.0948683298]))
  }

  // eta0 = [0.1, 0.001], window 2, every 1.
  // epoch 1: acc [0.5, 0.4], no previous validation: rates stay [0.1, 0.001]
  // epoch 2: acc [0.6, 0.2]: ratio [0.6/0.5, 0.2/0.4] = [1.2, 0.5] -> [0.12, 0.0005]
  // epoch 3: acc [0.55, 0.3]: mean of [0.5, 0.6] and [0.4, 0.2] = [0.55, 0.3] -> ratio 1 -> eta0
  // epoch 4: acc [0.9, 0.3]: window is epochs 2 and 3: means [0.575, 0.25]
  //          -> [0.1 * 0.9/0.575, 0.001 * 0.3/0.25] = [0.156521739..., 0.0012]
  @Test func autoRuleByHand() {
    var schedule = AutoRateSchedule(initialRates: [0.1, 0.001], window: 2, every: 1)
    let r1 = schedule.rates(afterEpoch: 1, branchAccuracies: [0.5, 0.4])!
    let r2 = schedule.rates(afterEpoch: 2, branchAccuracies: [0.6, 0.2])!
    let r3 = schedule.rates(afterEpoch: 3, branchAccuracies: [0.55, 0.3])!
    let r4 = schedule.rates(afterEpoch: 4, branchAccuracies: [0.9, 0.3])!
    #expect(Self.close(r1, [0.1, 0.001]))
    #expect(Self.close(r2, [0.12, 0.0005]))
    #expect(Self.close(r3, [0.1, 0.001]))
    #expect(Self.close(r4, [0.1 * 0.9 / 0.575, 0.0012]))
  }

  @Test func autoOnlyValidatesEveryNthEpoch() {
    var schedule = AutoRateSchedule(initialRates: [1], window: 3, every: 2)
    #expect(schedule.rates(afterEpoch: 1, branchAccuracies: [0.5]) == nil)
    #expect(schedule.rates(afterEpoch: 2, branchAccuracies: [0.5]) == [1])
    #expect(schedule.rates(afterEpoch: 3, branchAccuracies: [0.9]) == nil)
    #expect(Self.close(schedule.rates(afterEpoch: 4, branchAccuracies: [0.75])!, [1.5]))
  }
}
