/// A function written in Swift that programs can call.
///
/// The interpreter binds a call's positional and keyword arguments to
/// `parameters` before the body runs, so the body reads them by name:
///
///     Builtin(
///       name: "round", summary: "Rounds a number to some digits after the point.",
///       parameters: [
///         ParameterSpec("x", accepts: "a number"),
///         ParameterSpec("digits", default: .number(0), accepts: "a whole number"),
///       ],
///       example: "round(3.14159, 2)   # 3.14"
///     ) { arguments in
///       ...
///     }
public struct Builtin {
  public var name: String
  /// One line saying what the builtin does.
  public var summary: String
  public var parameters: [ParameterSpec]
  /// A line or two of code showing a typical call.
  public var example: String
  public var body: (inout Arguments) throws -> Value

  public init(
    name: String, summary: String, parameters: [ParameterSpec] = [], example: String,
    body: @escaping (inout Arguments) throws -> Value
  ) {
    self.name = name
    self.summary = summary
    self.parameters = parameters
    self.example = example
    self.body = body
  }

  /// How a call is written: `round(x, digits: 0)`, `print(values...)`.
  public var signature: String {
    let parts = parameters.map { parameter -> String in
      if parameter.isVariadic { return parameter.name + "..." }
      guard let defaultValue = parameter.defaultValue else { return parameter.name }
      return "\(parameter.name): \(defaultValue.literal)"
    }
    return "\(name)(\(parts.joined(separator: ", ")))"
  }

  /// The text `help(name)` prints: signature, summary, parameters and example.
  public var helpText: String {
    var lines = [signature, "  " + summary]
    if !parameters.isEmpty {
      lines.append("parameters:")
      let width = parameters.map(\.name.count).max() ?? 0
      for parameter in parameters {
        let padding = String(repeating: " ", count: width - parameter.name.count)
        var line = "  \(parameter.name)\(padding)  \(parameter.accepts)"
        if let shown = parameter.shownDefault { line += " (default \(shown))" }
        lines.append(line)
      }
    }
    lines.append("example:")
    lines += example.split(separator: "\n").map { "  " + $0 }
    return lines.joined(separator: "\n")
  }
}

/// One parameter of a builtin.
public struct ParameterSpec {
  public var name: String
  /// The value used when a call leaves the argument out; nil makes the argument required.
  public var defaultValue: Value?
  /// What the argument may be, in words: "a number", "a list of numbers", "\"sgd\" or \"adam\"".
  /// It says nothing of the default, which help shows after it.
  public var accepts: String
  /// The default in words, for a default that the builtin works out when the argument is
  /// left as none: "by optimizer: 1e-4 for sgd, 0 for adam, 0.01 for adamw".
  public var defaultDescription: String?
  /// A variadic parameter takes all remaining positional arguments as a list.
  public var isVariadic: Bool

  public init(
    _ name: String, default defaultValue: Value? = nil, accepts: String,
    defaultDescription: String? = nil
  ) {
    self.name = name
    self.defaultValue = defaultValue
    self.accepts = accepts
    self.defaultDescription = defaultDescription
    self.isVariadic = false
  }

  /// The default as help shows it, once: its description, else its literal; nil for a
  /// required or variadic parameter.
  public var shownDefault: String? {
    guard !isVariadic, let defaultValue else { return nil }
    return defaultDescription ?? defaultValue.literal
  }

  /// A parameter that collects every remaining positional argument.
  public static func variadic(_ name: String, accepts: String) -> ParameterSpec {
    var parameter = ParameterSpec(name, default: .list([]), accepts: accepts)
    parameter.isVariadic = true
    return parameter
  }
}

/// An error a builtin raises; the interpreter shows `message` at the argument named
/// `argument` when the call wrote that argument out, and at the whole call otherwise.
public struct BuiltinError: Error, CustomStringConvertible {
  public var message: String
  /// The parameter whose argument is at fault, if one is.
  public var argument: String?

  public init(_ message: String, argument: String? = nil) {
    self.message = message
    self.argument = argument
  }

  public var description: String { message }
}

/// An error that can name the parameter whose argument is at fault, so that the diagnostic
/// points at that argument. A name with dots, `branches.audio.dropout`, points at the
/// argument of its first part.
protocol ArgumentFault: Error {
  var faultyArgument: String? { get }
}

extension BuiltinError: ArgumentFault {
  var faultyArgument: String? { argument }
}

/// What a running builtin may reach of the interpreter.
public struct BuiltinContext {
  let interpreter: Interpreter

  /// Sends text to the interpreter's output callback, as is.
  public func write(_ text: String) {
    interpreter.output(text)
  }

  /// True when the user asked to stop (Ctrl-C); long builtins should poll it and return early.
  public var isInterrupted: Bool { interpreter.interrupt() }

  /// Throws the "interrupted" diagnostic when the user asked to stop.
  public func checkInterrupt() throws {
    if interpreter.interrupt() { throw InterruptRequest() }
  }

  /// Calls a function value (a user rule, a callback) with positional and keyword arguments.
  public func call(
    _ function: Value, _ arguments: [Value], keywords: [(String, Value)] = []
  ) throws -> Value {
    try interpreter.callValue(function, arguments, keywords: keywords)
  }
}

/// Thrown by `BuiltinContext.checkInterrupt()`; becomes the "interrupted" diagnostic.
struct InterruptRequest: Error {}
