import Testing

@testable import FuseEngine

/// However a started run stops (an error in the rate rule, a divergence, Ctrl-C), the model
/// holds the weights of the last completed step or epoch and the history records the epochs
/// that completed, with a reason. A failing rule used to throw the history away while the
/// model kept the weights of the epoch the rule followed.
@Suite("Training that stops part-way")
struct TrainingStopTests {
  typealias F = EngineFixtures

  struct RuleProblem: Error, CustomStringConvertible {
    var description: String { "the rule broke\nsecond line" }
  }

  static func model(_ data: Dataset) throws -> FusionModel {
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8], dropout: 0), seed: 3)
    model.strategy = .global(0.05)
    return model
  }

  static let options = TrainingOptions(epochs: 5, batchSize: 16, seed: 1)

  /// The dev accuracy and loss of the model's weights now, to compare with an epoch's record.
  static func devScores(_ model: FusionModel, _ data: Dataset) throws -> (Double, Double) {
    let report = try evaluate(model, on: data, split: "dev")
    return (report.fused.accuracy, report.loss)
  }

  @Test func aRuleThatThrowsKeepsTheEpochsItFollowedAndSaysWhy() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    var history = History(modalities: [])
    #expect(throws: RuleProblem.self) {
      try train(
        model, on: data, options: Self.options,
        rateRule: { stats in
          if stats.epoch == 3 { throw RuleProblem() }
          return nil
        }, recordingInto: &history)
    }
    #expect(history.epochs.map(\.epoch) == [1, 2, 3])
    #expect(history.stopReason == "the rate rule failed after epoch 3: the rule broke")
    // The rule runs after its epoch completed: the model holds epoch 3's weights.
    let (accuracy, loss) = try Self.devScores(model, data)
    #expect(accuracy == history.epochs[2].devAccuracy)
    #expect(abs(loss - history.epochs[2].devLoss) < 1e-9)
  }

  @Test func aDivergenceKeepsTheEpochsBeforeIt() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    var history = History(modalities: [])
    do {
      try train(
        model, on: data, options: Self.options,
        rateRule: { stats in stats.epoch == 2 ? [1e30, 1e30] : nil }, recordingInto: &history)
      Issue.record("a rate of 1e30 should diverge")
    } catch EngineError.diverged(let epoch, _, _, _, _, _) {
      #expect(epoch == 3)
    }
    #expect(history.epochs.map(\.epoch) == [1, 2])
    #expect(history.stopReason?.hasPrefix("training diverged (loss ") == true)
    #expect(history.stopReason?.contains("at epoch 3, batch") == true)
    let (accuracy, loss) = try Self.devScores(model, data)
    #expect(accuracy == history.epochs[1].devAccuracy)
    #expect(abs(loss - history.epochs[1].devLoss) < 1e-9)
  }

  @Test func anInterruptKeepsTheEpochsThatCompletedAndSaysWhere() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    var batches = 0
    // 120 samples in batches of 16 make 8 batches per epoch; the 20th is in epoch 3.
    let history = try train(
      model, on: data, options: Self.options,
      progress: { event in
        guard case .batch = event else { return true }
        batches += 1
        return batches < 20
      })
    #expect(history.stoppedEarly)
    #expect(history.epochs.map(\.epoch) == [1, 2])
    #expect(
      history.stopReason == "interrupted during epoch 3; the weights are those of its last step")
  }

  /// With early stopping's restore_best, a failed run ends on the best epoch's weights, as
  /// a finished or interrupted one does.
  @Test func aFailedRunStillRestoresTheBestEpoch() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    var options = Self.options
    options.earlyStopping = EarlyStopping(monitor: Monitor("dev_loss"), patience: 10, minDelta: 10)
    var history = History(modalities: [])
    #expect(throws: RuleProblem.self) {
      try train(
        model, on: data, options: options,
        rateRule: { stats in
          if stats.epoch == 3 { throw RuleProblem() }
          return nil
        }, recordingInto: &history)
    }
    #expect(history.bestEpoch == 1 && history.restoredBest)
    let (accuracy, _) = try Self.devScores(model, data)
    #expect(accuracy == history.epochs[0].devAccuracy)
  }

  /// A bad option is found before any step: nothing is recorded and the model is untouched.
  @Test func anErrorBeforeTheFirstStepRecordsNothing() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    let before = F.weights(of: model)
    var history = History(modalities: ["left over"])
    var options = Self.options
    options.batchSize = 0
    #expect(throws: EngineError.self) {
      try train(model, on: data, options: options, recordingInto: &history)
    }
    #expect(history.epochs.isEmpty && history.stopReason == nil)
    #expect(F.weights(of: model) == before)
  }
}
