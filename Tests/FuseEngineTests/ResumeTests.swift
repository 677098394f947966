import Foundation
import Testing

@testable import FuseEngine

/// A run trained in pieces, resumed in memory or from a checkpoint in a fresh model, equals
/// the same run trained in one call: weights, rates, history and scores, bit for bit.
@Suite("Resuming a training run")
struct ResumeTests {
  typealias Recipe = ResumeRecipe
  typealias F = CheckpointFixtures

  static func whole(_ recipe: Recipe, epochs: Int = 6) throws -> (FusionModel, History) {
    let model = try Recipe.model(recipe)
    let history = try train(model, on: Recipe.data, options: recipe.options(epochs: epochs))
    return (model, history)
  }

  @Test(arguments: Recipe.all)
  func resumingInMemoryEqualsOneCall(recipe: Recipe) throws {
    let (whole, wholeHistory) = try Self.whole(recipe)
    let model = try Recipe.model(recipe)
    _ = try train(model, on: Recipe.data, options: recipe.options(epochs: 2))
    let history = try resume(model, on: Recipe.data, epochs: 6)
    #expect(history == wholeHistory)
    #expect(history.epochs.map(\.epoch) == Array(1...6))
    try F.expectSame(model, whole, on: Recipe.data)
  }

  @Test(arguments: Recipe.all)
  func resumingFromACheckpointInAFreshModelEqualsOneCall(recipe: Recipe) throws {
    let (whole, wholeHistory) = try Self.whole(recipe)
    let path = try F.folder().appendingPathComponent("run.safetensors").path
    do {
      let model = try Recipe.model(recipe)
      _ = try train(model, on: Recipe.data, options: recipe.options(epochs: 3))
      try model.save(to: path, dataset: Recipe.data)
    }
    let loaded = try FusionModel.load(from: path, dataset: Recipe.data)
    let history = try resume(loaded, on: Recipe.data, epochs: 6)
    #expect(history == wholeHistory)
    try F.expectSame(loaded, whole, on: Recipe.data)
  }

  /// Ctrl-C in the middle of an epoch keeps the last step's weights; a resume starts that
  /// epoch again from its beginning, through a checkpoint that keeps both sets of weights.
  @Test(arguments: Recipe.all)
  func resumingAfterAnInterruptDuringAnEpoch(recipe: Recipe) throws {
    let (whole, wholeHistory) = try Self.whole(recipe)
    let model = try Recipe.model(recipe)
    let stopped = try train(
      model, on: Recipe.data, options: recipe.options(epochs: 6),
      progress: { event in
        if case .batch(3, 2, _, _) = event { return false }
        return true
      })
    #expect(stopped.epochs.count == 2)
    #expect(model.trainingState?.resumableEpoch == 2)
    let path = try F.folder().appendingPathComponent("stopped.safetensors").path
    try model.save(to: path, dataset: Recipe.data)
    let loaded = try FusionModel.load(from: path, dataset: Recipe.data)
    #expect(F.bits(of: loaded) == F.bits(of: model))
    let history = try resume(loaded, on: Recipe.data, epochs: 6)
    #expect(history == wholeHistory)
    try F.expectSame(loaded, whole, on: Recipe.data)
  }

  /// Without resume, a second call is a new run: it starts the generator, the schedule and
  /// the optimizer's moments again, so it is not the run continued. This is why `resume`
  /// exists, and it keeps the tests above from passing by accident.
  @Test func aSecondTrainCallIsANewRun() throws {
    let recipe = Recipe.all[0]
    let (whole, _) = try Self.whole(recipe, epochs: 4)
    let model = try Recipe.model(recipe)
    _ = try train(model, on: Recipe.data, options: recipe.options(epochs: 2))
    let second = try train(model, on: Recipe.data, options: recipe.options(epochs: 2))
    #expect(second.epochs.map(\.epoch) == [1, 2])
    #expect(F.bits(of: model) != F.bits(of: whole))
  }

