import Foundation
import Testing

@testable import FuseEngine

/// Runs the checkpoint and resume tests share: a model of two unlike branches (an MLP with
/// dropout on standardised features, a linear map on raw ones) trained with one recipe.
struct ResumeRecipe: CustomTestStringConvertible, Sendable {
  var name: String
  var options: TrainingOptions
  var strategy: RateStrategy
  var bestRates: [Float?] = [nil, nil]

  var testDescription: String { name }

  static let data = EngineFixtures.blobs(perClass: (20, 8, 8))

  static func model(_ recipe: ResumeRecipe) throws -> FusionModel {
    let model = try FusionModel(
      dataset: data,
      shapes: [
        BranchShape(hidden: [8], activation: .gelu, dropout: 0.2),
        BranchShape(hidden: [], dropout: 0, standardize: false),
      ], seed: 5)
    model.bestRates = recipe.bestRates
    model.strategy = recipe.strategy
    return model
  }

  /// Options for `epochs` epochs of this recipe.
  func options(epochs: Int) -> TrainingOptions {
    var options = self.options
    options.epochs = epochs
    return options
  }

  /// SGD with momentum and a step schedule; Adam with a cosine of its own length; `auto`;
  /// AdamW with learned fusion weights, warm-up, a plateau rule and early stopping that
  /// restores an earlier epoch without ever stopping.
  static let all: [ResumeRecipe] = [
    ResumeRecipe(
      name: "sgd, momentum, nesterov, step schedule",
      options: TrainingOptions(
        batchSize: 16, momentum: 0.9, seed: 3,
        groups: ["a": GroupOverride(nesterov: true)]
      ).with(schedule: .step(every: 2, gamma: 0.5)),
      strategy: .global(0.05)),
    ResumeRecipe(
      name: "adam, cosine, keep",
      options: TrainingOptions(
        batchSize: 16, seed: 4, optimizer: .adam,
        schedule: .cosine(epochs: 6, minFactor: 0.1)),
      strategy: .keep, bestRates: [0.01, 0.003]),
    ResumeRecipe(
      name: "sgd, auto",
      options: TrainingOptions(batchSize: 24, seed: 6, schedule: .exponential(gamma: 0.9)),
      strategy: .auto(window: 2, every: 1, cap: 2), bestRates: [0.05, 0.01]),
    ResumeRecipe(
      name: "adamw, learned fusion, warm-up, plateau, early stopping",
      options: TrainingOptions(
        batchSize: 16, seed: 8, optimizer: .adamw,
        schedule: .warmup(epochs: 2, startFactor: 0.2, then: .cosine(epochs: 5, minFactor: 0)),
        groups: [
          "b": GroupOverride(
            kind: .sgd,
            schedule: .plateau(
              monitor: Monitor("dev_loss"), factor: 0.5, patience: 0, threshold: 0,
              minRate: 0))
        ],
        earlyStopping: EarlyStopping(
          monitor: Monitor("loss", mode: .max), patience: 50, restoreBest: true),
        learnFusionWeights: true),
      strategy: .global(0.01)),
  ]
}

extension TrainingOptions {
  func with(schedule: RateSchedule) -> TrainingOptions {
    var options = self
    options.schedule = schedule
    return options
  }
}

enum CheckpointFixtures {
  /// A fresh folder for one test's files.
  static func folder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-checkpoint-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Every parameter value of the model, bit for bit.
  static func bits(of model: FusionModel) -> [[UInt32]] {
    model.branches.map { $0.parameters.flatMap { $0.value.values.map(\.bitPattern) } }
      + [model.fusionWeights.map(\.bitPattern)]
  }

  /// Expects two models to hold the same weights, rates and scores, bit for bit.
  static func expectSame(
    _ model: FusionModel, _ other: FusionModel, on data: Dataset,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(bits(of: model) == bits(of: other), "weights", sourceLocation: sourceLocation)
    #expect(model.currentRates == other.currentRates, "rates", sourceLocation: sourceLocation)
    for split in ["dev", "test"] {
      #expect(
        try evaluate(model, on: data, split: split) == evaluate(other, on: data, split: split),
        "\(split) scores", sourceLocation: sourceLocation)
    }
  }
}
