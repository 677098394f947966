import Foundation
import Testing

@testable import FuseEngine

/// Saving and loading checkpoints: every tensor and configuration field comes back as it
/// was, and the file says which tensors it holds and how, in PyTorch's names.
@Suite("Checkpoints: round trip")
struct CheckpointRoundTripTests {
  typealias Recipe = ResumeRecipe
  typealias F = CheckpointFixtures

  /// A model of `recipe` trained 3 epochs, stopped by Ctrl-C during the fourth, and saved.
  static func saved(_ recipe: Recipe) throws -> (FusionModel, String) {
    let model = try Recipe.model(recipe)
    _ = try train(
      model, on: Recipe.data, options: recipe.options(epochs: 6),
      progress: { event in
        if case .batch(4, 2, _, _) = event { return false }
        return true
      })
    let path = try F.folder().appendingPathComponent("model.safetensors").path
    try model.save(to: path, dataset: Recipe.data)
    return (model, path)
  }

  @Test(arguments: Recipe.all)
  func everyFieldComesBack(recipe: Recipe) throws {
    let (model, path) = try Self.saved(recipe)
    let loaded = try FusionModel.load(from: path, dataset: Recipe.data)

    #expect(F.bits(of: loaded) == F.bits(of: model))
    for (branch, twin) in zip(model.branches, loaded.branches) {
      #expect(twin.shape == branch.shape)
      #expect(twin.modality == branch.modality)
      #expect(twin.featureMean.map(\.bitPattern) == branch.featureMean.map(\.bitPattern))
      #expect(twin.featureScale.map(\.bitPattern) == branch.featureScale.map(\.bitPattern))
    }
    #expect(loaded.classNames == model.classNames)
    #expect(loaded.bestRates == model.bestRates)
    #expect(loaded.strategy == model.strategy)
    #expect(loaded.currentRates == model.currentRates)
    #expect(loaded.seed == model.seed)

    let state = try #require(model.trainingState)
    let twin = try #require(loaded.trainingState)
    #expect(twin.options == state.options)
    #expect(twin.scheduleSpan == state.scheduleSpan)
    #expect(twin.strategy == state.strategy)
    #expect(twin.usesRateRule == state.usesRateRule)
    #expect(twin.threads == state.threads)
    #expect(twin.trainFingerprint == state.trainFingerprint)
    #expect(twin.history == state.history)
    #expect(twin.history.timings == state.history.timings)
    #expect(state.history.threadCount == matrixThreadCount)
    #expect(twin.history.threadCount == state.history.threadCount)
    #expect(
      twin.history.stopReason
        == "interrupted during epoch 4; the weights are those of its last step")
    #expect(twin.notResumable == nil)

