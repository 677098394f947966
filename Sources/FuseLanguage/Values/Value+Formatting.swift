import Foundation

extension Value: CustomStringConvertible {
  /// The form `print` writes: strings bare at the top level, quoted inside lists and records.
  public var description: String {
    if case .string(let string) = self { return string }
    if case .object(let object) = self { return object.display }
    return literal
  }

  /// The form the REPL echoes: objects show their full display, everything else its literal.
  public var echoText: String {
    if case .object(let object) = self { return object.display }
    return literal
  }

  /// The value as it would be written in a program: strings quoted, objects as `<kind>`.
  public var literal: String { literal(depth: 0) }

  /// Lists nested deeper than this print as "[...]", so a runaway structure still prints.
  private static let shownDepth = 50

  private func literal(depth: Int) -> String {
    switch self {
    case .number(let number): return formatNumber(number)
    case .string(let string): return quoted(string)
    case .bool(let bool): return bool ? "true" : "false"
    case .nothing: return "none"
    case .list(let items):
      if depth >= Value.shownDepth { return "[...]" }
      return "[" + listed(items.map { $0.literal(depth: depth + 1) }) + "]"
    case .record(let fields):
      if depth >= Value.shownDepth { return "{...}" }
      return "{" + listed(fields.map { "\($0.0): \($0.1.literal(depth: depth + 1))" }) + "}"
    case .function(let callable):
      return callable.isBuiltin ? "<builtin \(callable.name)>" : "<fn \(callable.name)>"
    case .object(let object): return "<\(object.kindName)>"
    }
  }
}

/// Long lists show their first items and a count of the rest, so one print cannot flood a terminal.
private let shownItems = 100

private func listed(_ items: [String]) -> String {
  guard items.count > shownItems else { return items.joined(separator: ", ") }
  let rest = items.count - shownItems
  return items.prefix(shownItems).joined(separator: ", ") + ", ... (\(rest) more)"
}

/// A string as it would be written in a program, with its escapes.
public func quoted(_ string: String) -> String {
  var result = "\""
  for character in string {
    switch character {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\t": result += "\\t"
    default: result.append(character)
    }
  }
  return result + "\""
}

/// Formats a number the way a user expects to read it.
///
/// Whole numbers print without a decimal point (3, not 3.0). Other numbers
/// print with at most six significant digits, so 0.1 + 0.2 prints 0.3 and
/// 1e-3 prints 0.001; very small or large ones use an exponent (1e-7, 2.5e12).
public func formatNumber(_ number: Double) -> String {
  if number.isNaN { return "nan" }
  if number.isInfinite { return number < 0 ? "-inf" : "inf" }
  if number == number.rounded() && abs(number) < 1e15 {
    return String(Int64(number))
  }

  // %g keeps six significant digits and drops trailing zeros; tidy its exponent.
  let text = String(format: "%.6g", number)
  guard let e = text.firstIndex(of: "e") else { return text }
  let mantissa = text[..<e]
  var exponent = text[text.index(after: e)...]
  var sign = ""
  if exponent.first == "-" { sign = "-" }
  if exponent.first == "-" || exponent.first == "+" { exponent = exponent.dropFirst() }
  let digits = exponent.drop { $0 == "0" }
  return "\(mantissa)e\(sign)\(digits.isEmpty ? "0" : String(digits))"
}

/// Formats a number with exactly `digits` digits after the decimal point.
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
