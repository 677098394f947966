import Foundation
import Testing

@testable import FuseEngine

@Suite("Class weights in the loss")
struct ClassWeightsTests {
  // Two samples, two classes, weights [1, 3]: loss = (1 * l0 + 3 * l1) / (1 + 3), with
  // l = log(1 + e^(other - own)): logits [0, 0] give log 2, [2, 0] with label 1 log(1 + e^2).
  @Test func lossByHand() {
    let logits = Matrix(rows: 2, columns: 2, values: [0, 0, 2, 0])
    var gradient = Matrix(rows: 0, columns: 0)
    let loss = softmaxCrossEntropy(
      logits: logits, labels: [0, 1], gradient: &gradient, classWeights: [1, 3])
    let expected = (log(2.0) + 3 * log(1 + exp(2.0))) / 4
    #expect(abs(Double(loss) - expected) < 1e-6)
  }

  @Test func gradientMatchesFiniteDifferences() {
    let logits = EngineFixtures.randomMatrix(rows: 5, columns: 3, seed: 4)
    let labels = [0, 2, 1, 2, 2]
    let weights: [Float] = [2, 0.5, 1.5]
    var gradient = Matrix(rows: 0, columns: 0)
    softmaxCrossEntropy(logits: logits, labels: labels, gradient: &gradient, classWeights: weights)
    let parameter = Parameter(name: "z", value: logits)
    let numeric = EngineFixtures.numericalGradient(of: parameter, step: 1e-2) {
      Double(
        softmaxCrossEntropy(
          logits: parameter.value, labels: labels, gradient: &gradient,
          classWeights: weights))
    }
    softmaxCrossEntropy(logits: logits, labels: labels, gradient: &gradient, classWeights: weights)
    #expect(EngineFixtures.worstError(gradient, numeric) < 1e-2)
  }

  // sklearn's "balanced": n / (classes * count): counts [3, 1] of 4 give [2/3, 2].
  @Test func balancedWeightsAreInverseFrequency() throws {
    let weights = try ClassWeights.balanced.weights(labels: [0, 0, 0, 1], classCount: 2)
    #expect(weights == [Float(4.0 / 6.0), 2])
    #expect(throws: EngineError.self) {
      try ClassWeights.given([1]).weights(labels: [0, 1], classCount: 2)
    }
  }

  // Balanced weights on balanced classes are exactly 1 (120 / (3 * 40)), so training must
  // give the very numbers it gives without weights; once class 0 is rarer they must differ.
  @Test func balancedWeightsMatterOnlyWhenClassesAreUnbalanced() throws {
    func run(_ weights: ClassWeights, on data: Dataset) throws -> History {
      let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
      return try train(
        model, on: data, options: TrainingOptions(epochs: 2, batchSize: 16, classWeights: weights))
    }
    let data = EngineFixtures.blobs()
    let balanced = try run(.balanced, on: data)
    #expect(balanced == (try run(.none, on: data)))
    #expect(balanced.epochs.count == 2 && balanced.epochs.allSatisfy { $0.trainLoss.isFinite })

    // Class 0 sits on rows 0, 3, 6, ...: keep the first 4 of its 40 samples.
    var unbalanced = data
    let trainSplit = data.splits["train"]!
    let kept = trainSplit.labels.indices.filter { trainSplit.labels[$0] != 0 || $0 < 12 }
    unbalanced.splits["train"] = DataSplit(
      features: trainSplit.features.map { $0.rows(kept) },
      labels: kept.map { trainSplit.labels[$0] })
    let weighted = try run(.balanced, on: unbalanced)
    let plain = try run(.none, on: unbalanced)
    #expect(weighted.epochs[0].trainLoss != plain.epochs[0].trainLoss)
  }
}

@Suite("Class weights of extreme size")
struct LargeClassWeightsTests {
  /// Summed in Float, 64 weights of 1e38 overflowed and the loss came out as 0 or nan.
  @Test func equalHugeWeightsGiveTheUnweightedLoss() {
    let logits = EngineFixtures.randomMatrix(rows: 64, columns: 3, seed: 2)
    let labels = (0..<64).map { $0 % 3 }
    var gradient = Matrix(rows: 0, columns: 0)
    let plain = softmaxCrossEntropy(logits: logits, labels: labels, gradient: &gradient)
    let weighted = softmaxCrossEntropy(
      logits: logits, labels: labels, gradient: &gradient, classWeights: [1e38, 1e38, 1e38])
    #expect(abs(weighted - plain) < 1e-5)
    #expect(gradient.values.allSatisfy { $0.isFinite })
  }
}
