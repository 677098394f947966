import FuseFormat

/// The arguments of one builtin call, bound to the builtin's parameters by name.
///
/// Parameters the call left out hold their defaults. The typed getters
/// throw a `BuiltinError` naming the builtin, the argument and what it
/// accepts, so a body can read its arguments in one line each.
public struct Arguments {
  /// The name of the builtin being called.
  public let builtinName: String
  public let context: BuiltinContext
  let parameters: [ParameterSpec]
  var values: [String: Value]
  /// The names of the arguments the call wrote out, as opposed to defaults.
  public let givenNames: Set<String>
  /// The arguments as the call wrote them, in order.
  let written: [CallArgument]

  /// The argument called `name`, or none when the builtin has no such parameter.
  public subscript(_ name: String) -> Value {
    values[name] ?? .nothing
  }

  /// Whether the call gave `name` explicitly rather than leaving it to its default.
  public func isGiven(_ name: String) -> Bool { givenNames.contains(name) }

  /// How the call wrote the argument `name` when it is a variable or member, `h.loss`.
  public func writtenPath(_ name: String) -> String? {
    if let keyword = written.first(where: { $0.label == name }) {
      return keyword.expression?.pathText
    }
    let positional = written.filter { $0.label == nil }
    guard let index = parameters.firstIndex(where: { $0.name == name }), index < positional.count,
      !parameters[...index].contains(where: \.isVariadic)
    else { return nil }
    return positional[index].expression?.pathText
  }

  /// Whether the argument is `none` (or absent).
  public func isNothing(_ name: String) -> Bool {
    if case .nothing = self[name] { return true }
    return false
  }

  /// A mismatch error: "argument 'x' to round must be a number, got a string".
  public func mismatch(_ name: String, expected: String? = nil) -> BuiltinError {
    let accepts = expected ?? parameters.first { $0.name == name }?.accepts ?? "something else"
    return BuiltinError(
      "argument '\(name)' to \(builtinName) must be \(accepts), got \(describeForError(self[name]))",
      argument: name)
  }

  public func number(_ name: String) throws -> Double {
    guard case .number(let number) = self[name] else { throw mismatch(name) }
    return number
  }

  /// A number the engine keeps as a 32-bit float. A finite number beyond about ±3.4e38
  /// would become infinite there, and one nearer 0 than about 1.4e-45 would become 0, so
  /// both are refused here by name; inf and nan pass on for the engine to judge.
  public func float(_ name: String) throws -> Float {
    try float(try number(name), name)
  }

  /// A list of numbers the engine keeps as 32-bit floats (see `float`).
  public func floats(_ name: String) throws -> [Float] {
    try numbers(name).map { try float($0, name) }
  }

  func float(_ number: Double, _ name: String) throws -> Float {
    let float = Float(number)
    guard number.isFinite else { return float }
    var problem: String?
    if !float.isFinite {
      problem = "beyond the range of 32-bit floats (about ±3.4e38)"
    } else if float == 0 && number != 0 {
      problem = "too small for a 32-bit float (the smallest is about 1.4e-45)"
    }
    guard let problem else { return float }
    throw BuiltinError(
      "argument '\(name)' to \(builtinName) is \(formatNumber(number)), \(problem)", argument: name)
  }

  /// A whole number, such as a count or an index.
  public func integer(_ name: String) throws -> Int {
    guard case .number(let number) = self[name], let whole = wholeNumber(number) else {
      throw mismatch(name)
    }
    return whole
  }

  public func string(_ name: String) throws -> String {
    guard case .string(let string) = self[name] else { throw mismatch(name) }
    return string
  }

  /// A file or folder path; an empty string is refused by name, not passed on to be read.
  public func path(_ name: String) throws -> String {
    let path = try string(name)
    guard !path.isEmpty else {
      throw BuiltinError(
        "argument '\(name)' to \(builtinName) is an empty path; give \(accepts(name))",
        argument: name)
    }
    return path
  }

  private func accepts(_ name: String) -> String {
    parameters.first { $0.name == name }?.accepts ?? "a path"
  }

  public func bool(_ name: String) throws -> Bool {
    guard case .bool(let bool) = self[name] else { throw mismatch(name) }
    return bool
  }

  public func list(_ name: String) throws -> [Value] {
    guard case .list(let items) = self[name] else { throw mismatch(name) }
    return items
  }

  /// A list whose items are all numbers.
  public func numbers(_ name: String) throws -> [Double] {
    var numbers: [Double] = []
    for item in try list(name) {
      guard case .number(let number) = item else { throw mismatch(name) }
      numbers.append(number)
    }
    return numbers
  }

  public func record(_ name: String) throws -> [(String, Value)] {
    guard case .record(let fields) = self[name] else { throw mismatch(name) }
    return fields
  }

  /// A function value, to be called with `context.call`.
  public func function(_ name: String) throws -> Value {
    guard case .function = self[name] else { throw mismatch(name) }
    return self[name]
  }

  /// A host object of one concrete type, such as the engine's model wrapper.
  public func object<Object: HostObject>(_ name: String, as type: Object.Type) throws -> Object {
    guard case .object(let object) = self[name], let typed = object as? Object else {
      throw mismatch(name)
    }
    return typed
  }
}

/// How error messages show a value: short, and with its type.
func describeForError(_ value: Value) -> String {
  switch value {
  case .number(let number): return formatNumber(number)
  case .string(let string):
    let shown = string.count > 30 ? String(string.prefix(30)) + "..." : string
    return "the string \(quoted(shown))"
  case .bool(let bool): return bool ? "true" : "false"
  default: return value.typeNameWithArticle
  }
}

/// The integer a number holds exactly, or nil.
func wholeNumber(_ number: Double) -> Int? {
  guard number.isFinite, number == number.rounded(), abs(number) <= 9.0e15 else { return nil }
  return Int(number)
}
