import Foundation
import Testing

@testable import FuseEngine

/// A model that fine-tunes a text encoder, saved and loaded: the encoder's tensors under
/// `text.encoder.` by their `BertModel` names, its optimizer moments likewise, and a resumed
/// run equal bit for bit to one uninterrupted call.
@Suite("Checkpoints of a fine-tuning model")
struct FineTuningCheckpointTests {
  typealias T = TextFusionFixtures
  typealias F = CheckpointFixtures

  struct Recipe: CustomTestStringConvertible, Sendable {
    var name: String
    var tuning: EncoderTuning
    var options: TrainingOptions
    var testDescription: String { name }

    func options(epochs: Int) -> TrainingOptions {
      var options = self.options
      options.epochs = epochs
      return options
    }
  }

  static let recipes = [
    Recipe(
      name: "sgd with momentum, the encoder whole at its own rate",
      tuning: .whole,
      options: TrainingOptions(
        batchSize: 8, momentum: 0.9, seed: 3,
        groups: ["text.encoder": GroupOverride(learningRate: 0.002)])),
    Recipe(
      name: "adam by block, the embeddings frozen, learned fusion weights",
      tuning: .blocks,
      options: TrainingOptions(
        batchSize: 10, seed: 4, optimizer: .adam, schedule: .step(every: 2, gamma: 0.5),
        groups: ["text.embeddings": GroupOverride(frozen: true)], learnFusionWeights: true)),
  ]

  static func model(_ recipe: Recipe) throws -> FusionModel {
    let model = try T.model(recipe.tuning)
    model.strategy = .global(0.01)
    return model
  }

  static func load(_ path: String) throws -> FusionModel {
    try FusionModel.load(from: path, dataset: T.data, pretrainedEncoder: { _ in T.pretrained })
  }

  @Test(arguments: recipes)
  func resumingFromACheckpointEqualsOneCall(recipe: Recipe) throws {
    let whole = try Self.model(recipe)
    let wholeHistory = try train(whole, on: T.data, options: recipe.options(epochs: 5))
    let path = try F.folder().appendingPathComponent("run.safetensors").path
    do {
      let model = try Self.model(recipe)
      _ = try train(model, on: T.data, options: recipe.options(epochs: 3))
      try model.save(to: path, dataset: T.data)
    }
    let loaded = try Self.load(path)
    #expect(loaded.branches[0].shape.fineTuning == recipe.tuning)
    let history = try resume(loaded, on: T.data, epochs: 5)
    #expect(history == wholeHistory)
    try F.expectSame(loaded, whole, on: T.data)
  }

  @Test(arguments: recipes)
  func resumingAfterAnInterruptDuringAnEpoch(recipe: Recipe) throws {
    let whole = try Self.model(recipe)
    let wholeHistory = try train(whole, on: T.data, options: recipe.options(epochs: 4))
    let model = try Self.model(recipe)
    _ = try train(
      model, on: T.data, options: recipe.options(epochs: 4),
      progress: { event in
        if case .batch(3, 2, _, _) = event { return false }
        return true
      })
    let path = try F.folder().appendingPathComponent("stopped.safetensors").path
    try model.save(to: path, dataset: T.data)
    let loaded = try Self.load(path)
    #expect(F.bits(of: loaded) == F.bits(of: model))
    let history = try resume(loaded, on: T.data, epochs: 4)
    #expect(history == wholeHistory)
    try F.expectSame(loaded, whole, on: T.data)
  }

  @Test("the encoder's tensors and moments are named as a BertModel state dict names them")
  func tensorNames() throws {
    let model = try Self.model(Self.recipes[1])
    _ = try train(model, on: T.data, options: Self.recipes[1].options(epochs: 1))
    let path = try F.folder().appendingPathComponent("names.safetensors").path
    try model.save(to: path, dataset: T.data)
    let file = try SafeTensorsFile(path: path)
    let names = Set(file.names)
    let state = model.branches[0].textEncoder!.stateTensors()
    for (name, tensor) in state {
      #expect(try file.tensor("text.encoder." + name) == tensor, "text.encoder.\(name)")
    }
    #expect(names.contains("text.0.weight") && names.contains("text.3.bias"))
    let query = "encoder.layer.1.attention.self.query.weight"
    #expect(names.contains("optimizer.text.encoder.\(query).exp_avg"))
    #expect(names.contains("optimizer.text.encoder.\(query).exp_avg_sq"))
    // The frozen embeddings never stepped, so they have no moments.
    #expect(!names.contains { $0.hasPrefix("optimizer.text.encoder.embeddings.") })
    #expect(state["embeddings.word_embeddings.weight"]?.shape == [20, 8])
  }

  @Test("without its pretrained encoder a loaded model trains and scores, but cannot start afresh")
  func withoutThePretrainedEncoder() throws {
    let model = try Self.model(Self.recipes[0])
    _ = try train(model, on: T.data, options: Self.recipes[0].options(epochs: 1))
    let path = try F.folder().appendingPathComponent("alone.safetensors").path
    try model.save(to: path, dataset: T.data)
    let loaded = try FusionModel.load(from: path, dataset: T.data)
    #expect(loaded.branches[0].pretrainedEncoder == nil)
    #expect(
      try evaluate(loaded, on: T.data, split: "dev") == evaluate(model, on: T.data, split: "dev"))
    #expect(throws: EngineError.noPretrainedEncoder(modality: "text")) {
      try loaded.freshCopy()
    }
    #expect(try Self.load(path).freshCopy().branches[0].encoderIsPretrained)
  }

  @Test("a checkpoint that fine-tunes is refused for a model that does not, and the other way")
  func architecture() throws {
    let model = try Self.model(Self.recipes[0])
    let path = try F.folder().appendingPathComponent("arch.safetensors").path
    try model.save(to: path, dataset: T.data)
    let plain = try FusionModel(
      dataset: T.data,
      shapes: [BranchShape(hidden: [6], activation: .gelu), BranchShape(hidden: [5], dropout: 0)])
    #expect {
      _ = try FusionModel.load(from: path, dataset: T.data, architecture: plain)
    } throws: { error in
      "\(error)".contains(
        "checkpoint was written for a fine-tuned encoder (whole) in branch 'text'; the model "
          + "has no fine-tuned encoder")
    }
  }
}
