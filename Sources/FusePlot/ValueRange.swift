/// The span of values a plot axis covers, with arithmetic that stays finite for every finite
/// `low` and `high`.
///
/// `high - low` overflows to infinity when the values reach towards both ends of the Double
/// range (-1e308 and 1e308). Then the halves are used instead: halving is exact for such
/// large numbers, so every other range gives the same results as the plain formulas.
struct ValueRange {
  let low: Double
  let high: Double

  /// Where `value` lies, 0 at `low` and 1 at `high`.
  func fraction(of value: Double) -> Double {
    let span = high - low
    if span.isFinite { return (value - low) / span }
    return (value / 2 - low / 2) / (high / 2 - low / 2)
  }

  /// `magnitude` as a share of the span, for bar lengths.
  func share(of magnitude: Double) -> Double {
    let span = high - low
    if span.isFinite { return magnitude / span }
    return (magnitude / 2) / (high / 2 - low / 2)
  }

  /// The value a fraction `t` of the way from `low` to `high` (`high` may be the smaller).
  func value(atFraction t: Double) -> Double {
    let span = high - low
    if span.isFinite { return low + span * t }
    return 2 * (low / 2 + (high / 2 - low / 2) * t)
  }
}
