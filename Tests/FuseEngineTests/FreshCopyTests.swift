import Foundation
import Testing

@testable import FuseEngine

/// `FusionModel.freshCopy()`: the branches as the model was first built, for joint training
/// from scratch at the sweep's rates, beside `copy()`, which keeps the fine-tuned branches.
@Suite("Fresh copies of a model")
struct FreshCopyTests {
  typealias F = EngineFixtures

  /// Unlike branches, so that a mix-up of shapes, order or statistics shows: a deep GELU
  /// branch with dropout beside a linear one on raw features.
  static let shapes = [
    BranchShape(hidden: [8, 4], activation: .gelu, dropout: 0.2),
    BranchShape(hidden: [], standardize: false),
  ]

  /// Every weight and bias of a model, branch by branch, as bit patterns.
  static func bits(_ model: FusionModel) -> [[[UInt32]]] {
    model.branches.map { branch in branch.parameters.map { $0.value.values.map(\.bitPattern) } }
  }

  static func statistics(_ model: FusionModel) -> [[[UInt32]]] {
    model.branches.map { [$0.featureMean.map(\.bitPattern), $0.featureScale.map(\.bitPattern)] }
  }

  /// A model swept and then trained jointly with learned fusion weights, so that its
  /// branches and fusion weights are far from where they started.
  static func tunedModel(_ data: Dataset) throws -> (FusionModel, SweepResult) {
    let model = try FusionModel(dataset: data, shapes: shapes, seed: 5)
    let options = TrainingOptions(epochs: 3, batchSize: 16, seed: 3)
    let result = try sweep(model, on: data, rates: [0.01, 0.1], options: options)
    model.strategy = .keep
    model.currentRates = try model.rates(for: .keep)
    var joint = options
    joint.learnFusionWeights = true
    _ = try train(model, on: data, options: joint)
    return (model, result)
  }

  @Test func aFreshCopyHasTheWeightsOfAModelBuiltAnewBitForBit() throws {
    let data = F.blobs()
    let (model, _) = try Self.tunedModel(data)
    let fresh = try model.freshCopy()
    let rebuilt = try FusionModel(dataset: data, shapes: Self.shapes, seed: 5)

    #expect(Self.bits(fresh) == Self.bits(rebuilt))
    #expect(Self.statistics(fresh) == Self.statistics(rebuilt))
    #expect(fresh.branches.map(\.shape) == Self.shapes)
    #expect(fresh.seed == 5)
    // Standardisation was computed from the train split for the first branch only.
    #expect(fresh.branches[0].featureMean != Array(repeating: 0, count: 4))
    #expect(fresh.branches[1].featureScale == Array(repeating: 1, count: 3))

    // The tuned model's branches moved away from those weights, every one of them.
    let tuned = Self.bits(model)
    for m in 0..<2 { #expect(tuned[m] != Self.bits(rebuilt)[m], "branch \(m)") }
    #expect(model.fusionWeights != [1, 1])
  }

  @Test func aFreshCopyKeepsTheSweepsRatesAndStrategy() throws {
    let data = F.blobs()
    let (model, result) = try Self.tunedModel(data)
    let fresh = try model.freshCopy()

    #expect(fresh.bestRates == result.bestRates.map { Optional($0) })
    #expect(fresh.bestRates == model.bestRates)
    #expect(fresh.strategy == .keep)
    #expect(try fresh.rates(for: .keep) == result.bestRates)
    #expect(fresh.currentRates == model.currentRates)
    // Learned fusion weights are training, not construction: they start again at 1.
    #expect(fresh.fusionWeights == [1, 1])
  }

  @Test func aFreshCopyIsIndependentOfItsSourceAndCanBeCopiedAgain() throws {
    let data = F.blobs()
    let (model, _) = try Self.tunedModel(data)
    let tuned = Self.bits(model)
    let fresh = try model.freshCopy()
    _ = try train(fresh, on: data, options: TrainingOptions(epochs: 2, batchSize: 16, seed: 1))

    #expect(Self.bits(model) == tuned)
    let rebuilt = try FusionModel(dataset: data, shapes: Self.shapes, seed: 5)
    #expect(Self.bits(fresh) != Self.bits(rebuilt))
    // The seed travels with copies, so a copy of a copy still starts where model() did.
    #expect(Self.bits(try fresh.copy().freshCopy()) == Self.bits(rebuilt))
    #expect(Self.bits(try fresh.freshCopy()) == Self.bits(rebuilt))
  }

  /// The sweep trains copies of the branches, all from the model's weights at the time, and
  /// hands the winners to the model: so a fresh copy of a model swept right after it was
  /// built starts from the very weights each sweep point started from.
  @Test func theSweepStartedFromTheWeightsAFreshCopyHas() throws {
    let data = F.blobs()
    let model = try FusionModel(dataset: data, shapes: Self.shapes, seed: 9)
    let before = Self.bits(model)
    _ = try sweep(
      model, on: data, rates: [0.05], options: TrainingOptions(epochs: 1, batchSize: 16))
    #expect(Self.bits(model) != before)
    #expect(Self.bits(try model.freshCopy()) == before)
  }

  @Test func aModelAssembledFromBranchesHasNoFreshWeights() throws {
    let data = F.blobs()
    let built = try FusionModel(dataset: data, shapes: Self.shapes, seed: 5)
    let assembled = FusionModel(branches: built.branches, classNames: built.classNames)
    #expect(assembled.seed == nil)
    #expect(throws: EngineError.noInitialSeed) { try assembled.freshCopy() }
    #expect(built.copy().seed == 5)
  }
}
