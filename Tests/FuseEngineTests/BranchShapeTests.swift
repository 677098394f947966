import Testing

@testable import FuseEngine

/// One shape per modality: the layers each branch is built from, its parameter count,
/// and that unlike branches train, sweep and copy as their shapes say.
@Suite("Branch shapes")
struct BranchShapeTests {
  typealias F = EngineFixtures

  /// The layers of a branch in words: "linear 4x6", "gelu", "dropout 0.3".
  static func layout(of branch: Branch) -> [String] {
    branch.layers.map { layer in
      switch layer {
      case let linear as Linear: return "linear \(linear.inputCount)x\(linear.outputCount)"
      case let activation as ActivationLayer: return activation.activation.rawValue
      case let dropout as Dropout: return "dropout \(dropout.rate)"
      default: return "\(type(of: layer))"
      }
    }
  }

  static let unlike = [
    BranchShape(hidden: [], dropout: 0.5, standardize: false),
    BranchShape(hidden: [6, 5], activation: .gelu, dropout: 0.2),
  ]

  @Test func theDefaultShapeIsOneReLULayerWithDropout() throws {
    let model = try FusionModel(dataset: F.blobs(), seed: 1)
    #expect(
      Self.layout(of: model.branches[0])
        == ["linear 4x128", "relu", "dropout 0.1", "linear 128x3"])
  }

  @Test func eachModalityGetsItsOwnShape() throws {
    let model = try FusionModel(dataset: F.blobs(), shapes: Self.unlike, seed: 1)
    // A linear branch has no activation and no dropout, whatever the shape's rate.
    #expect(Self.layout(of: model.branches[0]) == ["linear 4x3"])
    #expect(
      Self.layout(of: model.branches[1])
        == ["linear 3x6", "gelu", "dropout 0.2", "linear 6x5", "gelu", "dropout 0.2", "linear 5x3"]
    )
    #expect(model.branches.map(\.shape) == Self.unlike)

    // Raw features pass through unchanged; standardised ones are z-scored.
    let train = F.blobs().splits["train"]!
    #expect(model.branches[0].standardized(train.features[0]) == train.features[0])
    #expect(model.branches[1].standardized(train.features[1]) != train.features[1])
  }

  @Test func parameterCountsFollowTheShapes() throws {
    let model = try FusionModel(dataset: F.blobs(), shapes: Self.unlike, seed: 1)
    // By hand: a 4 -> 3 linear map; 3 -> 6 -> 5 -> 3.
    let byHand = [4 * 3 + 3, (3 * 6 + 6) + (6 * 5 + 5) + (5 * 3 + 3)]
    #expect(model.branches.map(\.parameterCount) == byHand)
    #expect(
      zip(Self.unlike, [4, 3]).map { $0.parameterCount(inputs: $1, outputs: 3) } == byHand)
    #expect(model.parameterCount == byHand.reduce(0, +))
  }

  @Test(arguments: Activation.allCases)
  func everyActivationIsBuiltAndCopied(_ activation: Activation) throws {
    let shape = BranchShape(hidden: [4, 4], activation: activation, dropout: 0)
    let model = try FusionModel(dataset: F.blobs(), shape: shape, seed: 2)
    let twin = model.copy()
    for branches in [model.branches, twin.branches] {
      let kinds = branches[1].layers.compactMap { ($0 as? ActivationLayer)?.activation }
      #expect(kinds == [activation, activation])
    }
    #expect(twin.branches[1].shape == shape)
  }

  // A modality whose shape is the default draws the same weights as in a default model
  // when it comes first, so a per-modality shape changes only what it names.
  @Test func aDefaultFirstBranchKeepsItsWeights() throws {
    let data = F.blobs()
    let plain = try FusionModel(dataset: data, seed: 5)
    let mixed = try FusionModel(
      dataset: data, shapes: [BranchShape(), BranchShape(hidden: [3], activation: .tanh)],
      seed: 5)
    #expect(F.weights(of: plain)[0] == F.weights(of: mixed)[0])
    #expect(F.weights(of: plain)[1] != F.weights(of: mixed)[1])
  }

  @Test func unlikeBranchesSweepAndTrain() throws {
    let data = F.blobs()
    let model = try FusionModel(dataset: data, shapes: Self.unlike, seed: 3)
    let options = TrainingOptions(epochs: 8, batchSize: 16, seed: 3)
    let sweep = try FuseEngine.sweep(model, on: data, rates: [0.01, 0.1], options: options)
    #expect(sweep.bestRates.count == 2)
    #expect(model.branches.map(\.shape) == Self.unlike)

    model.strategy = .keep
    model.currentRates = try model.rates(for: .keep)
    let history = try train(model, on: data, options: options)
    #expect(history.epochs.count == 8)
    #expect(history.epochs.allSatisfy { $0.trainLoss.isFinite })
    // The blobs are easy for modality a alone; three classes give 1/3 by chance.
    #expect(history.epochs.last!.devAccuracy > 0.8)
  }

  @Test func aBadShapeNamesTheField() {
    #expect(
      throws: EngineError.invalidOption(
        name: "dropout", value: "1", reason: "dropout must be in [0, 1)")
    ) {
      try BranchShape(hidden: [4], dropout: 1).validate()
    }
    #expect(throws: EngineError.self) {
      _ = try FusionModel(
        dataset: F.blobs(), shapes: [BranchShape(), BranchShape(hidden: [0])], seed: 1)
    }
  }
}
