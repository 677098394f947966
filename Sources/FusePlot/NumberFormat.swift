import Foundation

/// Formats a number for an axis, a bar end or a bin edge: short, and exact enough to read.
///
/// Three significant digits, no trailing zeros; integers of four digits or more are printed
/// whole (`12345`); magnitudes below 1e-4 or from 1e7 use an exponent (`1e-05`, `1.5e+07`).
/// Non-finite values print as `nan`, `inf` and `-inf`.
///
///     compactNumber(0.001)   // "0.001"
///     compactNumber(1e-5)    // "1e-05"
///     compactNumber(0.8571)  // "0.857"
///     compactNumber(12345)   // "12345"
public func compactNumber(_ value: Double) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  if value == 0 { return "0" }

  // The exponent after rounding to three digits, so 999.7 counts as 1000; near the largest
  // Double the rounded text reads back as infinity, so the value itself is used.
  var rounded = Double(String(format: "%.2e", value)) ?? value
  if !rounded.isFinite { rounded = value }
  let exponent = Int(log10(abs(rounded)).rounded(.down))

  if exponent < -4 || exponent >= 7 {
    return stripTrailingZeros(String(format: "%.2e", value))
  }
  if exponent >= 3 {
    return String(format: "%.0f", value)
  }
  return stripTrailingZeros(String(format: "%.\(2 - exponent)f", value))
}

/// Removes the zeros after a decimal point ("0.500" → "0.5", "1.50e-05" → "1.5e-05").
private func stripTrailingZeros(_ text: String) -> String {
  let parts = text.split(separator: "e", maxSplits: 1)
  var mantissa = String(parts[0])
  if mantissa.contains(".") {
    while mantissa.hasSuffix("0") { mantissa.removeLast() }
    if mantissa.hasSuffix(".") { mantissa.removeLast() }
  }
  return parts.count == 2 ? mantissa + "e" + parts[1] : mantissa
}
