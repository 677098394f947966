import Foundation
import FuseLanguage

/// The prompt's own commands, written `:name` and never sent to the language.
extension REPL {
  struct Command {
    var name: String
    /// How the argument is written in `:help`, or nil for a command that takes none.
    var argument: String?
    var argumentIsOptional = false
    var summary: String
    /// The command this one is another name for (`:load` runs as `:run`), if any.
    var sameAs: String?

    /// The name the command runs under: its own, or the one it is another name for.
    var action: String { sameAs ?? name }
  }

  /// In the order `:help` lists them.
  static let commands = [
    Command(
      name: "help", argument: "NAME", argumentIsOptional: true,
      summary: "these commands, or help on the builtin NAME"),
    Command(name: "run", argument: "FILE", summary: "run a script here; its variables stay"),
    Command(name: "load", argument: "FILE", summary: "the same as :run", sameAs: "run"),
    Command(name: "time", argument: "EXPR", summary: "run EXPR here, then say how long it took"),
    Command(name: "vars", summary: "the session's variables and their kinds"),
    Command(
      name: "save", argument: "FILE",
      summary:
        "write the entries that ran without error (or were stopped by Ctrl-C) to FILE as a script"),
    Command(name: "reset", summary: "start a fresh session: every variable is dropped"),
    Command(
      name: "history", argument: "N", argumentIsOptional: true,
      summary: "the last N entries (default 20)"),
    Command(name: "quit", summary: "leave (Ctrl-D does too)"),
  ]

  static var commandList: String {
    let names = commands.map { ":" + $0.name }
    return names.dropLast().joined(separator: ", ") + " and " + names.last!
  }

  /// What a typed command name stands for.
  enum CommandLookup {
    case found(Command)
    /// The name starts more than one command, as `r` starts `run` and `reset`.
    case ambiguous([Command])
    case unknown
  }

  /// Finds the command `typed` names: the one of that exact name, else the only command it
  /// starts. Two names of one command (`:run` and `:load`) never make a prefix ambiguous.
  static func command(named typed: String) -> CommandLookup {
    guard !typed.isEmpty else { return .unknown }
    if let exact = commands.first(where: { $0.name == typed }) { return .found(exact) }

    let candidates = commands.filter { $0.name.hasPrefix(typed) }
    guard let first = candidates.first else { return .unknown }
    if candidates.allSatisfy({ $0.action == first.action }) { return .found(first) }
    return .ambiguous(candidates)
  }

  /// The command at the start of an entry (`:ti` in `:ti train(m)`) and the text after it.
  static func splitCommand(_ entry: String) -> (name: String, argument: Substring) {
    let text = entry.drop(while: \.isWhitespace).dropFirst()
    let name = String(text.prefix { !$0.isWhitespace })
    return (name, text.dropFirst(name.count))
  }

  /// Whether a `:time` entry leaves a bracket or string open, so the prompt should read on as
  /// it does for code. Other commands are whole on their first line.
  func commandNeedsMoreInput(_ entry: String) -> Bool {
    let (name, argument) = REPL.splitCommand(entry)
    guard case .found(let command) = REPL.command(named: name), command.action == "time" else {
      return false
    }
    return session.interpreter.needsMoreInput(String(argument))
  }

  /// Runs a `:command` entry; returns false when the REPL should end.
  func runCommand(_ entry: String, _ editor: LineEditor) -> Bool {
    let (name, rest) = REPL.splitCommand(entry)
    let command: Command
    switch REPL.command(named: name) {
    case .found(let found):
      command = found
    case .ambiguous(let candidates):
      let names = candidates.map { ":" + $0.name }.joined(separator: ", ")
      writeStandardError("':\(name)' is ambiguous: \(names)\n")
      return true
    case .unknown:
      writeStandardError("unknown command ':\(name)'; the commands are \(REPL.commandList)\n")
      return true
    }

    // Only `:time` takes code, which may span lines; any other command is one line.
    var argument = rest.trimmingCharacters(in: .whitespacesAndNewlines)
    if command.action != "time" {
      let lines = rest.split(separator: "\n", omittingEmptySubsequences: false)
      argument = lines[0].trimmingCharacters(in: .whitespaces)
      let extra = lines.dropFirst().filter { !$0.allSatisfy(\.isWhitespace) }.count
      if extra > 0 {
        let what = extra == 1 ? "line" : "\(extra) lines"
        writeStandardError(
          "a prompt command must be an entry of its own: "
            + ":\(command.name) and the \(what) after it did not run\n")
        return true
      }
    }

    if command.argument == nil && !argument.isEmpty {
      writeStandardError(":\(command.name) takes no argument, got '\(argument)'\n")
      return true
    }
    if let placeholder = command.argument, !command.argumentIsOptional, argument.isEmpty {
      writeStandardError(":\(command.name) needs \(placeholder): :\(command.name) \(placeholder)\n")
      return true
    }

    switch command.action {
    case "quit":
      return false
    case "vars":
      listVariables()
    case "run":
      runScript(REPL.unquoted(argument))
    case "time":
      timeEntry(argument)
    case "save":
      saveAcceptedInput(to: REPL.unquoted(argument))
    case "reset":
      session = Session(threads: threads)
      acceptedInput = []
      writeStandardOutput("fresh session: no variables\n")
    case "history":
      listHistory(editor, argument)
    default:
      if argument.isEmpty {
        writeStandardOutput(REPL.commandHelp)
      } else {
        showHelp(on: REPL.unquoted(argument))
      }
    }
    return true
  }

  private func listVariables() {
    let interpreter = session.interpreter
    let names = interpreter.globalNames.filter { interpreter[global: $0] != nil }
    if names.isEmpty { writeStandardOutput("no variables yet\n") }
    for name in names {
      guard let value = interpreter[global: name] else { continue }
      writeStandardOutput("\(name): \(value.typeName)\n")
    }
  }

  /// `:run FILE`: the script runs in this session, so what it defines stays for the next entry.
  private func runScript(_ path: String) {
    guard case .success(let source) = ScriptRunner.read(path) else { return }
    Interrupts.clear()
    defer { Interrupts.clear() }
    switch ScriptRunner.run(source, named: path, in: session) {
    case .success:
      acceptedInput.append(.script(path))
    case .interrupted:
      writeStandardError("stopped; every variable keeps the state it had after the last step\n")
    default:
      break
    }
  }

  private func listHistory(_ editor: LineEditor, _ argument: String) {
    var count = 20
    if !argument.isEmpty {
      guard let number = Int(argument), number > 0 else {
        writeStandardError(":history takes a number of entries, not '\(argument)'\n")
        return
      }
      count = number
    }
    // The entry just typed is `:history` itself; it is not worth showing.
    let entries = editor.historyEntries().dropLast().suffix(count)
    let firstNumber = editor.historyEntries().count - entries.count
    for (offset, entry) in entries.enumerated() {
      let number = String(firstNumber + offset)
      let indented = entry.replacingOccurrences(
        of: "\n", with: "\n" + String(repeating: " ", count: number.count + 2))
      writeStandardOutput("\(number)  \(indented)\n")
    }
  }

  /// A path given with or without quotes: `:run "my script.fuse"` and `:run my script.fuse`.
  static func unquoted(_ text: String) -> String {
    for quote in ["\"", "'"] where text.count >= 2 && text.hasPrefix(quote) && text.hasSuffix(quote)
    {
      return String(text.dropFirst().dropLast())
    }
    return text
  }
}
