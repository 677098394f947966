/// Limits on the values a program builds, so that a loop cannot crash the session.
extension Interpreter {
  /// How deeply lists and records may nest. Swift frees and compares nested values
  /// recursively, so a value built a few hundred thousand levels deep in a loop (`x = [x]`)
  /// would overflow the stack when it is replaced or compared.
  public static let nestingLimit = 1_000

  /// The most items in a list, or UTF-8 bytes in a string, that `+` may make: doubling a
  /// value in a loop (`xs = xs + xs`) would otherwise exhaust memory and kill the process.
  public static let sizeLimit = 10_000_000

  /// Throws when putting `item` `levels` levels down inside a list or record would nest
  /// the result deeper than `nestingLimit`.
  func checkNesting(of item: Value, levels: Int, span: Span) throws {
    guard item.nests(deeperThan: Interpreter.nestingLimit - levels) else { return }
    throw span.diagnostic(.runtime, Interpreter.nestingMessage)
  }

  static let nestingMessage =
    "lists and records may nest at most \(nestingLimit) levels deep; this value would nest deeper"

  /// Throws when `+` would make a list or string larger than `sizeLimit`; `what` is
  /// "a list" or "a string", `unit` "items" or "bytes".
  func checkSize(_ size: Int, what: String, unit: String, span: Span) throws {
    guard size > Interpreter.sizeLimit else { return }
    throw span.diagnostic(
      .runtime,
      "'+' would make \(what) of \(size) \(unit); the limit is \(Interpreter.sizeLimit) \(unit)")
  }
}

extension Value {
  /// Whether lists and records nest more than `levels` deep in this value: a number nests
  /// 0 levels, `[1]` one and `[{a: 1}]` two. Looks no deeper than `levels + 1`.
  func nests(deeperThan levels: Int) -> Bool {
    switch self {
    case .list(let items):
      return levels < 1 || items.contains { $0.nests(deeperThan: levels - 1) }
    case .record(let fields):
      return levels < 1 || fields.contains { $0.1.nests(deeperThan: levels - 1) }
    default:
      return false
    }
  }
}
