import Testing

@testable import FuseEngine

/// `sweep(_:on:grids:options:progress:)`: each modality tries the rates of its own grid and
/// no other, with the scores a shared grid gives the same rate.
@Suite("Sweeps with a grid per modality")
struct SweepGridTests {
  typealias F = EngineFixtures

  static let options = TrainingOptions(epochs: 3, batchSize: 16, seed: 4)
  static let grids: [[Float]] = [[0.003, 0.1], [0.3, 0.01, 0.03]]

  static func model(_ data: Dataset) throws -> FusionModel {
    try FusionModel(dataset: data, shape: BranchShape(hidden: [8], dropout: 0.1), seed: 2)
  }

  /// The sweep and the (modality, rate) pairs it reported, in order.
  static func sweepReporting(
    _ model: FusionModel, on data: Dataset, grids: [[Float]]
  ) throws -> (SweepResult, [(String, Float)]) {
    var points: [(String, Float)] = []
    let result = try sweep(model, on: data, grids: grids, options: options) { event in
      if case .sweepPoint(let modality, let rate, _) = event { points.append((modality, rate)) }
      return true
    }
    return (result, points)
  }

  @Test func eachModalityTrainsAtItsOwnRatesOnly() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    let (result, points) = try Self.sweepReporting(model, on: data, grids: Self.grids)

    #expect(points.map(\.0) == ["a", "a", "b", "b", "b"])
    #expect(points.map(\.1) == [0.003, 0.1, 0.3, 0.01, 0.03])
    #expect(result.grids == Self.grids)
    for scores in [result.devAccuracy, result.devMacroF1, result.devWeightedF1] {
      #expect(scores.map(\.count) == [2, 3])
    }
    #expect(result.diverged == [[false, false], [false, false, false]])
    #expect(result.devRegression.isEmpty)

    // The best of each modality's own grid: the highest accuracy, then macro F1, then the
    // lower rate.
    for m in 0..<2 {
      let best = Self.grids[m].indices.max { i, j in
        let (a, b) = (
          (result.devAccuracy[m][i], result.devMacroF1[m][i], -Self.grids[m][i]),
          (result.devAccuracy[m][j], result.devMacroF1[m][j], -Self.grids[m][j])
        )
        return a < b
      }!
      #expect(result.bestRates[m] == Self.grids[m][best], "modality \(m)")
    }
    #expect(model.bestRates == result.bestRates.map { Optional($0) })
  }

  /// The same seed trains a branch the same way whatever else the sweep tries, so a rate
  /// scores the same in a modality's own grid as in a shared grid that holds it.
  @Test func aRateScoresAsItDoesInASharedGrid() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    let twin = model.copy()
    let (own, _) = try Self.sweepReporting(model, on: data, grids: Self.grids)
    let union: [Float] = [0.1, 0.003, 0.01, 0.3, 0.03]
    let shared = try sweep(twin, on: data, rates: union, options: Self.options)

    #expect(shared.sharesGrid && shared.grids == [union, union])
    for m in 0..<2 {
      for (r, rate) in Self.grids[m].enumerated() {
        let s = union.firstIndex(of: rate)!
        #expect(own.devAccuracy[m][r] == shared.devAccuracy[m][s], "modality \(m) at \(rate)")
        #expect(own.devMacroF1[m][r] == shared.devMacroF1[m][s], "modality \(m) at \(rate)")
        #expect(own.devWeightedF1[m][r] == shared.devWeightedF1[m][s], "modality \(m) at \(rate)")
      }
    }
    // The scores differ between rates, so equal scores are not a coincidence of flat ones.
    #expect(Set(own.devAccuracy[1]).count > 1 || Set(own.devMacroF1[1]).count > 1)
  }

  /// When both sweeps choose the same rate for a modality they keep the same weights.
  @Test func theKeptBranchIsTheOneItsOwnRateTrained() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    let initial = model.copy()
    let (result, _) = try Self.sweepReporting(model, on: data, grids: Self.grids)
    for m in 0..<2 {
      let alone = FusionModel(branches: [initial.branches[m].copy()], classNames: data.classNames)
      alone.strategy = .global(result.bestRates[m])
      _ = try train(alone, on: data.restricted(to: m), options: Self.options)
      #expect(
        alone.branches[0].parameters.map(\.value)
          == model.branches[m].parameters.map(\.value), "modality \(m)")
    }
  }

  @Test func ratesAreTheSharedGridInItsOrderOrEveryRateAscending() {
    var result = SweepResult(
      grids: [[0.1, 0.001, 0.01], [0.1, 0.001, 0.01]], modalities: ["a", "b"],
      devAccuracy: [], devMacroF1: [], devWeightedF1: [], devRegression: [], diverged: [],
      bestRates: [])
    #expect(result.sharesGrid)
    #expect(result.rates == [0.1, 0.001, 0.01])

    result.grids = [[0.1, 0.001], [0.03, 0.1, 0.0001]]
    #expect(!result.sharesGrid)
    #expect(result.rates == [0.0001, 0.001, 0.03, 0.1])

    result.grids = [[0.01], [0.01, 0.02]]
    #expect(!result.sharesGrid)
    #expect(result.rates == [0.01, 0.02])
  }

  @Test func aBadGridIsNamedByItsModalityWhenTheGridsDiffer() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    #expect(
      throws: EngineError.invalidOption(
        name: "rates.b", value: "[]", reason: "give at least one rate")
    ) {
      _ = try sweep(model, on: data, grids: [[0.1], []], options: Self.options)
    }
    #expect(
      throws: EngineError.invalidOption(
        name: "rates.a", value: "-0.5", reason: "learning rates must be positive and finite")
    ) {
      _ = try sweep(model, on: data, grids: [[0.1, -0.5], [0.1]], options: Self.options)
    }
    #expect(
      throws: EngineError.invalidOption(
        name: "rates.b", value: "inf", reason: "learning rates must be positive and finite")
    ) {
      _ = try sweep(model, on: data, grids: [[0.1], [.infinity]], options: Self.options)
    }
    // One grid for all is the `rates` argument itself.
    #expect(
      throws: EngineError.invalidOption(
        name: "rates", value: "0", reason: "learning rates must be positive and finite")
    ) {
      _ = try sweep(model, on: data, rates: [0.1, 0], options: Self.options)
    }
    // A refused sweep trained nothing: the model has no best rates yet.
    #expect(model.bestRates == [nil, nil])
  }

  @Test func aRegressionSweepKeepsAScorePerRateOfEachGrid() throws {
    let data = F.linearTargets(counts: (80, 30, 30))
    let model = try Self.model(data)
    let result = try sweep(model, on: data, grids: [[0.01], [0.003, 0.03]], options: Self.options)
    #expect(result.devRegression.map(\.count) == [1, 2])
    #expect(result.devRegression.joined().allSatisfy { $0.meanAbsoluteError > 0 })
    let bestB =
      result.devRegression[1][0].meanAbsoluteError
        <= result.devRegression[1][1].meanAbsoluteError ? Float(0.003) : 0.03
    #expect(result.bestRates == [0.01, bestB])
  }
}
