import Foundation
import Testing

@testable import FuseEngine

/// Regression scores and losses against NumPy (Fixtures/make_regression_fixture.py) and
/// against small cases worked by hand.
@Suite("Regression metrics")
struct RegressionMetricsTests {
  struct Fixture: Decodable {
    struct Case: Decodable {
      var name: String
      var targets: [Double]
      var predictions: [Double]
      var mse: Double
      var mae: Double
      var corr: Double?
      var acc2: Double
      var mseGradient: [Double]
      var maeGradient: [Double]

      enum CodingKeys: String, CodingKey {
        case name, targets, predictions, mse, mae, corr, acc2
        case mseGradient = "mse_gradient"
        case maeGradient = "mae_gradient"
      }
    }
    var cases: [Case]
  }

  static let fixture: Fixture = {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/regression_fixture.json")
    return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }()

  static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(b))
  }

  @Test func everyCaseMatchesNumPy() {
    #expect(Self.fixture.cases.count == 8)
    for c in Self.fixture.cases {
      let metrics = RegressionMetrics(
        targets: c.targets.map { Float($0) }, predictions: c.predictions.map { Float($0) })
      #expect(metrics.count == c.targets.count, "\(c.name)")
      #expect(Self.close(metrics.meanSquaredError, c.mse), "\(c.name): \(metrics)")
      #expect(Self.close(metrics.meanAbsoluteError, c.mae), "\(c.name): \(metrics)")
      #expect(metrics.binaryAccuracy == c.acc2, "\(c.name): \(metrics)")
      if let corr = c.corr {
        #expect(Self.close(metrics.correlation, corr, 1e-9), "\(c.name): \(metrics)")
      } else {
        #expect(metrics.correlation.isNaN, "\(c.name): NumPy gives nan, FuseLab \(metrics)")
      }
    }
  }

  @Test(arguments: [LossFunction.meanSquaredError, .meanAbsoluteError])
  func lossesAndGradientsMatchNumPy(_ loss: LossFunction) {
    for c in Self.fixture.cases {
      let predictions = Matrix(
        rows: c.predictions.count, columns: 1, values: c.predictions.map { Float($0) })
      var gradient = Matrix(rows: 0, columns: 0)
      let value = regressionLoss(
        loss, predictions: predictions, targets: c.targets.map { Float($0) }, gradient: &gradient)
      let (expected, expectedGradient) =
        loss == .meanSquaredError ? (c.mse, c.mseGradient) : (c.mae, c.maeGradient)
      // The loss is a Float: six or seven significant digits.
      #expect(Self.close(Double(value), expected, 1e-6), "\(c.name) \(loss)")
      #expect(gradient.rows == c.targets.count && gradient.columns == 1)
      for (analytic, reference) in zip(gradient.values, expectedGradient) {
        #expect(Self.close(Double(analytic), reference, 1e-6), "\(c.name) \(loss)")
      }
    }
  }

  /// Worked by hand: t = [1, -2, 0, 3], p = [2, -2, -1, 1].
  @Test func aSmallCaseByHand() {
    let metrics = RegressionMetrics(targets: [1, -2, 0, 3], predictions: [2, -2, -1, 1])
    // errors 1, 0, -1, -2: squares 1 + 0 + 1 + 4 = 6, absolute 1 + 0 + 1 + 2 = 4.
    #expect(metrics.meanSquaredError == 1.5)
    #expect(metrics.meanAbsoluteError == 1)
    // Signs (>= 0): targets + - + +, predictions + - - +: three of four agree.
    #expect(metrics.binaryAccuracy == 0.75)
    // Means 0.5 and 0; deviations t' = [0.5, -2.5, -0.5, 2.5], p' = [2, -2, -1, 1]:
    // sum t'p' = 1 + 5 + 0.5 + 2.5 = 9, sum t'^2 = 13, sum p'^2 = 10, r = 9 / sqrt(130).
    #expect(abs(metrics.correlation - 9 / 130.0.squareRoot()) < 1e-12)
  }

  @Test func correlationIsNaNWhenASideIsConstantAndOneAtMostInMagnitude() {
    #expect(RegressionMetrics(targets: [1, 2, 3], predictions: [5, 5, 5]).correlation.isNaN)
    #expect(RegressionMetrics(targets: [4, 4], predictions: [1, 2]).correlation.isNaN)
    #expect(RegressionMetrics(targets: [], predictions: []).meanAbsoluteError.isNaN)
    // Exactly proportional sides: rounding must not carry r past 1.
    let targets: [Float] = (0..<1000).map { Float($0) * 0.1 + 0.3 }
    let r = RegressionMetrics(targets: targets, predictions: targets.map { $0 * 3 }).correlation
    #expect(r <= 1 && r > 1 - 1e-12)
  }

  /// An undefined correlation in one run must not make two equal runs compare unequal.
  @Test func scoresWithAnUndefinedCorrelationCompareEqual() {
    let a = RegressionMetrics(targets: [1, 2], predictions: [0, 0])
    let b = RegressionMetrics(targets: [1, 2], predictions: [0, 0])
    #expect(a.correlation.isNaN && a == b)
    #expect(a != RegressionMetrics(targets: [1, 2], predictions: [0, 1]))
  }

  @Test func theAbsoluteErrorsGradientIsZeroWhereThePredictionIsExact() {
    var gradient = Matrix(rows: 0, columns: 0)
    let loss = regressionLoss(
      .meanAbsoluteError, predictions: Matrix(rows: 3, columns: 1, values: [1, 2, -4]),
      targets: [1, 3, -5], gradient: &gradient)
    #expect(loss == Float(2) / 3)
    #expect(gradient.values == [0, -1.0 / 3, 1.0 / 3])
  }

  @Test func aNonFinitePredictionGivesANonFiniteLoss() {
    let predictions = Matrix(rows: 2, columns: 1, values: [.nan, 1])
    #expect(regressionLoss(.meanSquaredError, predictions: predictions, targets: [0, 0]).isNaN)
    let infinite = Matrix(rows: 1, columns: 1, values: [.infinity])
    #expect(!regressionLoss(.meanAbsoluteError, predictions: infinite, targets: [0]).isFinite)
  }
}
