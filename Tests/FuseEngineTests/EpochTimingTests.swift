import Testing

@testable import FuseEngine

@Suite("Epoch timings")
struct EpochTimingTests {
  typealias F = EngineFixtures

  static func trainedHistory(epochs: Int, stopAfterBatches: Int? = nil) throws -> History {
    let data = F.blobs()
    let model = try FusionModel(
      dataset: data, shape: BranchShape(hidden: [8], dropout: 0.1), seed: 1)
    model.strategy = .global(0.05)
    var batches = 0
    return try train(
      model, on: data, options: TrainingOptions(epochs: epochs, batchSize: 16, seed: 5),
      progress: { event in
        guard case .batch = event, let stop = stopAfterBatches else { return true }
        batches += 1
        return batches < stop
      })
  }

  @Test func everyEpochRecordsAPositiveWallTime() throws {
    let history = try Self.trainedHistory(epochs: 3)
    #expect(history.epochs.count == 3)
    #expect(history.timings.count == history.epochs.count)
    for timing in history.timings {
      #expect(timing.trainingSeconds > 0)
      #expect(timing.devSeconds > 0)
      #expect(timing.totalSeconds >= timing.trainingSeconds + timing.devSeconds)
      #expect(timing.totalSeconds < 60)
    }
  }

  // 120 train samples in batches of 16 make 8 batches per epoch: batch 12 is in epoch 2.
  @Test func anEpochStoppedMidwayHasNoTiming() throws {
    let history = try Self.trainedHistory(epochs: 3, stopAfterBatches: 12)
    #expect(history.stoppedEarly)
    #expect(history.epochs.count == 1)
    #expect(history.timings.count == 1)
  }

  @Test func timingsDoNotMakeHistoriesUnequal() throws {
    let history = try Self.trainedHistory(epochs: 2)
    var slower = history
    slower.timings = history.timings.map { timing in
      var timing = timing
      timing.totalSeconds += 1
      return timing
    }
    #expect(slower == history)
    var other = history
    other.epochs[0].trainLoss += 1
    #expect(other != history)
  }
}
