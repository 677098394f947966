import Foundation

/// Runs FuseLab programs and keeps their variables between runs.
///
/// One interpreter is one session: the REPL feeds it one entry at a time,
/// a script runner feeds it a whole file. An error stops the current run
/// but leaves every variable set before it in place.
public final class Interpreter {
  /// How deeply user functions may call each other before the run stops.
  public static let callDepthLimit = 200

  /// Receives everything programs print; `print` sends whole lines ending in "\n".
  public var output: (String) -> Void
  /// Polled in loops, at calls and by long builtins; returning true stops the run (Ctrl-C).
  public var interrupt: () -> Bool = { false }

  /// Every builtin, in the order registered: the table `help` and the documentation read.
  public private(set) var builtins: [Builtin] = []
  private var builtinIndex: [String: Int] = [:]

  let globals = Scope(parent: nil)
  var callDepth = 0
  /// The span of the builtin call in progress, for errors raised by `BuiltinContext.call`.
  var currentCallSpan: Span?
  private var isRunning = false
  /// Set by a caller that runs many programs in a row on a thread it gave a large stack (the
  /// fuzz test), so that each run does not start a thread of its own.
  var runsOnCallingThread = false

  public init(output: @escaping (String) -> Void) {
    self.output = output
    registerCoreBuiltins()
  }

  /// Adds a builtin, or replaces the one with the same name.
  public func register(_ builtin: Builtin) {
    if let index = builtinIndex[builtin.name] {
      builtins[index] = builtin
    } else {
      builtinIndex[builtin.name] = builtins.count
      builtins.append(builtin)
    }
  }

  public func builtin(named name: String) -> Builtin? {
    builtinIndex[name].map { builtins[$0] }
  }

  /// Runs a program; throws the first `Diagnostic` it meets.
  public func run(source: String, file: String) throws {
    _ = try evaluate(source: source, file: file)
  }

  /// Runs a program and returns what the REPL should echo: the value of the
  /// last statement when it is a bare expression whose value is not none.
  @discardableResult
  public func evaluate(source: String, file: String) throws -> Value? {
    try onLargeStack {
      let sourceFile = SourceFile(name: file, text: source)
      let statements = try Parser.parse(source, file: sourceFile)
      return try self.runTopLevel(statements)
    }
  }

  /// Whether `source` is unfinished (an open bracket or string, a trailing
  /// operator), so the REPL should read another line before running it.
  public func needsMoreInput(_ source: String) -> Bool {
    Lexer.needsMoreInput(source)
  }

  /// Variables and builtins, sorted: what the REPL completes.
  public var globalNames: [String] {
    Array(Set(globals.names).union(builtinIndex.keys)).sorted()
  }

  /// The language's reserved words.
  public static var keywords: [String] { Keyword.allCases.map(\.rawValue) }

  /// A global variable, for hosts that set up a session or read results.
  public subscript(global name: String) -> Value? {
    get { globals.values[name] }
    set { globals.values[name] = newValue }
  }

  // MARK: - Running

  private func runTopLevel(_ statements: [Statement]) throws -> Value? {
    callDepth = 0
    for (position, statement) in statements.enumerated() {
      let isLast = position == statements.count - 1
      if isLast, case .expression(let expression) = statement.kind {
        let value = try evaluate(expression, in: globals)
        if case .nothing = value { return nil }
        return value
      }
      _ = try execute(statement, in: globals)
    }
    return nil
  }

  /// Deep recursion in a program must end with a diagnostic, not a stack
  /// overflow, so runs get a thread with a generous stack.
  private func onLargeStack<T>(_ work: @escaping () throws -> T) throws -> T {
    if isRunning || runsOnCallingThread { return try work() }
    isRunning = true
    defer { isRunning = false }

    let box = ResultBox<T>()
    let finished = DispatchSemaphore(value: 0)
    let thread = Thread {
      box.result = Result { try work() }
      finished.signal()
    }
    thread.stackSize = 256 << 20
    thread.start()
    finished.wait()
    return try box.result.get()
  }

  func checkInterrupt(at span: Span) throws {
    if interrupt() { throw span.diagnostic(.interrupted, "interrupted") }
  }
}

/// Carries a run's result from its thread back to the caller, which waits for it.
private final class ResultBox<T>: @unchecked Sendable {
  var result: Result<T, Error> = .failure(BuiltinError("the run did not finish"))
}

/// Variables of one level: the session's globals, or one function call's locals.
final class Scope {
  var values: [String: Value] = [:]
  let parent: Scope?

  init(parent: Scope?) {
    self.parent = parent
  }

  func lookup(_ name: String) -> Value? {
    var scope: Scope? = self
    while let current = scope {
      if let value = current.values[name] { return value }
      scope = current.parent
    }
    return nil
  }

  /// Every name visible from here, for suggestions.
  var visibleNames: [String] {
    var names: [String] = []
    var scope: Scope? = self
    while let current = scope {
      names += current.values.keys
      scope = current.parent
    }
    return names
  }

  var names: [String] { Array(values.keys) }
}

/// A function defined in a program, with the scope it was defined in.
final class UserFunction {
  let declaration: FunctionDeclaration
  let closure: Scope

  init(declaration: FunctionDeclaration, closure: Scope) {
    self.declaration = declaration
    self.closure = closure
  }
}
