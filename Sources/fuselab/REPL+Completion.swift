import FuseLanguage

extension REPL {
  /// What tab completion may offer now: the session's builtins and variables, the language's
  /// keywords and the prompt's commands. Reading members never runs a program.
  func completionVocabulary() -> Completion.Vocabulary {
    let interpreter = session.interpreter
    var vocabulary = Completion.Vocabulary()
    for builtin in interpreter.builtins {
      vocabulary.names[builtin.name] = REPL.kind(of: builtin)
    }
    vocabulary.builtinNames = interpreter.builtins.map(\.name)
    for name in interpreter.globalNames {
      guard let value = interpreter[global: name] else { continue }
      vocabulary.names[name] = REPL.kind(of: value, in: interpreter)
    }
    vocabulary.keywords = Interpreter.keywords
    vocabulary.commands = REPL.commands.map { command in
      let argument: Completion.Command.Argument?
      switch command.action {
      case "run", "save": argument = .file
      case "help": argument = .topic
      case "time": argument = .code
      default: argument = command.argument == nil ? nil : .other
      }
      return Completion.Command(name: command.name, argument: argument)
    }
    vocabulary.members = { path in REPL.members(at: path, in: interpreter) }
    return vocabulary
  }

  private static func kind(of builtin: Builtin) -> Completion.NameKind {
    .callable(parameters: builtin.parameters.filter { !$0.isVariadic }.map(\.name))
  }

  private static func kind(of value: Value, in interpreter: Interpreter) -> Completion.NameKind {
    guard case .function(let callable) = value else { return .value }
    // A builtin under another name (`p = print`) still knows its keywords.
    if callable.isBuiltin, let builtin = interpreter.builtin(named: callable.name) {
      return kind(of: builtin)
    }
    return .callable(parameters: [])
  }

  private static func members(at path: [String], in interpreter: Interpreter)
    -> [(name: String, isCallable: Bool)]
  {
    guard let first = path.first, var value = interpreter[global: first] else { return [] }
    for name in path.dropFirst() {
      guard let next = member(name, of: value) else { return [] }
      value = next
    }
    let names: [String]
    switch value {
    case .record(let fields): names = fields.map(\.0)
    case .object(let object): names = object.memberNames
    default: return []
    }
    return names.map { name in
      guard case .function? = member(name, of: value) else { return (name, false) }
      return (name, true)
    }
  }

  private static func member(_ name: String, of value: Value) -> Value? {
    switch value {
    case .record: return value.field(name)
    case .object(let object): return object.member(name)
    default: return nil
    }
  }
}
