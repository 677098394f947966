import Foundation
import Testing

@testable import FuseEngine

/// Training a fused model whose text branch fine-tunes its encoder: the encoder's groups,
/// their rates under every strategy, freezing, and what the history says of them.
@Suite("Fine-tuning a text encoder in the fused model")
struct FineTuningTrainingTests {
  typealias T = TextFusionFixtures

  static func options(
    epochs: Int = 2, optimizer: OptimizerKind = .sgd, groups: [String: GroupOverride] = [:]
  ) -> TrainingOptions {
    TrainingOptions(
      epochs: epochs, batchSize: 8, momentum: 0.9, seed: 3, optimizer: optimizer, groups: groups)
  }

  @Test("the groups are the branch's MLP, then its encoder's, whole or by block")
  func groupNames() throws {
    #expect(try T.model(.whole).groupNames == ["text", "text.encoder", "side", "fusion"])
    #expect(
      try T.model(.blocks).groupNames == [
        "text", "text.embeddings", "text.layer.0", "text.layer.1", "side", "fusion",
      ])
    let history = try train(try T.model(.blocks), on: T.data, options: Self.options(epochs: 1))
    #expect(
      history.epochs[0].groups?.map(\.name) == [
        "text", "text.embeddings", "text.layer.0", "text.layer.1", "side",
      ])
  }

  @Test("a divergence in a fine-tuned modality names the group it blames, head or encoder")
  func divergenceNamesTheGroup() throws {
    let options = Self.options(groups: ["text": GroupOverride(learningRate: 1e30)])
    #expect {
      _ = try train(try T.model(.whole), on: T.data, options: options)
    } throws: { error in
      "\(error)".contains("modality 'text' (group 'text') at learning rate 1e30")
    }
  }

  @Test("a misspelled group is refused, listing every group, the encoder's included")
  func unknownGroup() throws {
    let options = Self.options(groups: ["text.layer.7": GroupOverride(frozen: true)])
    #expect {
      _ = try train(try T.model(.blocks), on: T.data, options: options)
    } throws: { error in
      "\(error)".contains(
        "'text.layer.7' for 'groups': there is no such group; the groups are text, "
          + "text.embeddings, "
          + "text.layer.0, text.layer.1, side, fusion")
    }
  }

  @Test("an encoder frozen whole keeps every bit; the heads train on the cached features")
  func frozenEncoderKeepsItsWeights() throws {
    let model = try T.model(.whole)
    let before = T.encoderBits(of: model)
    let heads = (T.headBits(of: model), T.headBits(of: model, branch: 1))
    let history = try train(
      model, on: T.data,
      options: Self.options(groups: ["text.encoder": GroupOverride(frozen: true)]))
    #expect(T.encoderBits(of: model) == before)
    #expect(T.headBits(of: model) != heads.0)
    #expect(T.headBits(of: model, branch: 1) != heads.1)
    // The encoder never ran: its recorded pass is empty.
    #expect(model.branches[0].encoderBuffers.activations.tokens.isEmpty)
    #expect(model.branches[0].encoderIsPretrained)
    let encoder = try #require(history.epochs.last?.groups?.first { $0.name == "text.encoder" })
    #expect(encoder.updateRatio == 0)
  }

  @Test("frozen lower blocks keep every bit while the blocks above train")
  func frozenLowerBlocks() throws {
    let model = try T.model(.blocks)
    let before = T.encoderBits(of: model)
    let frozen = GroupOverride(frozen: true)
    let history = try train(
      model, on: T.data,
      options: Self.options(groups: ["text.embeddings": frozen, "text.layer.0": frozen]))
    let after = T.encoderBits(of: model)
    for name in before.keys.sorted() {
      let block = TextEncoder.block(ofStateTensor: name)!
      if block < 2 {
        #expect(after[name] == before[name], "\(name) moved")
      } else {
        #expect(after[name] != before[name], "\(name) did not move")
      }
    }
    let groups = try #require(history.epochs.last?.groups)
    let ratios = Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.updateRatio) })
    #expect(ratios["text.embeddings"] == 0 && ratios["text.layer.0"] == 0)
    #expect(ratios["text.layer.1"]! > 0)
    // The pass stopped below layer 1, so the frozen blocks report no gradient.
    let norms = Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0.gradientNorm) })
    #expect(norms["text.embeddings"] == 0 && norms["text.layer.0"] == 0)
    #expect(norms["text.layer.1"]! > 0)
  }

  /// Adam moves each weight by about its rate per step, whatever the gradient's size, so
  /// a group's update ratio follows its rate.
  @Test("an encoder at 2e-5 beside heads at 1e-2: each group's update ratio follows its rate")
  func updateRatiosFollowTheRates() throws {
    func run(encoderRate: Float) throws -> [String: GroupEpochStats] {
      let model = try T.model(.whole, dropout: 0)
      model.strategy = .perModality(names: ["text", "side"], rates: [encoderRate, 1e-2])
      let history = try train(
        model, on: T.data,
        options: Self.options(
          epochs: 1, optimizer: .adam, groups: ["text": GroupOverride(learningRate: 1e-2)]))
      let groups = try #require(history.epochs.last?.groups)
      #expect(history.epochs[0].branches[0].learningRate == encoderRate)
      return Dictionary(uniqueKeysWithValues: groups.map { ($0.name, $0) })
    }
    let slow = try run(encoderRate: 2e-5)
    let fast = try run(encoderRate: 1e-2)
    #expect(slow["text.encoder"]!.learningRate == 2e-5)
    #expect(slow["text"]!.learningRate == 1e-2 && slow["side"]!.learningRate == 1e-2)
    let encoderRatio = slow["text.encoder"]!.updateRatio
    #expect(encoderRatio > 0)
    #expect(encoderRatio * 50 < slow["text"]!.updateRatio)
    // 500 times the rate moves the encoder about 500 times as far.
    let factor = fast["text.encoder"]!.updateRatio / encoderRatio
    #expect(factor > 200 && factor < 1000, "the update ratio grew \(factor) times")
  }

  @Test(
    "every strategy trains the fine-tuning model, the encoder following its modality's rate",
    arguments: [
      RateStrategy.global(0.01), .keep, .smooth(alpha: 0.5), .auto(window: 2, every: 1, cap: 2),
    ])
  func everyStrategy(strategy: RateStrategy) throws {
    let model = try T.model(.blocks)
    model.bestRates = [0.001, 0.03]
    model.strategy = strategy
    let options = Self.options(
      epochs: 3, groups: ["text": GroupOverride(learningRate: 0.05)])
    let history = try train(model, on: T.data, options: options)
    #expect(history.epochs.count == 3)
    for epoch in history.epochs {
      let groups = try #require(epoch.groups)
      let rate = epoch.branches[0].learningRate
      for group in groups where group.name.hasPrefix("text.") {
        #expect(group.learningRate == rate, "\(group.name) in epoch \(epoch.epoch)")
      }
      #expect(epoch.devLoss.isFinite)
    }
    // The head's own rate moves by the factor its modality's does.
    let first = history.epochs[0]
    let last = history.epochs[2]
    let headFirst = first.groups![0].learningRate
    let headLast = last.groups![0].learningRate
    let expected =
      Double(headFirst) * Double(last.branches[0].learningRate)
      / Double(first.branches[0].learningRate)
    #expect(abs(Double(headLast) - expected) <= 1e-6 * expected)
  }

  @Test("a user rule's rates reach every group of the modality")
  func userRule() throws {
    let model = try T.model(.whole)
    model.strategy = .global(0.01)
    var calls = 0
    let history = try train(
      model, on: T.data, options: Self.options(epochs: 3),
      rateRule: { stats in
        calls += 1
        return [stats.branches[0].learningRate / 2, stats.branches[1].learningRate]
      })
    #expect(calls == 3)
    let encoderRates = history.epochs.map { $0.groups![1].learningRate }
    #expect(encoderRates == [0.01, 0.005, 0.0025])
    #expect(history.epochs.map { $0.groups![0].learningRate } == encoderRates)
    #expect(history.epochs.map { $0.groups![2].learningRate } == [0.01, 0.01, 0.01])
  }

  @Test("the modality's gradient norm is that of all its groups together")
  func gradientNormsSumOverGroups() throws {
    let model = try T.model(.blocks)
    let history = try train(model, on: T.data, options: Self.options(epochs: 1))
    let epoch = history.epochs[0]
    let groups = epoch.groups!.filter { $0.name == "text" || $0.name.hasPrefix("text.") }
    // Per batch sqrt(sum of squares); averaged over batches it is at most the root of the
    // summed squared averages and at least the largest group's average.
    let norm = epoch.branches[0].gradientNorm
    #expect(norm >= groups.map(\.gradientNorm).max()! * (1 - 1e-9))
    #expect(norm <= groups.reduce(0) { $0 + $1.gradientNorm } * (1 + 1e-9))
  }

  @Test("a sweep trains the fine-tuning branch alone at each rate")
  func sweepFineTunes() throws {
    let model = try T.model(.whole)
    let result = try sweep(model, on: T.data, rates: [0.001, 0.01], options: Self.options())
    #expect(result.bestRates.count == 2)
    #expect(!model.branches[0].encoderIsPretrained)
  }

  @Test("evaluation runs a moved encoder a chunk at a time, and a frozen one not at all")
  func evaluationRunsTheEncoderOnlyWhenItMoved() throws {
    let model = try T.model(.whole, dropout: 0)
    let fresh = try evaluate(model, on: T.data, split: "dev")
    #expect(model.branches[0].encoderIsPretrained)
    _ = try train(model, on: T.data, options: Self.options(epochs: 1))
    #expect(!model.branches[0].encoderIsPretrained)
    let trained = try evaluate(model, on: T.data, split: "dev")
    #expect(trained != fresh)

    // The same scores as a plain model with the trained heads, whose dev features are the
    // trained encoder's embeddings.
    var data = T.data
    let tokens = data.splits["dev"]!.tokenIDs["text"]!
    data.splits["dev"]!.features[0] = try model.branches[0].textEncoder!.encode(tokens)
    let plain = try FusionModel(
      dataset: data,
      shapes: [
        BranchShape(hidden: [6], activation: .gelu, dropout: 0),
        BranchShape(hidden: [5], dropout: 0),
      ],
      seed: 5)
    for m in 0..<2 {
      for (mine, theirs) in zip(plain.branches[m].parameters, model.branches[m].headParameters) {
        mine.value = theirs.value
      }
    }
    #expect(try evaluate(plain, on: data, split: "dev") == trained)
  }

  @Test("a fine-tuning branch divides a feature of almost no spread by a tenth of the typical")
  func nearlyConstantFeatures() throws {
    var data = T.data
    // A dimension that is nearly 0 for every text, as all-MiniLM-L6-v2 has.
    let count = data.splits["train"]!.count
    for row in 0..<count { data.splits["train"]!.features[0][row, 3] = Float(row % 2) * 1e-30 }
    let tuned = try T.model(.whole, data: data)
    let plain = try FusionModel(dataset: data, shapes: [BranchShape(), BranchShape()])
    let scales = tuned.branches[0].featureScale
    let raw = plain.branches[0].featureScale
    let rms = (raw.reduce(0.0) { $0 + Double($1) * Double($1) } / 8).squareRoot()
    #expect(plain.branches[0].featureScale[3] < 1e-29)
    #expect(abs(Double(scales[3]) - 0.1 * rms) < 1e-6 * rms)
    #expect(Array(scales[0..<3]) == Array(raw[0..<3]))
  }

  @Test("fine-tuning a modality that is not text is refused, naming the text modalities")
  func notText() throws {
    #expect {
      _ = try FusionModel(
        dataset: T.data,
        shapes: [BranchShape(), BranchShape(fineTuning: .whole)], seed: 1,
        encoders: ["text": PretrainedEncoder(encoder: T.pretrained, normalize: true)])
    } throws: { error in
      "\(error)"
        == "modality 'side' is not a text modality, so it has no encoder to fine-tune; the "
        + "text modalities are text"
    }
  }
}
