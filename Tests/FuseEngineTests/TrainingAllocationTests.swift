import AllocationCounter
import Foundation
import Testing

@testable import FuseEngine

/// Once its buffers have seen the largest batch, a training step allocates nothing: the
/// heap allocations this thread makes (malloc, calloc, realloc, counted by the
/// AllocationCounter target) are the same at every batch of the second epoch.
@Suite("Allocations in the training loop")
struct TrainingAllocationTests {
  struct Setup: CustomTestStringConvertible, Sendable {
    var name: String
    var shape: BranchShape
    var options: TrainingOptions
    var regression = false
    var testDescription: String { name }
  }

  static let setups: [Setup] = [
    Setup(
      name: "SGD, ReLU, dropout, standardised",
      shape: BranchShape(hidden: [32], activation: .relu, dropout: 0.1, standardize: true),
      options: TrainingOptions(epochs: 2, batchSize: 16, momentum: 0.9, seed: 3)),
    Setup(
      name: "AdamW with clipping, GELU, class weights, learned fusion weights",
      shape: BranchShape(hidden: [16, 8], activation: .gelu, dropout: 0.2, standardize: false),
      options: TrainingOptions(
        epochs: 2, batchSize: 16, seed: 4, optimizer: .adamw,
        groups: ["a": GroupOverride(maxGradientNorm: 0.5)], classWeights: .balanced,
        learnFusionWeights: true)),
    Setup(
      name: "regression under MAE, Adam",
      shape: BranchShape(hidden: [16], activation: .relu, dropout: 0, standardize: true),
      options: TrainingOptions(
        epochs: 2, batchSize: 16, seed: 6, optimizer: .adam, loss: .meanAbsoluteError),
      regression: true),
  ]

  @Test func theCounterSeesThisThreadsAllocations() {
    let before = fuselab_allocations_on_this_thread()
    let array = Array(repeating: Float(1), count: 1000 + Int(before % 7))
    #expect(fuselab_allocations_on_this_thread() > before)
    #expect(array.count >= 1000)
  }

  @Test(arguments: setups)
  func noAllocationBetweenBatchesOfTheSecondEpoch(setup: Setup) throws {
    let data =
      setup.regression
      ? EngineFixtures.linearTargets(counts: (120, 30, 30))
      : EngineFixtures.blobs(perClass: (40, 10, 10))
    let model = try FusionModel(dataset: data, shape: setup.shape, seed: 5)
    var counts: [UInt] = []
    counts.reserveCapacity(64)
    var batches = 0
    let record: (TrainingEvent) -> Bool = { event in
      if case .batch(let epoch, _, let of, _) = event, epoch == 2 {
        batches = of
        counts.append(fuselab_allocations_on_this_thread())
      }
      return true
    }
    _ = try train(model, on: data, options: setup.options, progress: record)

    // 120 samples in batches of 16: 8 steps, the last one of 8 samples.
    #expect(batches == 8)
    #expect(counts.count == batches)
    let perBatch = zip(counts.dropFirst(), counts).map { $0 - $1 }
    #expect(perBatch.allSatisfy { $0 == 0 }, "allocations between batches: \(perBatch)")
  }
}