  @Test func aResumeCanBeResumedAgain() throws {
    let recipe = Recipe.all[2]
    let (whole, wholeHistory) = try Self.whole(recipe)
    let model = try Recipe.model(recipe)
    _ = try train(model, on: Recipe.data, options: recipe.options(epochs: 1))
    _ = try resume(model, on: Recipe.data, epochs: 4)
    let history = try resume(model, on: Recipe.data, epochs: 6)
    #expect(history == wholeHistory)
    try F.expectSame(model, whole, on: Recipe.data)
  }

  static func refusal(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test func refusesWhatCannotContinueTheRunExactly() throws {
    let data = Recipe.data
    let recipe = Recipe.all[0]
    let untrained = try Recipe.model(recipe)
    #expect(
      Self.refusal { _ = try resume(untrained, on: data, epochs: 3) }.contains(
        "this model has not been trained"))

    let model = try Recipe.model(recipe)
    _ = try train(model, on: data, options: recipe.options(epochs: 3))
    #expect(
      Self.refusal { _ = try resume(model, on: data, epochs: 3) }.contains(
        "the run has completed 3 epochs; epochs counts the whole run, so give more than 3"))
    #expect(
      Self.refusal { _ = try resume(model, on: data, epochs: 4, rateRule: { _ in nil }) }
        .contains("the run had no rate rule"))

    var other = data
    other.splits["train"]!.features[0].values[0] += 1
    #expect(
      Self.refusal { _ = try resume(model, on: other, epochs: 4) }.contains(
        "the train split differs from the one the run trained on"))

    model.strategy = .global(0.1)
    #expect(
      Self.refusal { _ = try resume(model, on: data, epochs: 4) }.contains(
        "the model's rates are now global(0.1), but the run trained with global(0.05)"))
  }

  @Test func refusesToStretchARunLengthScheduleOrGoOnAfterEarlyStopping() throws {
    let data = Recipe.data
    let model = try Recipe.model(Recipe.all[0])
    let options = Recipe.all[0].options(epochs: 3).with(
      schedule: .cosine(epochs: nil, minFactor: 0))
    _ = try train(model, on: data, options: options)
    #expect(
      Self.refusal { _ = try resume(model, on: data, epochs: 5) }.contains(
        "is laid out over the 3 epochs the run was started with; resume to at most 3"))

    var stopping = Recipe.all[0].options(epochs: 20)
    stopping.earlyStopping = EarlyStopping(monitor: Monitor("loss", mode: .max), patience: 1)
    _ = try train(model, on: data, options: stopping)
    #expect(
      Self.refusal { _ = try resume(model, on: data, epochs: 30) }.contains(
        "the run cannot go on: early stopping ended it after epoch"))
  }

  /// A run that used a rate rule resumes only when given a rule again, and then continues
  /// as one call with that rule does.
  @Test func aRuleMustBeGivenAgain() throws {
    let recipe = Recipe.all[0]
    let rule: (EpochStats) throws -> [Float]? = { stats in
      stats.branches.map { $0.learningRate * (stats.epoch % 2 == 0 ? 0.5 : 1.5) }
    }
    let whole = try Recipe.model(recipe)
    let wholeHistory = try train(
      whole, on: Recipe.data, options: recipe.options(epochs: 5), rateRule: rule)
    let model = try Recipe.model(recipe)
    _ = try train(model, on: Recipe.data, options: recipe.options(epochs: 2), rateRule: rule)
    // In memory the rule was never saved, so the message does not say it was.
    #expect(
      Self.refusal { _ = try resume(model, on: Recipe.data, epochs: 5) }
        == "cannot resume training: the run had a rate rule; give the rule again: rule: <fn>")
    let path = try F.folder().appendingPathComponent("rule.safetensors").path
    try model.save(to: path, dataset: Recipe.data)
    let loaded = try FusionModel.load(from: path, dataset: Recipe.data)
    #expect(
      Self.refusal { _ = try resume(loaded, on: Recipe.data, epochs: 5) }
        == "cannot resume training: the run had a rate rule, which a checkpoint cannot keep; "
        + "give the rule again: rule: <fn>")
    let history = try resume(model, on: Recipe.data, epochs: 5, rateRule: rule)
    #expect(history == wholeHistory)
    try F.expectSame(model, whole, on: Recipe.data)
  }
}
