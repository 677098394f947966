/// Errors, correlation and sign agreement of regression predictions against their targets.
///
/// Conventions, each chosen to match a reference a user can check against:
/// - `meanSquaredError` and `meanAbsoluteError` are means over the samples (scikit-learn's
///   `mean_squared_error` and `mean_absolute_error`).
/// - `correlation` is Pearson's r (NumPy's `corrcoef`, SciPy's `pearsonr`): NaN when the
///   predictions or the targets have zero variance, or there are fewer than two samples,
///   since r is undefined there; otherwise clipped to [-1, 1] as NumPy clips it.
/// - `binaryAccuracy` is CMU-MOSI's Acc-2 in its negative / non-negative form: the share
///   of samples where `prediction >= 0` agrees with `target >= 0`, so a target of exactly
///   0 counts as positive and every sample counts. (The other form in the literature drops
///   the samples whose target is 0; it is not the one computed here.)
///
/// Every sum runs in double precision. With no samples every score is NaN.
public struct RegressionMetrics: Sendable, Codable, CustomStringConvertible {
  public var count: Int
  public var meanSquaredError: Double
  public var meanAbsoluteError: Double
  public var correlation: Double
  public var binaryAccuracy: Double

  public init(targets: [Float], predictions: [Float]) {
    precondition(targets.count == predictions.count, "one prediction per target")
    count = targets.count
    guard count > 0 else {
      (meanSquaredError, meanAbsoluteError, correlation, binaryAccuracy) = (.nan, .nan, .nan, .nan)
      return
    }
    let n = Double(count)
    var squared = 0.0
    var absolute = 0.0
    var agreeing = 0
    var targetSum = 0.0
    var predictionSum = 0.0
    for (target, prediction) in zip(targets, predictions) {
      let difference = Double(prediction) - Double(target)
      squared += difference * difference
      absolute += abs(difference)
      if (prediction >= 0) == (target >= 0) { agreeing += 1 }
      targetSum += Double(target)
      predictionSum += Double(prediction)
    }
    meanSquaredError = squared / n
    meanAbsoluteError = absolute / n
    binaryAccuracy = Double(agreeing) / n

    // Two passes: deviations from the means, so that a constant side has exactly zero spread.
    let (targetMean, predictionMean) = (targetSum / n, predictionSum / n)
    var product = 0.0
    var targetSquares = 0.0
    var predictionSquares = 0.0
    for (target, prediction) in zip(targets, predictions) {
      let dt = Double(target) - targetMean
      let dp = Double(prediction) - predictionMean
      product += dt * dp
      targetSquares += dt * dt
      predictionSquares += dp * dp
    }
    let spread = targetSquares.squareRoot() * predictionSquares.squareRoot()
    correlation = spread > 0 ? min(1, max(-1, product / spread)) : .nan
  }

  /// The short names the language, the monitors and the exports give the scores.
  public static let scoreNames = ["mse", "mae", "corr", "acc2"]

  /// A score by its short name: "mse", "mae", "corr" (Pearson's r) or "acc2" (binary
  /// accuracy); nil for any other name.
  public func score(named name: String) -> Double? {
    switch name {
    case "mse": return meanSquaredError
    case "mae": return meanAbsoluteError
    case "corr": return correlation
    case "acc2": return binaryAccuracy
    default: return nil
    }
  }

  public var description: String {
    "MSE \(meanSquaredError), MAE \(meanAbsoluteError), r \(correlation), "
      + "binary accuracy \(binaryAccuracy) over \(count) samples"
  }
}

extension RegressionMetrics: Equatable {
  /// Scores computed from the same numbers are equal, an undefined correlation (NaN)
  /// included, so that two runs that repeat each other compare equal.
  public static func == (lhs: RegressionMetrics, rhs: RegressionMetrics) -> Bool {
    func same(_ a: Double, _ b: Double) -> Bool { a == b || (a.isNaN && b.isNaN) }
    return lhs.count == rhs.count && same(lhs.meanSquaredError, rhs.meanSquaredError)
      && same(lhs.meanAbsoluteError, rhs.meanAbsoluteError)
      && same(lhs.correlation, rhs.correlation) && same(lhs.binaryAccuracy, rhs.binaryAccuracy)
  }
}
