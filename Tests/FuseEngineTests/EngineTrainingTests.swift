import Testing

@testable import FuseEngine

@Suite("Training")
struct EngineTrainingTests {
  typealias F = EngineFixtures

  static let options = TrainingOptions(epochs: 4, batchSize: 16, seed: 5)

  static func model(_ data: Dataset, seed: UInt64 = 1) throws -> FusionModel {
    try FusionModel(dataset: data, shape: BranchShape(hidden: [8], dropout: 0.1), seed: seed)
  }

  @Test func learnsASeparableProblem() throws {
    let data = F.blobs(perClass: (60, 20, 20), separation: 4)
    let model = try Self.model(data)
    model.strategy = .global(0.05)
    let before = try evaluate(model, on: data, split: "test").fused.accuracy
    let history = try train(
      model, on: data, options: TrainingOptions(epochs: 20, batchSize: 16, seed: 1))
    let after = try evaluate(model, on: data, split: "test")
    #expect(before < 0.8)
    #expect(after.fused.accuracy >= 0.95)
    #expect(history.epochs.count == 20)
    #expect(history.epochs.last!.trainLoss < history.epochs.first!.trainLoss)
    #expect(history.epochs.last!.devAccuracy >= 0.95)
    // Every epoch records the rate, a positive gradient norm and update ratio per branch.
    for epoch in history.epochs {
      #expect(epoch.branches.map { $0.learningRate } == [0.05, 0.05])
      #expect(epoch.branches.allSatisfy { $0.gradientNorm > 0 && $0.updateRatio > 0 })
    }
  }

  @Test func sameSeedGivesTheSameHistoryAndWeights() throws {
    let data = F.blobs()
    let first = try Self.model(data)
    let second = first.copy()
    first.strategy = .global(0.05)
    second.strategy = .global(0.05)
    let a = try train(first, on: data, options: Self.options)
    let b = try train(second, on: data, options: Self.options)
    #expect(a == b)
    #expect(F.weights(of: first) == F.weights(of: second))

    var other = Self.options
    other.seed = 6
    let third = try Self.model(data)
    third.strategy = .global(0.05)
    let c = try train(third, on: data, options: other)
    #expect(a.epochs.map { $0.trainLoss } != c.epochs.map { $0.trainLoss })
  }

  @Test func modelSeedFixesTheInitialWeights() throws {
    let data = F.blobs()
    let first = F.weights(of: try Self.model(data, seed: 3))
    let again = F.weights(of: try Self.model(data, seed: 3))
    let other = F.weights(of: try Self.model(data, seed: 4))
    #expect(first == again)
    #expect(first[0] != other[0] && first[1] != other[1])
  }

