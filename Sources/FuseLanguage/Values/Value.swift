/// A value in a FuseLab program.
///
/// Numbers are always `Double`; lists and records are value types, so
/// assigning one to a new variable copies it. Host objects (datasets,
/// models, histories) are shared references owned by the engine bindings.
public indirect enum Value {
  case number(Double)
  case string(String)
  case bool(Bool)
  case list([Value])
  /// Fields in the order they were written.
  case record([(String, Value)])
  case nothing
  case function(Callable)
  case object(HostObject)
}

/// An object that the host (the engine bindings) hands to programs.
public protocol HostObject: AnyObject {
  /// The kind's name in the language's words: "dataset", "model", "history".
  var kindName: String { get }
  /// A readable, possibly multi-line form printed by `print` and the REPL.
  var display: String { get }
  /// The member called `name`, or nil when the object has none.
  func member(_ name: String) -> Value?
  /// Member names, for completion and "did you mean" suggestions.
  var memberNames: [String] { get }
}

/// Something a program can call: a builtin or a function the program defined.
public final class Callable {
  enum Body {
    case builtin(Builtin)
    case user(UserFunction)
  }

  let body: Body

  /// Wraps a builtin so a host object can offer it as a member (a method).
  public init(_ builtin: Builtin) {
    body = .builtin(builtin)
  }

  init(_ function: UserFunction) {
    body = .user(function)
  }

  /// The name the function was defined or registered with.
  public var name: String {
    switch body {
    case .builtin(let builtin): return builtin.name
    case .user(let function): return function.declaration.name
    }
  }

  /// True for builtins, false for functions written in the language.
  public var isBuiltin: Bool {
    if case .builtin = body { return true }
    return false
  }

  /// The parameters a call must fill, and how many it may fill by position at most (nil
  /// when a variadic parameter takes any number).
  var positionalRange: (required: Int, most: Int?) {
    switch body {
    case .builtin(let builtin):
      let fixed = builtin.parameters.prefix { !$0.isVariadic }
      let most = fixed.count < builtin.parameters.count ? nil : Optional(fixed.count)
      return (fixed.filter { $0.defaultValue == nil }.count, most)
    case .user(let function):
      let parameters = function.declaration.parameters
      return (parameters.filter { $0.defaultValue == nil }.count, parameters.count)
    }
  }

  /// Whether a call with `count` positional arguments, and no others, binds.
  func accepts(positionalArguments count: Int) -> Bool {
    let (required, most) = positionalRange
    return required <= count && (most.map { count <= $0 } ?? true)
  }
}

extension Value {
  /// The type's name as the language's messages spell it.
  public var typeName: String {
    switch self {
    case .number: return "number"
    case .string: return "string"
    case .bool: return "bool"
    case .list: return "list"
    case .record: return "record"
    case .nothing: return "none"
    case .function: return "function"
    case .object(let object): return object.kindName
    }
  }

  /// The type's name with an article, for messages: "a number", "an object", "none".
  public var typeNameWithArticle: String {
    if case .nothing = self { return "none" }
    return withArticle(typeName)
  }

  /// Whether the value counts as true in `if`, `while`, `and`, `or` and `not`.
  ///
  /// false, none, 0, "", [] and {} are false; everything else is true.
  public var isTruthy: Bool {
    switch self {
    case .number(let number): return number != 0 && !number.isNaN
    case .string(let string): return !string.isEmpty
    case .bool(let bool): return bool
    case .list(let items): return !items.isEmpty
    case .record(let fields): return !fields.isEmpty
    case .nothing: return false
    case .function, .object: return true
    }
  }

  /// The value of a record's field, or nil when this is not a record or has no such field.
  public func field(_ name: String) -> Value? {
    guard case .record(let fields) = self else { return nil }
    return fields.first { $0.0 == name }?.1
  }
}

func withArticle(_ word: String) -> String {
  guard let first = word.first else { return word }
  return ("aeiou".contains(first) ? "an " : "a ") + word
}

extension Value: Equatable {
  /// Structural equality; functions and host objects compare by identity.
  public static func == (lhs: Value, rhs: Value) -> Bool {
    switch (lhs, rhs) {
    case (.number(let a), .number(let b)): return a == b
    case (.string(let a), .string(let b)): return a == b
    case (.bool(let a), .bool(let b)): return a == b
    case (.nothing, .nothing): return true
    case (.list(let a), .list(let b)): return a == b
    case (.record(let a), .record(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    case (.function(let a), .function(let b)): return a === b
    case (.object(let a), .object(let b)): return a === b
    default: return false
    }
  }
}