    let point = try #require(state.point)
    let back = try #require(twin.point)
    #expect(back.completedEpochs == 3)
    #expect(back.generator.words == point.generator.words)
    #expect(back.order == point.order)
    #expect(back.baseRates == point.baseRates)
    #expect(back.currentRates == point.currentRates)
    #expect(back.optimizer == point.optimizer)
    #expect(back.optimizer.steps.allSatisfy { $0 > 0 })
    #expect(back.weights == point.weights)
    #expect(back.weights != model.branches.map { $0.parameters.map(\.value) })
    #expect(back.fusionWeights == point.fusionWeights)
    #expect(back.autoSchedule?.validations == point.autoSchedule?.validations)
    #expect(back.autoSchedule?.initialRates == point.autoSchedule?.initialRates)
    #expect(back.plateaus.map { $0?.best } == point.plateaus.map { $0?.best })
    #expect(back.plateaus.map { $0?.badEpochs } == point.plateaus.map { $0?.badEpochs })
    #expect(back.plateaus.map { $0?.scale } == point.plateaus.map { $0?.scale })
    #expect(back.stopping?.best == point.stopping?.best)
    #expect(back.stopping?.bestEpoch == point.stopping?.bestEpoch)
    #expect(
      back.stopping?.epochsWithoutImprovement == point.stopping?.epochsWithoutImprovement)
    #expect(back.stopping?.bestWeights == point.stopping?.bestWeights)
    #expect(back.stopping?.bestFusionWeights == point.stopping?.bestFusionWeights)
  }

  /// The recipes cover what the round trip must carry: auto's validations, a plateau that
  /// has cut a rate, early stopping's best weights put back, both kinds of moments.
  @Test func theRecipesExerciseEveryTracker() throws {
    let auto = try #require(try Self.saved(Recipe.all[2]).0.trainingState?.point)
    #expect(auto.autoSchedule?.validations.count == 3)
    let full = try #require(try Self.saved(Recipe.all[3]).0.trainingState?.point)
    #expect(full.plateaus[1].map { $0.scale < 1 } == true)
    #expect(full.stopping?.bestEpoch == 1)
    #expect(full.optimizer.secondMoments[0].isEmpty == false)
    #expect(full.optimizer.secondMoments[1].isEmpty)
  }

  @Test func tensorsAreNamedAndShapedAsAPyTorchStateDict() throws {
    let (_, path) = try Self.saved(Recipe.all[0])
    let file = try SafeTensorsFile(path: path)
    let parameters = ["a.0.weight", "a.0.bias", "a.3.weight", "a.3.bias", "b.0.weight", "b.0.bias"]
    let expected =
      parameters + parameters.map { "optimizer.\($0).momentum_buffer" }
      + parameters.map { "resume.\($0)" }
      + ["a.mean", "a.std", "fusion.weight", "training.order"]
    #expect(file.names == expected.sorted())
    #expect(file.entries["a.0.weight"]?.shape == [8, 4])
    #expect(file.entries["a.0.bias"]?.shape == [8])
    #expect(file.entries["a.3.weight"]?.shape == [3, 8])
    #expect(file.entries["b.0.weight"]?.shape == [3, 3])
    #expect(file.entries["fusion.weight"]?.shape == [2])
    #expect(file.entries["training.order"]?.dtype == .i64)
    #expect(file.entries["training.order"]?.shape == [60])
    #expect(file.entries["a.std"]?.dtype == .f32)
  }

  @Test func theConfigurationIsReadableJSON() throws {
    let (model, path) = try Self.saved(Recipe.all[2])
    let file = try SafeTensorsFile(path: path)
    #expect(file.metadata["format"] == "fuselab-checkpoint")
    let text = try #require(file.metadata["config"])
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary)
    #expect(json["formatVersion"] as? Int == 1)
    let dataset = try #require(json["dataset"] as? NSDictionary)
    #expect(dataset["classNames"] as? [String] == ["class0", "class1", "class2"])
    #expect(dataset["splitSizes"] as? [String: Int] == ["train": 60, "dev": 24, "test": 24])
    #expect(dataset["trainFingerprint"] as? String == Recipe.data.splits["train"]!.fingerprint)
    let modalities = try #require(dataset["modalities"] as? [NSDictionary])
    #expect(modalities.map { $0["dimension"] as? Int } == [4, 3])
    let branches = try #require((json["model"] as? NSDictionary)?["branches"] as? [NSDictionary])
    #expect(branches[0]["hidden"] as? [Int] == [8])
    #expect(branches[0]["activation"] as? String == "gelu")
    #expect(branches[1]["standardize"] as? Bool == false)
    let training = try #require(json["training"] as? NSDictionary)
    #expect(training["threads"] as? Int == matrixThreadCount)
    let resume = try #require(training["resume"] as? NSDictionary)
    #expect(
      resume["generator"] as? [String] == model.trainingState?.point?.generator.words.map(hexWord))
    #expect(resume["completedEpochs"] as? Int == 3)
    let history = try #require(training["history"] as? NSDictionary)
    #expect((history["epochs"] as? [Any])?.count == 3)
  }

  @Test func anUntrainedModelSavesItsWeightsAlone() throws {
    let model = try Recipe.model(Recipe.all[1])
    let path = try F.folder().appendingPathComponent("fresh.safetensors").path
    try model.save(to: path, dataset: Recipe.data)
    let loaded = try FusionModel.load(from: path, dataset: Recipe.data)
    #expect(loaded.trainingState == nil)
    #expect(F.bits(of: loaded) == F.bits(of: model))
    #expect(loaded.bestRates == [0.01, 0.003])
    #expect(try SafeTensorsFile(path: path).names.allSatisfy { !$0.hasPrefix("optimizer.") })
  }

  @Test func aRunThatCannotGoOnSaysWhyAfterLoading() throws {
    let data = Recipe.data
    let model = try Recipe.model(Recipe.all[0])
    var options = Recipe.all[0].options(epochs: 20)
    options.earlyStopping = EarlyStopping(monitor: Monitor("loss", mode: .max), patience: 1)
    _ = try train(model, on: data, options: options)
    let path = try F.folder().appendingPathComponent("stopped.safetensors").path
    try model.save(to: path, dataset: data)
    let loaded = try FusionModel.load(from: path, dataset: data)
    #expect(loaded.trainingState?.notResumable?.hasPrefix("early stopping ended it") == true)
    #expect(loaded.trainingState?.history == model.trainingState?.history)
    #expect(throws: EngineError.self) { try resume(loaded, on: data, epochs: 30) }
  }
}
