import Foundation
import Testing

@testable import FuseEngine

/// The rate strategies inside real training runs: the rates reach the optimizer's groups,
/// and `auto` updates them from each branch's own dev accuracy.
@Suite("Rate strategies during training")
struct RateStrategyTrainingTests {
  typealias F = EngineFixtures

  /// Dev accuracy of each branch's own argmax and of the fused argmax, counted here from
  /// the logits of an evaluation-mode forward pass.
  static func devAccuracies(_ model: FusionModel, _ data: Dataset) -> (
    branches: [Double], fused: Double
  ) {
    let dev = data.splits["dev"]!
    let classes = model.classNames.count
    var generator = SeededGenerator(seed: 0)
    var fused = [Float](repeating: 0, count: dev.count * classes)
    var branches: [Double] = []
    for (m, branch) in model.branches.enumerated() {
      branch.forward(branch.standardized(dev.features[m]), training: false, generator: &generator)
      let logits = branch.logits.values
      for index in fused.indices { fused[index] += model.fusionWeights[m] * logits[index] }
      branches.append(
        accuracy(logits.map { Double($0) }, labels: dev.labels, classes: classes))
    }
    return (branches, accuracy(fused.map { Double($0) }, labels: dev.labels, classes: classes))
  }

  static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * abs(b) }

  // Branch b always says class 2 (zero output weights, bias [0, 0, 2]) and is frozen, so its
  // own dev accuracy is the share of class 2 at every validation and its rate must never
  // move. Branch a learns, so its rate must. The fused predictions (a's logits plus b's
  // bias) differ from both, so a rule reading the fused accuracy, or the other branch's,
  // gives other rates than the ones expected here.
  @Test func autoFollowsEachBranchsOwnAccuracyAtEveryOtherEpoch() throws {
    let data = F.blobs(perClass: (30, 10, 10), separation: 1.5)
    let model = try FusionModel(
      dataset: data, shape: BranchShape(hidden: [8], dropout: 0.1), seed: 1)
    let output = try #require(model.branches[1].layers.last as? Linear)
    output.weight.value.values = Array(repeating: 0, count: output.weight.value.values.count)
    output.bias.value.values = [0, 0, 2]
    let eta0 = [0.02, 0.005]
    model.bestRates = eta0.map { Float($0) }
    model.strategy = .auto(window: 2, every: 2)
    var options = TrainingOptions(epochs: 8, batchSize: 16, seed: 3)
    options.groups["b"] = GroupOverride(frozen: true)

    var measured: [(branches: [Double], fused: Double)] = []
    let history = try train(
      model, on: data, options: options,
      progress: { event in
        if case .epochFinished = event { measured.append(Self.devAccuracies(model, data)) }
        return true
      })
    #expect(history.epochs.count == 8 && measured.count == 8)

    let dev = data.splits["dev"]!
    let share = Double(dev.labels.filter { $0 == 2 }.count) / Double(dev.count)
    #expect(measured.allSatisfy { $0.branches[1] == share })
    #expect(measured.contains { $0.fused != share })
    #expect(measured.contains { $0.fused != $0.branches[0] })
    for (stats, own) in zip(history.epochs, measured) {
      #expect(stats.branches.map(\.devAccuracy) == own.branches, "epoch \(stats.epoch)")
      #expect(stats.devAccuracy == own.fused, "epoch \(stats.epoch)")
    }

    // Validations after epochs 2, 4, 6 and 8, each setting the rates of the epochs after it:
    // eta_m = eta_m,0 * acc_m(now) / mean(acc_m over the previous 2 validations), and
    // eta_m,0 when there is no previous one. expected[e] is in force in epoch e + 1;
    // expected[8] is what the model holds after training.
    var expected = Array(repeating: eta0, count: 9)
    var validations: [[Double]] = []
    for epoch in stride(from: 2, through: 8, by: 2) {
      let now = measured[epoch - 1].branches
      let previous = validations.suffix(2)
      let rates = (0..<2).map { m -> Double in
        guard !previous.isEmpty else { return eta0[m] }
        let mean = previous.reduce(0) { $0 + $1[m] } / Double(previous.count)
        return eta0[m] * now[m] / mean
      }
      for e in epoch..<9 { expected[e] = rates }
      validations.append(now)
    }
    let recorded = history.epochs.map { $0.branches.map { Double($0.learningRate) } }
    for e in 0..<8 {
      for m in 0..<2 {
        #expect(Self.close(recorded[e][m], expected[e][m]), "epoch \(e + 1), branch \(m)")
      }
    }
    for m in 0..<2 { #expect(Self.close(Double(model.currentRates[m]), expected[8][m])) }
    #expect(recorded.allSatisfy { $0[1] == Double(Float(eta0[1])) })
    #expect(expected.contains { !Self.close($0[0], eta0[0]) })
  }

  @Test(
    "the strategy's starting rates are the optimizer's group rates",
    arguments: [
      (RateStrategy.global(0.03), [0.03, 0.03]),
      (.keep, [0.1, 0.001]),
      // g = sqrt(0.1 * 0.001) = 0.01; alpha 0.5 gives sqrt(0.1 * 0.01) and sqrt(0.001 * 0.01).
      (.smooth(alpha: 0.5), [(0.001).squareRoot(), (0.00001).squareRoot()]),
      // Given by name, in another order than the model's, and unrelated to the best rates.
      (.perModality(names: ["b", "a"], rates: [0.002, 0.05]), [0.05, 0.002]),
    ])
  func startingRatesReachTheGroups(strategy: RateStrategy, expected: [Double]) throws {
    let data = F.blobs(perClass: (10, 5, 5))
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [4]), seed: 2)
    model.bestRates = [0.1, 0.001]
    model.strategy = strategy
    var groupRates: [Float] = []
    let history = try train(
      model, on: data, options: TrainingOptions(epochs: 2, batchSize: 8, seed: 1),
      progress: { event in
        if case .started(let groups) = event { groupRates = groups.map(\.rate) }
        return true
      })
    #expect(groupRates.count == 2)
    for m in 0..<2 {
      #expect(Self.close(Double(groupRates[m]), expected[m]))
      #expect(
        history.epochs.allSatisfy { Self.close(Double($0.branches[m].learningRate), expected[m]) })
    }
  }
}
