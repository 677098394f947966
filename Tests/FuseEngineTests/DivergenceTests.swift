import FuseFormat
import Testing

@testable import FuseEngine

/// Training that diverges must stop naming the group and rate to blame and keep the last
/// good weights: those the failing epoch started from.
@Suite("Divergence")
struct DivergenceTests {
  typealias F = EngineFixtures

  static func model(_ data: Dataset) throws -> FusionModel {
    try FusionModel(dataset: data, shape: BranchShape(hidden: [8], dropout: 0), seed: 3)
  }

  /// With one batch per epoch the step that breaks the weights is the epoch's last, so no
  /// train loss is ever non-finite; this used to finish "successfully" with broken weights.
  @Test func aLastStepThatBreaksTheWeightsIsCaughtByTheDevPass() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    let before = F.weights(of: model)
    model.bestRates = [0.01, 1e30]
    model.strategy = .keep
    do {
      _ = try train(model, on: data, options: TrainingOptions(epochs: 3, batchSize: 1_000, seed: 1))
      Issue.record("a rate of 1e30 should diverge")
    } catch let EngineError.diverged(epoch, batch, modality, rate, loss, _) {
      #expect(epoch == 1 && batch == 1)
      #expect(modality == "b" && rate == 1e30)
      #expect(!loss.isFinite)
    }
    #expect(F.weights(of: model) == before)
  }

  @Test func learnedFusionWeightsAtTooHighARateAreBlamed() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    model.strategy = .global(0.01)
    var options = TrainingOptions(epochs: 3, batchSize: 16, seed: 1)
    options.learnFusionWeights = true
    options.groups["fusion"] = GroupOverride(learningRate: 1e30)
    let before = F.weights(of: model)
    do {
      _ = try train(model, on: data, options: options)
      Issue.record("fusion weights at 1e30 should diverge")
    } catch let error as EngineError {
      guard case .diverged(_, _, let modality, let rate, _, _) = error else {
        Issue.record("expected a divergence, got \(error)")
        return
      }
      #expect(modality == "fusion" && rate == 1e30)
      #expect(
        error.description.contains(
          "the learned fusion weights (group 'fusion') at learning rate 1e30"))
    }
    #expect(F.weights(of: model) == before)
    #expect(model.fusionWeights == [1, 1])
  }

  @Test func aSweepWhereEveryRateDivergesNamesTheModalityAndLeavesTheModel() throws {
    let data = F.blobs()
    let model = try Self.model(data)
    let before = F.weights(of: model)
    var scores: [Double] = []
    #expect(throws: EngineError.sweepDiverged(modality: "a", rates: [1e30, 1e31])) {
      _ = try sweep(
        model, on: data, rates: [1e30, 1e31], options: TrainingOptions(epochs: 2, batchSize: 16)
      ) { event in
        if case .sweepPoint(_, _, let score) = event { scores.append(score) }
        return true
      }
    }
    #expect(scores.count == 2 && scores.allSatisfy { $0.isNaN })
    #expect(F.weights(of: model) == before)
    #expect(model.bestRates == [nil, nil])
    let message = EngineError.sweepDiverged(modality: "a", rates: [1e30, 1e31]).description
    #expect(message.contains("modality 'a' (1e30, 1e31); the model was left unchanged"))
  }

  /// Rates in messages read as the language prints them, whole numbers without a point.
  @Test(arguments: [
    (Float(0.01), "0.01"), (1e6, "1000000"), (1e30, "1e30"), (1e-5, "1e-5"), (0.3, "0.3"),
    (.nan, "nan"), (.infinity, "inf"), (1, "1"), (1e4, "10000"),
  ])
  func ratesReadAsWritten(rate: Float, text: String) {
    #expect(formatNumber(rate) == text)
  }
}
