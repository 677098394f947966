import Foundation
import FuseFormat

/// The builtins every session has, whatever the host adds.
extension Interpreter {
  /// The most items `range` will make, so a typo cannot exhaust memory.
  static let rangeLimit = 1_000_000

  func registerCoreBuiltins() {
    for builtin in Interpreter.coreBuiltins { register(builtin) }
    register(helpBuiltin())
  }

  static let coreBuiltins: [Builtin] = [
    Builtin(
      name: "print", summary: "Writes values on one line, separated by spaces.",
      parameters: [.variadic("values", accepts: "any values")],
      example: "print(\"loss\", 0.25)   # loss 0.25"
    ) { arguments in
      let values = try arguments.list("values")
      arguments.context.write(values.map(\.description).joined(separator: " ") + "\n")
      return .nothing
    },
    Builtin(
      name: "len",
      summary: "The number of items in a list, fields in a record or characters in a string.",
      parameters: [ParameterSpec("x", accepts: "a list, record or string")],
      example: "len([4, 5, 6])   # 3"
    ) { arguments in
      switch arguments["x"] {
      case .list(let items): return .number(Double(items.count))
      case .record(let fields): return .number(Double(fields.count))
      case .string(let string): return .number(Double(string.count))
      default: throw arguments.mismatch("x")
      }
    },
    Builtin(
      name: "range",
      summary: "Whole numbers from start up to (not including) stop: range(3) is [0, 1, 2].",
      parameters: [
        ParameterSpec("start", accepts: "a whole number (the stop, when it is the only argument)"),
        ParameterSpec(
          "stop", default: .nothing, accepts: "a whole number",
          defaultDescription: "none: start is the stop, counting from 0"),
        ParameterSpec("step", default: .number(1), accepts: "a whole number other than 0"),
      ],
      example: "range(5)          # [0, 1, 2, 3, 4]\nrange(0, 10, 5)   # [0, 5]"
    ) { arguments in
      var start = try arguments.integer("start")
      var stop = 0
      if arguments.isNothing("stop") {
        (start, stop) = (0, start)
      } else {
        stop = try arguments.integer("stop")
      }
      let step = try arguments.integer("step")
      guard step != 0 else { throw arguments.mismatch("step") }
      let count = max(0, (stop - start + step + (step > 0 ? -1 : 1)) / step)
      guard count <= rangeLimit else {
        throw BuiltinError("range would make \(count) numbers; the limit is \(rangeLimit)")
      }
      return .list(stride(from: start, to: stop, by: step).map { .number(Double($0)) })
    },
    Builtin(
      name: "str", summary: "The text print would write for a value.",
      parameters: [ParameterSpec("x", accepts: "any value")],
      example: "str(0.5) + \"%\"   # \"0.5%\""
    ) { arguments in
      .string(arguments["x"].description)
    },
    Builtin(
      name: "min",
      summary: "The smallest of several numbers, or of a list's items or a record's values.",
      parameters: [.variadic("values", accepts: "numbers, or one list or record of numbers")],
      example:
        "min([3, 1, 2])                  # 1\nmin(3, 1)                       # 1\n"
        + "min({audio: 0.1, accel: 0.03})  # 0.03"
    ) { arguments in
      .number(try numbersForAggregate(arguments, "min").min() ?? 0)
    },
    Builtin(
      name: "max",
      summary: "The largest of several numbers, or of a list's items or a record's values.",
      parameters: [.variadic("values", accepts: "numbers, or one list or record of numbers")],
      example: "max([3, 1, 2])   # 3"
    ) { arguments in
      .number(try numbersForAggregate(arguments, "max").max() ?? 0)
    },
    Builtin(
      name: "sum", summary: "The sum of a list's numbers or a record's values (0 when empty).",
      parameters: [ParameterSpec("values", accepts: "a list or record of numbers")],
      example: "sum([1, 2, 3])   # 6"
    ) { arguments in
      .number(try collectionNumbers(arguments, "values").reduce(0, +))
    },
    Builtin(
      name: "mean",
      summary: "The arithmetic mean of a non-empty list's numbers or record's values.",
      parameters: [ParameterSpec("values", accepts: "a non-empty list or record of numbers")],
      example: "mean([1, 2, 3, 4])   # 2.5"
    ) { arguments in
      let values = try collectionNumbers(arguments, "values")
      guard !values.isEmpty else { throw arguments.mismatch("values") }
      return .number(values.reduce(0, +) / Double(values.count))
    },
    Builtin(
      name: "round",
      summary: "Rounds a number to some digits after the point; a half goes away from zero.",
      parameters: [
        ParameterSpec("x", accepts: "a number"),
        ParameterSpec("digits", default: .number(0), accepts: "a whole number from 0 to 15"),
      ],
      example:
        "round(3.14159, 2)   # 3.14\nround(2.5)   # 3 (Python gives 2), and round(-2.5) is -3"
    ) { arguments in
      let x = try arguments.number("x")
      let digits = try arguments.integer("digits")
      guard (0...15).contains(digits) else { throw arguments.mismatch("digits") }
      let scale = (0..<digits).reduce(1.0) { product, _ in product * 10 }
      // A number too large to scale has no digits after the point to round.
      guard (x * scale).isFinite else { return .number(x) }
      return .number((x * scale).rounded() / scale)
    },
    Builtin(
      name: "abs", summary: "The absolute value of a number.",
      parameters: [ParameterSpec("x", accepts: "a number")],
      example: "abs(-2)   # 2"
    ) { arguments in
      .number(Swift.abs(try arguments.number("x")))
    },
    Builtin(
      name: "format",
      summary: "A number as text with a fixed count of digits after the point.",
      parameters: [
        ParameterSpec("x", accepts: "a number"),
        ParameterSpec("digits", default: .number(2), accepts: "a whole number from 0 to 15"),
      ],
      example: "format(0.91234, 3)   # \"0.912\""
    ) { arguments in
      let digits = try arguments.integer("digits")
      guard (0...15).contains(digits) else { throw arguments.mismatch("digits") }
      return .string(formatFixed(try arguments.number("x"), digits: digits))
    },
    Builtin(
      name: "keys", summary: "The field names of a record, in order, or an object's member names.",
      parameters: [ParameterSpec("x", accepts: "a record or an object")],
      example: "keys({a: 1, b: 2})   # [\"a\", \"b\"]"
    ) { arguments in
      switch arguments["x"] {
      case .record(let fields): return .list(fields.map { .string($0.0) })
      case .object(let object): return .list(object.memberNames.map { .string($0) })
      default: throw arguments.mismatch("x")
      }
    },
    Builtin(
      name: "type", summary: "The name of a value's type: number, string, list, record, ...",
      parameters: [ParameterSpec("x", accepts: "any value")],
      example: "type([1])   # \"list\""
    ) { arguments in
      .string(arguments["x"].typeName)
    },
    Builtin(
      name: "append", summary: "A new list: the given list with one more item at its end.",
      parameters: [
        ParameterSpec("list", accepts: "a list"), ParameterSpec("item", accepts: "any value"),
      ],
      example: "xs = append(xs, 4)"
    ) { arguments in
      let item = arguments["item"]
      guard !item.nests(deeperThan: nestingLimit - 1) else {
        throw BuiltinError(nestingMessage)
      }
      return .list(try arguments.list("list") + [item])
    },
  ]

