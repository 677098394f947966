import FuseLanguage

/// `:help`: the commands in two columns, or help on one builtin or command.
extension REPL {
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
      + [
        "help()" + String(repeating: " ", count: max(2, width - 4)) + "every builtin",
        "",
        "A start that no other command shares will do: :q is :quit; :r is refused, as it",
        "could be :run or :reset.",
      ]
    return lines.joined(separator: "\n") + "\n"
  }

  /// `:help NAME`: a builtin's help, or a command's line; for anything else, what is near.
  func showHelp(on topic: String) {
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
}
