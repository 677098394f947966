import FuseFormat
import Testing

@testable import FuseEngine

/// Every number the engine puts in a description or message reads as the language prints
/// it (`1000`, not `1000.0`; at most six significant digits), and counts agree with their
/// nouns (`1 epoch`).
@Suite("Numbers and counts in engine messages")
struct MessageFormatTests {
  @Test(arguments: [
    (RateStrategy.global(1000), "global(1000)"), (.global(1e-4), "global(0.0001)"),
    (.smooth(alpha: 0), "smooth(alpha: 0)"), (.smooth(alpha: 0.3), "smooth(alpha: 0.3)"),
    (.auto(window: 3, every: 1, cap: 2), "auto(window: 3, every: 1, cap: 2)"),
  ])
  func strategies(strategy: RateStrategy, text: String) {
    #expect(strategy.description == text)
  }

  @Test(arguments: [
    (RateSchedule.step(every: 2, gamma: 0.5), "step(every: 2, gamma: 0.5)"),
    (.exponential(gamma: 1), "exponential(gamma: 1)"),
    (.cosine(epochs: nil, minFactor: 0), "cosine(epochs: all, min: 0)"),
    (
      .warmup(epochs: 2, startFactor: 0.1, then: .constant),
      "warmup(epochs: 2, start: 0.1, then: constant)"
    ),
  ])
  func schedules(schedule: RateSchedule, text: String) {
    #expect(schedule.description == text)
  }

  @Test func optimizerSummaries() {
    var settings = OptimizerSettings(kind: .sgd, momentum: 0, weightDecay: 0)
    #expect(settings.summary == "sgd(momentum 0, wd 0)")
    settings.maxGradientNorm = 1
    #expect(settings.summary == "sgd(momentum 0, wd 0, clip 1)")
  }

  @Test func divergenceNamesTheRateAsWritten() {
    let error = EngineError.diverged(
      epoch: 1, batch: 2, modality: "audio", learningRate: 10000, loss: .infinity)
    #expect(error.description.hasPrefix("training diverged (loss inf) at epoch 1, batch 2; "))
    #expect(error.description.contains("modality 'audio' at learning rate 10000 is the likely"))
  }

  /// "invalid value 2 weights for 'class_weights'" did not read as English.
  @Test func classWeightsOfTheWrongCountNameTheList() throws {
    let error = #expect(throws: EngineError.self) {
      _ = try ClassWeights.given([1, 2.5]).weights(labels: [0, 1, 2], classCount: 3)
    }
    #expect(
      error?.description
        == "invalid value [1, 2.5] for 'class_weights': give one weight per class: 3, not 2")
  }

  /// The stop reason said "did not improve for 1 epochs; best 0.8943717006125219".
  @Test func earlyStoppingReasonCountsEpochsAndRoundsTheBest() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    let options = TrainingOptions(
      epochs: 20, batchSize: 16,
      earlyStopping: EarlyStopping(monitor: Monitor("dev_loss"), patience: 1, minDelta: 10))
    let history = try train(model, on: data, options: options)
    let reason = try #require(history.stopReason)
    #expect(reason.contains("dev_loss did not improve for 1 epoch; best "), "\(reason)")
    let best = try #require(history.epochs.first?.devLoss)
    #expect(reason.contains("best \(formatNumber(best)) at epoch 1"), "\(reason)")
  }

  @Test(arguments: [(1, "1 epoch"), (0, "0 epochs"), (2, "2 epochs")])
  func counts(count: Int, text: String) {
    #expect(counted(count, "epoch") == text)
  }
}
