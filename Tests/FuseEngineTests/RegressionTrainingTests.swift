import Testing

@testable import FuseEngine

/// Training, evaluating and sweeping a regression model, and the options it refuses.
@Suite("Regression training")
struct RegressionTrainingTests {
  typealias F = EngineFixtures

  static func model(_ data: Dataset, seed: UInt64 = 1, rate: Float = 0.05) throws -> FusionModel {
    let model = try FusionModel(
      dataset: data, shape: BranchShape(hidden: [16], dropout: 0), seed: seed)
    model.strategy = .global(rate)
    return model
  }

  @Test(arguments: [LossFunction.meanSquaredError, .meanAbsoluteError])
  func learnsALinearRelation(_ loss: LossFunction) throws {
    let data = F.linearTargets()
    let spread = TargetSummary(data.splits["dev"]!.targets).standardDeviation
    let model = try Self.model(data)
    let before = try evaluate(model, on: data, split: "dev").regression!
    var options = TrainingOptions(epochs: 40, batchSize: 16, seed: 2)
    options.loss = loss
    let history = try train(model, on: data, options: options)
    let after = try evaluate(model, on: data, split: "test").regression!

    #expect(history.task == .regression && history.loss == loss)
    #expect(before.meanAbsoluteError > 0.5 * spread)
    // The noise is 0.1; a model predicting the mean would have an MAE near 0.8 spread.
    #expect(after.meanAbsoluteError < 0.2 * spread, "\(after), spread \(spread)")
    #expect(after.correlation > 0.97 && after.binaryAccuracy > 0.9, "\(after)")
    #expect(history.epochs.last!.trainLoss < history.epochs.first!.trainLoss)
    // The loss trained on is the dev loss of the history.
    let dev = history.epochs.last!.devRegression!
    let devError = loss == .meanSquaredError ? dev.meanSquaredError : dev.meanAbsoluteError
    #expect(abs(history.epochs.last!.devLoss - devError) < 1e-5 * max(1, devError))
  }

  @Test func sameSeedGivesTheSameHistoryAndWeights() throws {
    let data = F.linearTargets()
    let first = try Self.model(data)
    let second = first.copy()
    let options = TrainingOptions(epochs: 3, batchSize: 16, seed: 5)
    let a = try train(first, on: data, options: options)
    let b = try train(second, on: data, options: options)
    #expect(a == b)
    #expect(a.threadCount == matrixThreadCount)
    #expect(F.weights(of: first) == F.weights(of: second))
  }

  /// The fused and per-branch scores of evaluate() against the outputs computed here, each
  /// branch from its own output f_m alone.
  @Test func evaluationScoresTheFusedAndEachBranchsOwnOutput() throws {
    let data = F.linearTargets()
    let model = try Self.model(data)
    model.fusionWeights = [1.5, 0.5]
    let split = data.splits["dev"]!
    let report = try evaluate(model, on: data, split: "dev")

    var generator = SeededGenerator(seed: 0)
    var outputs: [[Float]] = []
    for (m, branch) in model.branches.enumerated() {
      branch.forward(branch.standardized(split.features[m]), training: false, generator: &generator)
      outputs.append(branch.logits.values)
    }
    let fused = (0..<split.count).map { 1.5 * outputs[0][$0] + 0.5 * outputs[1][$0] }
    let expected = RegressionMetrics(targets: split.targets, predictions: fused)
    let scored = try #require(report.regression)
    #expect(abs(scored.meanAbsoluteError - expected.meanAbsoluteError) < 1e-6)
    #expect(abs(scored.correlation - expected.correlation) < 1e-6)
    #expect(scored.binaryAccuracy == expected.binaryAccuracy)
    #expect(abs(report.loss - expected.meanSquaredError) < 1e-5)
    #expect(report.sampleCount == 60 && report.classNames.isEmpty)
    for m in 0..<2 {
      let own = RegressionMetrics(targets: split.targets, predictions: outputs[m])
      let branch = try #require(report.branches[m].regression)
      #expect(abs(branch.meanAbsoluteError - own.meanAbsoluteError) < 1e-6)
      #expect(abs(branch.correlation - own.correlation) < 1e-6)
      #expect(branch.binaryAccuracy == own.binaryAccuracy)
    }
    #expect(report.branches[0].regression != report.branches[1].regression)
  }

