import Foundation
import Testing

@testable import FuseEngine

@Suite("Fusion weights")
struct FusionWeightTests {
  // dL/dw_m against central differences of the fused loss in w_m.
  @Test func gradientMatchesFiniteDifferences() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [6], dropout: 0), seed: 2)
    model.fusionWeights = [0.7, 1.3]
    let split = data.splits["train"]!
    let inputs = standardizedFeatures(of: split, for: model).map { matrix in
      var batch = Matrix(rows: 0, columns: 0)
      batch.gatherRows(of: matrix, at: 0..<12)
      return batch
    }
    let labels = Array(split.labels[0..<12])
    var generator = SeededGenerator(seed: 0)
    var buffers = FusionBuffers()
    _ = model.lossAndGradients(
      inputs: inputs, labels: labels, training: false, generator: &generator, buffers: &buffers)
    let analytic = buffers.fusionWeightGradient
    for m in 0..<2 {
      let saved = model.fusionWeights[m]
      func loss(_ w: Float) -> Double {
        model.fusionWeights[m] = w
        var scratch = FusionBuffers()
        return Double(
          model.lossAndGradients(
            inputs: inputs, labels: labels, training: false, generator: &generator,
            buffers: &scratch))
      }
      let step: Float = 1e-2
      let numeric = (loss(saved + step) - loss(saved - step)) / (2 * Double(step))
      model.fusionWeights[m] = saved
      #expect(abs(Double(analytic[m]) - numeric) < 1e-3 * (1 + abs(numeric)))
    }
  }

  @Test func learnedWeightsMoveAndFixedOnesDoNot() throws {
    let data = EngineFixtures.blobs()
    let fixed = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    fixed.fusionWeights = [1, 0.5]
    _ = try train(fixed, on: data, options: TrainingOptions(epochs: 2, batchSize: 16))
    #expect(fixed.fusionWeights == [1, 0.5])

    let learned = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    var options = TrainingOptions(epochs: 2, batchSize: 16, learnFusionWeights: true)
    options.groups["fusion"] = GroupOverride(kind: .adam, learningRate: 0.05)
    let history = try train(learned, on: data, options: options)
    #expect(learned.fusionWeights != [1, 1])
    #expect(history.epochs.last?.fusionWeights == learned.fusionWeights)
    #expect(history.epochs.last?.fusionLearningRate == 0.05)
  }

  @Test func frozenBranchKeepsItsWeights() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    let before = EngineFixtures.weights(of: model)
    var options = TrainingOptions(epochs: 2, batchSize: 16)
    options.groups["a"] = GroupOverride(frozen: true)
    let history = try train(model, on: data, options: options)
    let after = EngineFixtures.weights(of: model)
    #expect(after[0] == before[0])
    #expect(after[1] != before[1])
    #expect(history.epochs[0].branches[0].updateRatio == 0)
  }
}
