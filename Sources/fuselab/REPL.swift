import Foundation
import FuseLanguage

/// The interactive prompt: read an entry (one line, or several while brackets are open), run
/// it, echo its value, and come back, whatever the entry did.
struct REPL {
  var threads: Int
  var keepsHistory: Bool

  static let prompt = "fuse> "
  static let continuationPrompt = "  ... "

  func run() -> ExitStatus {
    let session = Session(threads: threads)
    let editor = LineEditor(historyFile: keepsHistory ? REPL.historyPath() : nil)
    editor.completer = { line, word in REPL.complete(line: line, word: word, in: session) }

    if editor.isInteractive {
      writeStandardOutput(
        "FuseLab \(CommandLineTool.version): late fusion with a learning rate per modality.\n"
          + "Type help() for the builtins, :help for commands, Ctrl-D to leave.\n")
    }
    if let problem = editor.historyProblem {
      writeStandardError("fuselab: warning: \(problem); history is kept for this session only\n")
    }

    while let entry = readEntry(editor, session) {
      if entry.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { continue }
      editor.addToHistory(entry)
      editor.appendToHistoryFile(entry)
      if entry.hasPrefix(":") {
        guard runCommand(entry, session) else { break }
        continue
      }
      evaluate(entry, session)
    }
    if editor.isInteractive { writeStandardOutput("\n") }
    return .success
  }

  /// One whole entry: lines are read while the text so far leaves a bracket or string open.
  /// Ctrl-C drops what was typed; nil means the user left (Ctrl-D or end of input).
  private func readEntry(_ editor: LineEditor, _ session: Session) -> String? {
    var lines: [String] = []
    while true {
      let prompt = lines.isEmpty ? REPL.prompt : REPL.continuationPrompt
      switch editor.readInput(prompt: prompt) {
      case .endOfInput:
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
      case .interrupted:
        lines = []
      case .line(let line):
        lines.append(line)
        let text = lines.joined(separator: "\n")
        if !text.hasPrefix(":") && session.interpreter.needsMoreInput(text) { continue }
        return text
      }
    }
  }

  private func evaluate(_ entry: String, _ session: Session) {
    Interrupts.clear()
    defer {
      session.progress.finish()
      Interrupts.clear()
    }
    do {
      if let value = try session.interpreter.evaluate(source: entry, file: "<stdin>") {
        writeStandardOutput(value.description + "\n")
      }
    } catch let diagnostic as Diagnostic {
      writeStandardError(diagnostic.rendered() + "\n")
      if diagnostic.kind == .interrupted {
        writeStandardError("stopped; every variable keeps the state it had after the last step\n")
      }
    } catch {
      writeStandardError("error: \(error)\n")
    }
  }

  /// Runs a `:command`; returns false when the REPL should end.
  private func runCommand(_ entry: String, _ session: Session) -> Bool {
    let words = entry.dropFirst().split(separator: " ").map(String.init)
    let name = words.first ?? ""
    let commands = ["help", "quit", "vars"]
    let matches = commands.filter { !name.isEmpty && $0.hasPrefix(name) }
    guard matches.count == 1, let command = matches.first else {
      writeStandardError("unknown command ':\(name)'; the commands are :help, :vars and :quit\n")
      return true
    }
    switch command {
    case "quit":
      return false
    case "vars":
      for name in session.interpreter.globalNames {
        guard let value = session.interpreter[global: name] else { continue }
        writeStandardOutput("\(name): \(value.typeName)\n")
      }
    default:
      if words.count > 1 {
        evaluate("help(\"\(words[1])\")", session)
      } else {
        writeStandardOutput(
          """
          :help [NAME]  help on the commands, or on a builtin
          :vars         the session's variables and their kinds
          :quit         leave (Ctrl-D does too)
          help()        every builtin with a one-line summary

          """)
      }
    }
    return true
  }

  static func complete(line: String, word: String, in session: Session) -> [String] {
    // Inside a string, let readline complete file names.
    let quotes = line.filter { $0 == "\"" }.count
    if quotes % 2 == 1 { return [] }
    return session.interpreter.completions(for: word)
  }

  static func historyPath() -> String {
    if let path = ProcessInfo.processInfo.environment["FUSELAB_HISTORY"], !path.isEmpty {
      return path
    }
    return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(
      ".fuselab_history"
    ).path
  }
}
