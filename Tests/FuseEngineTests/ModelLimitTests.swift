import Testing

@testable import FuseEngine

/// Sizes a user types must be checked before anything is allocated: `hidden: [1e12]` used to
/// end the process with "failed to allocate" instead of an error.
@Suite("Limits on model size")
struct ModelLimitTests {
  typealias F = EngineFixtures

  @Test func aHiddenLayerWiderThanTheLimitIsAnError() {
    #expect(
      throws: EngineError.invalidOption(
        name: "hidden", value: "1000000000000", reason: "hidden widths must be at most 65536")
    ) {
      _ = try FusionModel(dataset: F.blobs(), shape: BranchShape(hidden: [1_000_000_000_000]))
    }
  }

  @Test func tooManyParametersIsAnErrorThatCountsThem() {
    do {
      _ = try FusionModel(dataset: F.blobs(), shape: BranchShape(hidden: [10_000, 10_000]))
      Issue.record("two 10000-wide layers per branch are 200 million parameters")
    } catch let EngineError.invalidOption(name, value, reason) {
      #expect(name == "hidden")
      #expect(value == "[10000, 10000]")
      #expect(reason.hasPrefix("the model would have 200170006 parameters; the limit is 50000000"))
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func aBatchTooLargeForTheWidestLayerIsAnError() throws {
    let data = F.blobs(perClass: (400, 5, 5))
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [65_536]))
    let options = TrainingOptions(epochs: 1, batchSize: 5_000, seed: 1)
    do {
      _ = try train(model, on: data, options: options)
      Issue.record("1200 rows through a 65536-wide layer are above the activation limit")
    } catch let EngineError.invalidOption(name, value, reason) {
      #expect(name == "batch")
      #expect(value == "5000")
      #expect(reason.hasSuffix("so use a batch of at most 1024"))
    }
  }

  @Test func theLargestBatchSizeTrainsOnTheWholeSplit() throws {
    let data = F.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [4]), seed: 1)
    let history = try train(model, on: data, options: TrainingOptions(epochs: 1, batchSize: .max))
    #expect(history.epochs.count == 1)
  }
}
