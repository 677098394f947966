import Foundation
import Testing

@testable import FuseEngine

@Suite("Early stopping")
struct EarlyStoppingTests {
  @Test func improvementRespectsModeAndMinimumChange() {
    let rule = EarlyStopping(monitor: Monitor("dev_wf1"), patience: 2, minDelta: 0.01)
    #expect(rule.monitor.mode == .max)
    #expect(rule.improves(0.5, on: nil))
    #expect(!rule.improves(0.505, on: 0.5))
    #expect(rule.improves(0.52, on: 0.5))
    #expect(Monitor("dev_loss").mode == .min)
    #expect(Monitor("audio.dev_acc").mode == .max)
  }

  // The rates a schedule-free rule cannot improve on: with a huge minimum change nothing
  // after the first counted epoch improves, so training stops after warm-up + 1 + patience.
  @Test func stopsAfterPatienceAndRestoresTheBestEpoch() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    let options = TrainingOptions(
      epochs: 20, batchSize: 16,
      earlyStopping: EarlyStopping(
        monitor: Monitor("dev_wf1"), patience: 2, minDelta: 10, warmupEpochs: 1))
    let history = try train(model, on: data, options: options)
    #expect(history.epochs.count == 4)
    #expect(history.bestEpoch == 2)
    #expect(history.restoredBest)
    #expect(history.stopReason != nil)
    let report = try evaluate(model, on: data, split: "dev")
    #expect(report.fused.weightedF1 == history.epochs[1].devWeightedF1)
  }

  @Test func branchMonitorAndUnknownNames() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    var options = TrainingOptions(
      epochs: 3, batchSize: 16, earlyStopping: EarlyStopping(monitor: Monitor("b.dev_acc")))
    _ = try train(model, on: data, options: options)
    options.earlyStopping = EarlyStopping(monitor: Monitor("test_acc"))
    #expect(throws: EngineError.self) { try train(model, on: data, options: options) }
  }

  // Training reads only train and dev: a test split with labels no model could score
  // does not disturb it.
  @Test func theTestSplitIsNeverRead() throws {
    var data = EngineFixtures.blobs()
    data.splits["test"] = DataSplit(
      features: data.splits["test"]!.features, labels: data.splits["test"]!.labels.map { _ in 99 })
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    let options = TrainingOptions(
      epochs: 3, batchSize: 16, earlyStopping: EarlyStopping(monitor: Monitor("dev_acc")))
    _ = try train(model, on: data, options: options)
    #expect(throws: EngineError.self) { try evaluate(model, on: data, split: "test") }
  }
}