  /// A constant target makes Pearson's r nan on every epoch: early stopping on it ends
  /// after its patience and says why no epoch was best, not "best none at epoch none".
  @Test func earlyStoppingOnANanScoreSaysWhyNoEpochWasBest() throws {
    var data = F.linearTargets()
    for (name, split) in data.splits {
      data.splits[name] = DataSplit(
        features: split.features, targets: Array(repeating: 1, count: split.count))
    }
    let model = try Self.model(data)
    var options = TrainingOptions(epochs: 5, batchSize: 16, seed: 2)
    options.earlyStopping = EarlyStopping(monitor: Monitor("dev_corr"), patience: 1)
    let history = try train(model, on: data, options: options)
    #expect(history.epochs.count == 1)
    #expect(
      history.stopReason
        == "early stopping after epoch 1: dev_corr did not improve for 1 epoch; it was never a "
        + "number (nan), so no epoch counted as best")
  }

  @Test func earlyStoppingOnDevMAERestoresTheBestEpoch() throws {
    let data = F.linearTargets()
    let model = try Self.model(data, rate: 0.1)
    var options = TrainingOptions(epochs: 30, batchSize: 16, seed: 3)
    options.earlyStopping = EarlyStopping(monitor: Monitor("dev_mae"), patience: 2)
    #expect(options.earlyStopping?.monitor.mode == .min)
    let history = try train(model, on: data, options: options)
    let maes = history.epochs.map { $0.devRegression!.meanAbsoluteError }
    let best = try #require(history.bestEpoch)
    #expect(maes[best - 1] == maes.min())
    #expect(history.stopReason?.hasPrefix("early stopping after epoch") == true)
    #expect(history.restoredBest && best < history.epochs.count)
    let now = try evaluate(model, on: data, split: "dev").regression!.meanAbsoluteError
    #expect(abs(now - maes[best - 1]) < 1e-6)
    #expect(Monitor("a.dev_corr").mode == .max && Monitor("dev_acc2").mode == .max)
    #expect(
      Monitor("b.dev_mse").value(in: history.epochs[0])
        == history.epochs[0].branches[1]
        .devRegression!.meanSquaredError)
  }

  @Test func monitorsAreCheckedAgainstTheTask() throws {
    let regression = F.linearTargets()
    var options = TrainingOptions(epochs: 1)
    options.earlyStopping = EarlyStopping(monitor: Monitor("dev_acc"))
    #expect {
      try train(try Self.model(regression), on: regression, options: options)
    } throws: { error in
      "\(error)".contains("for a regression model use one of loss, mae, corr, acc2, dev_loss")
    }
    options.earlyStopping = EarlyStopping(monitor: Monitor("dev_mae"))
    let classification = F.blobs()
    #expect(throws: EngineError.self) {
      try train(try FusionModel(dataset: classification), on: classification, options: options)
    }
  }

  @Test func classWeightsAndAClassificationLossAreRefused() throws {
    let data = F.linearTargets()
    var options = TrainingOptions(epochs: 1, classWeights: .balanced)
    #expect(
      throws: EngineError.invalidOption(
        name: "class_weights", value: "\"balanced\"",
        reason: "a regression task has no classes to weigh; leave class_weights out")
    ) { try train(try Self.model(data), on: data, options: options) }

    options = TrainingOptions(epochs: 1, loss: .crossEntropy)
    #expect(
      throws: EngineError.invalidOption(
        name: "loss", value: "\"cross_entropy\"",
        reason: "a regression model trains on \"mse\" or \"mae\"")
    ) { try train(try Self.model(data), on: data, options: options) }

    let blobs = F.blobs()
    options = TrainingOptions(epochs: 1, loss: .meanAbsoluteError)
    #expect(
      throws: EngineError.invalidOption(
        name: "loss", value: "\"mae\"", reason: "a classification model trains on \"cross_entropy\""
      )
    ) { try train(try FusionModel(dataset: blobs), on: blobs, options: options) }
  }

  @Test func aModelFitsOnlyDataOfItsTask() throws {
    let model = try Self.model(F.linearTargets())
    #expect(throws: EngineError.self) { try evaluate(model, on: F.blobs(), split: "dev") }
  }

  /// The sweep keeps, per modality, the rate of lowest dev MAE and that rate's weights.
  @Test func sweepKeepsTheRateOfLowestDevMAE() throws {
    let data = F.linearTargets()
    let model = try Self.model(data)
    let rates: [Float] = [0.001, 0.03, 0.3]
    let result = try sweep(
      model, on: data, rates: rates, options: TrainingOptions(epochs: 4, batchSize: 16, seed: 1))
    #expect(result.task == .regression && result.devRegression.count == 2)
    for m in 0..<2 {
      let maes = result.devRegression[m].map(\.meanAbsoluteError)
      let best = maes.indices.min { maes[$0] < maes[$1] }!
      #expect(result.bestRates[m] == rates[best], "\(maes)")
      #expect(model.bestRates[m] == rates[best])
    }
    // The branches kept are those the chosen rates produced: alone, each scores as swept.
    for m in 0..<2 {
      let alone = FusionModel(
        branches: [model.branches[m]], classNames: [], task: .regression)
      let report = try evaluate(alone, on: data.restricted(to: m), split: "dev")
      let best = rates.firstIndex(of: result.bestRates[m])!
      #expect(report.regression == result.devRegression[m][best])
    }
  }

  /// `auto` follows 1 / (1 + dev MAE) of each branch's own output for regression.
  @Test func autoFollowsEachBranchsOwnDevMAE() throws {
    let data = F.linearTargets()
    let model = try Self.model(data)
    model.bestRates = [0.02, 0.05]
    model.strategy = .auto(window: 1, every: 1)
    let history = try train(
      model, on: data, options: TrainingOptions(epochs: 3, batchSize: 16, seed: 4))
    for epoch in 1..<3 {
      for m in 0..<2 {
        let now = history.epochs[epoch - 1].branches[m].devRegression!.meanAbsoluteError
        let before = history.epochs[max(0, epoch - 2)].branches[m].devRegression!
          .meanAbsoluteError
        // After epoch 1 there is no earlier validation, so the rate stays.
        let ratio = epoch == 1 ? 1 : (1 / (1 + now)) / (1 / (1 + before))
        let expected = Double(model.bestRates[m]!) * ratio
        let rate = Double(history.epochs[epoch].branches[m].learningRate)
        #expect(abs(rate - expected) < 1e-6 * expected, "epoch \(epoch + 1) branch \(m)")
      }
    }
  }

  @Test func theExportHasRegressionColumns() throws {
    let data = F.linearTargets()
    let history = try train(
      try Self.model(data), on: data, options: TrainingOptions(epochs: 2, batchSize: 32, seed: 1))
    let header = history.csv().split(separator: "\n")[0]
    #expect(
      header
        == "epoch,loss,mae,corr,acc2,dev_loss,dev_mse,dev_mae,dev_corr,dev_acc2,"
        + "a_lr,a_gradnorm,a_update_ratio,a_mae,a_dev_mse,a_dev_mae,a_dev_corr,a_dev_acc2,"
        + "b_lr,b_gradnorm,b_update_ratio,b_mae,b_dev_mse,b_dev_mae,b_dev_corr,b_dev_acc2,"
        + "w_a,w_b")
    let second = history.rows[1]
    let stats = history.epochs[1]
    #expect(second[7] == stats.devRegression!.meanAbsoluteError)
    #expect(second[8] == stats.devRegression!.correlation)
    #expect(second[24] == stats.branches[1].devRegression!.correlation)
  }
}
