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
  }

  /// In the order `:help` lists them; a prefix means the first command it starts, so `:h` is
  /// `:help` and `:r` is `:run`, never `:reset`.
  static let commands = [
    Command(
      name: "help", argument: "NAME", argumentIsOptional: true,
      summary: "these commands, or help on the builtin NAME"),
    Command(name: "run", argument: "FILE", summary: "run a script here; its variables stay"),
    Command(name: "vars", summary: "the session's variables and their kinds"),
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

  /// Runs a `:command` entry; returns false when the REPL should end.
  func runCommand(_ entry: String, _ editor: LineEditor) -> Bool {
    let text = entry.dropFirst()
    let name = String(text.prefix { !$0.isWhitespace })
    let argument = text.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
    guard !name.isEmpty, let command = REPL.commands.first(where: { $0.name.hasPrefix(name) })
    else {
      writeStandardError("unknown command ':\(name)'; the commands are \(REPL.commandList)\n")
      return true
    }

    if command.argument == nil && !argument.isEmpty {
      writeStandardError(":\(command.name) takes no argument, got '\(argument)'\n")
      return true
    }
    if let placeholder = command.argument, !command.argumentIsOptional, argument.isEmpty {
      writeStandardError(":\(command.name) needs \(placeholder): :\(command.name) \(placeholder)\n")
      return true
    }

    switch command.name {
    case "quit":
      return false
    case "vars":
      listVariables()
    case "run":
      runScript(REPL.unquoted(argument))
    case "reset":
      session = Session(threads: threads)
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

  private static var usages: [String] {
    commands.map { command -> String in
      guard let argument = command.argument else { return ":" + command.name }
      let shown = command.argumentIsOptional ? "[\(argument)]" : argument
      return ":\(command.name) \(shown)"
    }
  }

  /// One line per command, its usage and summary in two columns.
  static var commandHelpLines: [String] {
    let width = usages.map(\.count).max() ?? 0
    return zip(usages, commands).map { usage, command in
      usage + String(repeating: " ", count: width - usage.count + 2) + command.summary
    }
  }

  static var commandHelp: String {
    let width = usages.map(\.count).max() ?? 0
    let lines =
      commandHelpLines
      + ["help()" + String(repeating: " ", count: max(2, width - 4)) + "every builtin"]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `:help NAME`: a builtin's help, or a command's line; for anything else, what is near.
  private func showHelp(on topic: String) {
    let interpreter = session.interpreter
    if let builtin = interpreter.builtin(named: topic) {
      writeStandardOutput(builtin.helpText + "\n")
      return
    }
    let commandName = topic.hasPrefix(":") ? String(topic.dropFirst()) : topic
    if let index = REPL.commands.firstIndex(where: { $0.name == commandName }) {
      writeStandardOutput(REPL.commandHelpLines[index] + "\n")
      return
    }

    let builtinNames = interpreter.builtins.map(\.name)
    let commandNames = REPL.commands.map(\.name)
    var hint = ""
    if let match = closestMatch(to: commandName, among: builtinNames + commandNames) {
      hint = "; did you mean '\(builtinNames.contains(match) ? match : ":" + match)'?"
    }
    writeStandardError(
      "no help topic '\(topic)'\(hint)\n:help lists the commands, help() every builtin\n")
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
    if ScriptRunner.run(source, named: path, in: session) == .interrupted {
      writeStandardError("stopped; every variable keeps the state it had after the last step\n")
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