  // A feature file with no columns loads as a modality of width 0. Its branch would draw
  // weights bounded by 1 / sqrt(0), and training would report a divergence and blame the rate.
  @Test func aModalityWithoutFeaturesIsRefusedByName() throws {
    var data = F.blobs()
    data.modalities[1] = Modality(name: "b", dimension: 0)
    for name in Array(data.splits.keys) {
      data.splits[name]!.features[1] = Matrix(rows: data.splits[name]!.count, columns: 0)
    }
    #expect(
      throws: EngineError.dataMismatch(
        "modality 'b' has no features; each branch needs at least one")
    ) {
      try FusionModel(dataset: data)
    }
  }

  @Test func stopCallbackStopsBetweenBatchesKeepingTheWeights() throws {
    let data = F.blobs()
    func run(stoppingAfter stop: Int) throws -> (History, FusionModel, Int) {
      let model = try Self.model(data)
      model.strategy = .global(0.05)
      var batches = 0
      let history = try train(
        model, on: data, options: Self.options,
        progress: { event in
          guard case .batch = event else { return true }
          batches += 1
          return batches < stop
        })
      return (history, model, batches)
    }
    let initial = F.weights(of: try Self.model(data))
    let (history, stopped, seen) = try run(stoppingAfter: 3)
    let (_, again, _) = try run(stoppingAfter: 3)
    let (_, later, _) = try run(stoppingAfter: 4)

    // 120 train samples in batches of 16 make 8 batches per epoch: 3 is mid-epoch.
    #expect(seen == 3)
    #expect(history.stoppedEarly)
    #expect(history.epochs.isEmpty)
    #expect(F.weights(of: stopped) != initial)
    #expect(F.weights(of: stopped) == F.weights(of: again))
    #expect(F.weights(of: stopped) != F.weights(of: later))
  }

  // The auto rule: eta_m(e + 1) = eta_m,0 * acc_m(e) / mean(acc_m over the previous
  // `window` validations), checked from the per-branch dev accuracies the history records.
  @Test func autoUpdatesRatesFromEachBranchsOwnAccuracy() throws {
    let data = F.blobs(perClass: (30, 10, 10), separation: 1.5)
    let model = try Self.model(data)
    model.bestRates = [0.02, 0.005]
    model.strategy = .auto(window: 2, every: 1)
    let history = try train(
      model, on: data, options: TrainingOptions(epochs: 8, batchSize: 16, seed: 3))
    let eta0: [Double] = [0.02, 0.005]
    let rates = history.epochs.map { $0.branches.map { Double($0.learningRate) } }
    let accuracy = history.epochs.map { $0.branches.map { $0.devAccuracy } }

    #expect(rates[0] == eta0.map { Double(Float($0)) })
    #expect(rates[1] == rates[0])  // after the first validation there is no previous one
    var changed = false
    for e in 2..<history.epochs.count {
      let previous = accuracy[max(0, e - 3)..<(e - 1)]
      for m in 0..<2 {
        let mean = previous.reduce(0.0) { $0 + $1[m] } / Double(previous.count)
        let expected = eta0[m] * accuracy[e - 1][m] / mean
        #expect(abs(rates[e][m] - expected) <= 1e-6 * expected, "epoch \(e + 1), branch \(m)")
        if abs(rates[e][m] - eta0[m]) > 1e-9 { changed = true }
      }
    }
    #expect(changed)
    #expect(model.currentRates.map { Double($0) } != eta0)
  }

  @Test func eachBranchIsScoredOnItsOwnLogits() throws {
    let data = F.blobs(perClass: (30, 12, 12))
    let model = try Self.model(data)
    // Branch "b" always says class 2: zero output weights and a large bias for class 2.
    let output = model.branches[1].layers.last as! Linear
    output.weight.value.values = Array(repeating: 0, count: output.weight.value.values.count)
    output.bias.value.values = [0, 0, 50]
    model.strategy = .global(1e-4)
    let history = try train(
      model, on: data, options: TrainingOptions(epochs: 1, batchSize: 16, seed: 2))

    let dev = data.splits["dev"]!
    let share = Double(dev.labels.filter { $0 == 2 }.count) / Double(dev.count)
    let stats = history.epochs[0].branches
    #expect(stats[1].devAccuracy == share)
    #expect(stats[0].devAccuracy != share)
    let report = try evaluate(model, on: data, split: "dev")
    #expect(report.branches[0].metrics.accuracy == stats[0].devAccuracy)
    #expect(report.branches[1].metrics.accuracy == share)
    #expect(report.branches[1].metrics.confusion.allSatisfy { $0[0] == 0 && $0[1] == 0 })
  }

  @Test func divergenceNamesTheModalityAndRestoresTheEpochsWeights() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    model.bestRates = [0.01, 1e6]
    model.strategy = .keep
    var snapshot: [[Float]] = []
    #expect(throws: EngineError.self) {
      _ = try train(
        model, on: data, options: Self.options,
        progress: { event in
          if case .epochStarted = event { snapshot = F.weights(of: model) }
          return true
        })
    }
    do {
      _ = try train(model.copy(), on: data, options: Self.options)
      Issue.record("a rate of 1e6 should diverge")
    } catch let EngineError.diverged(_, batch, modality, rate, loss, _) {
      #expect(modality == "b")
      #expect(rate == 1e6)
      #expect(batch >= 1)
      #expect(!loss.isFinite)
    }
    #expect(F.weights(of: model) == snapshot)
    #expect(F.weights(of: model).allSatisfy { $0.allSatisfy(\.isFinite) })
  }

  @Test func sweepKeepsTheBestRateAndTheWeightsItProduced() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    let initial = model.copy()
    let rates: [Float] = [1e-4, 0.05, 1e7]
    var points = 0
    let result = try sweep(model, on: data, rates: rates, options: Self.options) { event in
      if case .sweepPoint = event { points += 1 }
      return true
    }
    #expect(points == 6)
    #expect(result.diverged.map { $0[2] } == [true, true])
    #expect(result.bestRates.count == 2)
    #expect(model.bestRates.map { $0! } == result.bestRates)

    for m in 0..<2 {
      let r = rates.firstIndex(of: result.bestRates[m])!
      let scored = zip(result.devAccuracy[m], result.devMacroF1[m])
      #expect(scored.allSatisfy { $0.0 <= result.devAccuracy[m][r] })

      // Training the initial branch alone at the chosen rate reproduces the kept weights.
      let alone = FusionModel(
        branches: [initial.branches[m].copy()], classNames: data.classNames)
      alone.strategy = .global(result.bestRates[m])
      _ = try train(alone, on: data.restricted(to: m), options: Self.options)
      #expect(
        alone.branches[0].parameters.map { $0.value }
          == model.branches[m].parameters.map { $0.value })
    }
    // The scores are the branch's own: evaluating the kept branch alone gives them back.
    let report = try evaluate(model, on: data, split: "dev")
    for m in 0..<2 {
      let r = rates.firstIndex(of: result.bestRates[m])!
      #expect(report.branches[m].metrics.accuracy == result.devAccuracy[m][r])
    }
  }

  @Test func errorsNameWhatIsWrong() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    #expect(throws: EngineError.unknownSplit("valid", available: ["dev", "test", "train"])) {
      _ = try evaluate(model, on: data, split: "valid")
    }
    model.strategy = .keep
    #expect(throws: EngineError.missingBestRates(modalities: ["a", "b"], strategy: "keep")) {
      _ = try train(model, on: data, options: Self.options)
    }
    model.strategy = .global(0.1)
    var bad = Self.options
    bad.batchSize = 0
    #expect(throws: EngineError.self) { _ = try train(model, on: data, options: bad) }
    let message = EngineError.diverged(
      epoch: 3, batch: 7, modality: "audio", learningRate: 0.3, loss: .nan
    ).description
    #expect(message.contains("epoch 3") && message.contains("batch 7"))
    #expect(message.contains("'audio'") && message.contains("0.3"))
  }
}