  private func helpBuiltin() -> Builtin {
    Builtin(
      name: "help", summary: "Lists the builtins, or explains one of them.",
      parameters: [
        ParameterSpec(
          "topic", default: .nothing, accepts: "a builtin or its name",
          defaultDescription: "none: list every builtin")
      ],
      example: "help()\nhelp(\"round\")"
    ) { [unowned self] arguments in
      var name: String?
      switch arguments["topic"] {
      case .nothing: name = nil
      case .string(let text): name = text
      case .function(let callable): name = callable.name
      default: throw arguments.mismatch("topic")
      }
      guard let name else {
        arguments.context.write(self.helpOverview() + "\n")
        return .nothing
      }
      guard let builtin = self.builtin(named: name) else {
        let hint = didYouMean(name, among: self.builtins.map(\.name))
        throw BuiltinError("no builtin is called '\(name)'\(hint)")
      }
      arguments.context.write(builtin.helpText + "\n")
      return .nothing
    }
  }

  /// A Markdown table of every builtin's signature and summary, for the documentation.
  public func markdownReference() -> String {
    let rows = builtins.map { builtin in
      let summary = builtin.summary.replacingOccurrences(of: "|", with: "\\|")
      return "| `\(builtin.signature)` | \(summary) |"
    }
    return (["| call | what it does |", "| --- | --- |"] + rows).joined(separator: "\n")
  }

  /// One line per builtin: its signature and summary.
  public func helpOverview() -> String {
    let width = builtins.map(\.name.count).max() ?? 0
    return builtins.map { builtin in
      builtin.name + String(repeating: " ", count: width - builtin.name.count) + "  "
        + builtin.summary
    }.joined(separator: "\n")
  }
}

/// min and max accept several numbers, or one list or record of them.
private func numbersForAggregate(_ arguments: Arguments, _ name: String) throws -> [Double] {
  var values = try arguments.list("values")
  if values.count == 1, case .list(let items) = values[0] { values = items }
  if values.count == 1, case .record(let fields) = values[0] { values = fields.map(\.1) }
  guard !values.isEmpty else {
    throw BuiltinError("\(name) needs at least one number")
  }
  return try values.map { value in
    guard case .number(let number) = value else {
      throw BuiltinError("\(name) works on numbers, got \(describeForError(value))")
    }
    return number
  }
}

/// The numbers of a list, or the values of a record (a record of rates by modality, say).
private func collectionNumbers(_ arguments: Arguments, _ name: String) throws -> [Double] {
  let items: [Value]
  switch arguments[name] {
  case .list(let list): items = list
  case .record(let fields): items = fields.map(\.1)
  default: throw arguments.mismatch(name)
  }
  return try items.map { item in
    guard case .number(let number) = item else { throw arguments.mismatch(name) }
    return number
  }
}
