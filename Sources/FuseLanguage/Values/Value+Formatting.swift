import Foundation
import FuseFormat

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
      return "{"
        + listed(fields.map { "\(fieldName($0.0)): \($0.1.literal(depth: depth + 1))" }) + "}"
    case .function(let callable):
      return callable.isBuiltin ? "<builtin \(callable.name)>" : "<fn \(callable.name)>"
    case .object(let object): return "<\(object.kindName)>"
    }
  }
}

/// A record's field name as a program writes it: bare when it is a name the parser reads
/// (`text`, `dev_acc`), quoted otherwise (`"text.encoder"`, `"smooth(0.5)"`, `"if"`), so
/// that a printed record can be typed back.
func fieldName(_ name: String) -> String {
  let reserved: Set<String> = [
    "and", "or", "not", "if", "else", "for", "in", "while", "fn", "return", "break",
    "continue", "true", "false", "none",
  ]
  guard let first = name.first, first.isWordStart, name.allSatisfy(\.isWordPart),
    !reserved.contains(name)
  else { return quoted(name) }
  return name
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
