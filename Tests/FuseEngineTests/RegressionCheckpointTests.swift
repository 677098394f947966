import Foundation
import Testing

@testable import FuseEngine

/// Checkpoints of regression models: the task travels with the file, a resumed run equals
/// one uninterrupted call, and a file is refused beside data of the other task.
@Suite("Regression checkpoints")
struct RegressionCheckpointTests {
  static func model(_ data: Dataset) throws -> FusionModel {
    let model = try FusionModel(
      dataset: data, shape: BranchShape(hidden: [8], dropout: 0.1), seed: 4)
    model.strategy = .global(0.03)
    return model
  }

  static func options(epochs: Int) -> TrainingOptions {
    var options = TrainingOptions(epochs: epochs, batchSize: 16, momentum: 0.9, seed: 8)
    options.loss = .meanAbsoluteError
    return options
  }

  @Test func aResumedRegressionRunEqualsOneCall() throws {
    let data = EngineFixtures.linearTargets()
    let whole = try Self.model(data)
    let wholeHistory = try train(whole, on: data, options: Self.options(epochs: 6))

    let path = try CheckpointFixtures.folder().appendingPathComponent("mae.safetensors").path
    do {
      let model = try Self.model(data)
      _ = try train(model, on: data, options: Self.options(epochs: 3))
      try model.save(to: path, dataset: data)
    }
    let loaded = try FusionModel.load(from: path, dataset: data)
    #expect(loaded.task == .regression)
    #expect(loaded.branches.allSatisfy { $0.outputCount == 1 })
    let history = try resume(loaded, on: data, epochs: 6)
    #expect(history.loss == .meanAbsoluteError)
    #expect(history == wholeHistory)
    try CheckpointFixtures.expectSame(loaded, whole, on: data)
  }

  @Test func aRegressionFileIsRefusedBesideClassificationData() throws {
    let data = EngineFixtures.linearTargets()
    let model = try Self.model(data)
    _ = try train(model, on: data, options: Self.options(epochs: 1))
    let path = try CheckpointFixtures.folder().appendingPathComponent("r.safetensors").path
    try model.save(to: path, dataset: data)

    // The same features, read as two classes by the sign of the target.
    var classes = data
    classes.task = .classification
    classes.classNames = ["negative", "positive"]
    for (name, split) in data.splits {
      classes.splits[name] = DataSplit(
        features: split.features, labels: split.targets.map { $0 >= 0 ? 1 : 0 })
    }
    #expect {
      _ = try FusionModel.load(from: path, dataset: classes)
    } throws: { error in
      "\(error)".contains(
        "checkpoint was trained for regression; this data set is a classification task")
    }
  }
}