@Suite("Training with a user rate rule")
struct EngineRateRuleTests {
  @Test func ruleIsCalledAfterEveryEpochAndItsRatesAreUsed() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    model.strategy = .global(0.04)
    var calls: [Int] = []
    let history = try train(
      model, on: data, options: TrainingOptions(epochs: 4, batchSize: 16, seed: 1),
      rateRule: { stats in
        calls.append(stats.epoch)
        // Halve the first modality's rate, keep the second's.
        return stats.epoch == 2 ? nil : [stats.branches[0].learningRate / 2, 0.04]
      })
    #expect(calls == [1, 2, 3, 4])
    let rates = history.epochs.map { $0.branches[0].learningRate }
    #expect(rates == [0.04, 0.02, 0.02, 0.01])
    #expect(history.epochs.allSatisfy { $0.branches[1].learningRate == 0.04 })
    #expect(model.currentRates == [0.005, 0.04])
  }

  @Test func ruleReturningTheWrongCountIsAnError() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    #expect(throws: EngineError.self) {
      _ = try train(
        model, on: data, options: TrainingOptions(epochs: 2, batchSize: 16),
        rateRule: { _ in [0.1] })
    }
  }

  @Test func nonFiniteFeaturesAreNamed() throws {
    var data = EngineFixtures.blobs()
    data.splits["dev"]!.features[1][2, 1] = .nan
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [8]), seed: 1)
    do {
      _ = try evaluate(model, on: data, split: "dev")
      Issue.record("NaN features should be rejected")
    } catch let error as EngineError {
      #expect(error.description.contains("'b'") && error.description.contains("sample 2"))
    }
  }
}
