import Foundation

/// Formats a number the way FuseLab shows every number to a user: values, messages, plot
/// axes and the descriptions of strategies and schedules.
///
/// Whole numbers below 1e15 print without a decimal point (`3`, not `3.0`). Other numbers
/// print with at most `significantDigits` significant digits and no trailing zeros, so
/// 0.1 + 0.2 prints `0.3`; very small or large ones use a short exponent (`1e-7`,
/// `1.23457e6`, `-9.09e298`), never `1e-07` or `1e+300`. Non-finite values print as `nan`,
/// `inf` and `-inf`.
///
///     formatNumber(3)                            // "3"
///     formatNumber(1e-3)                         // "0.001"
///     formatNumber(1234567.5)                    // "1.23457e6"
///     formatNumber(0.8571, significantDigits: 3) // "0.857"
public func formatNumber(_ number: Double, significantDigits: Int = 6) -> String {
  if number.isNaN { return "nan" }
  if number.isInfinite { return number < 0 ? "-inf" : "inf" }
  if number == number.rounded() && abs(number) < 1e15 {
    return String(Int64(number))
  }

  // %g keeps the significant digits and drops trailing zeros; tidy its exponent.
  let digits = max(1, min(significantDigits, 17))
  let text = String(format: "%.\(digits)g", number)
  guard let e = text.firstIndex(of: "e") else { return text }
  let mantissa = text[..<e]
  var exponent = text[text.index(after: e)...]
  let sign = exponent.first == "-" ? "-" : ""
  if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
  let exponentDigits = exponent.drop { $0 == "0" }
  return "\(mantissa)e\(sign)\(exponentDigits.isEmpty ? "0" : String(exponentDigits))"
}

/// A 32-bit value (a learning rate, a factor) in the same form as `formatNumber`.
///
/// Six significant digits hide the float's binary rounding: `Float(0.1)` prints `0.1`.
public func formatNumber(_ number: Float, significantDigits: Int = 6) -> String {
  formatNumber(Double(number), significantDigits: significantDigits)
}

/// Formats a number with exactly `digits` digits after the decimal point (0 to 15).
public func formatFixed(_ number: Double, digits: Int) -> String {
  if number.isNaN || number.isInfinite { return formatNumber(number) }
  let clamped = max(0, min(digits, 15))
  let text = String(format: "%.\(clamped)f", number)
  // Avoid "-0.00" for tiny negative numbers.
  if text.hasPrefix("-") && text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
    return String(text.dropFirst())
  }
  return text
}

/// A count and its noun, singular for one: `counted(1, "epoch")` is "1 epoch",
/// `counted(3, "epoch")` is "3 epochs"; give `plural` for nouns that do not take an "s".
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
  "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}
