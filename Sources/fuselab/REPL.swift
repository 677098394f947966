import Foundation
import FuseLanguage

/// The interactive prompt: read an entry (one line, or several while brackets are open), run
/// it, echo its value, and come back, whatever the entry did.
///
/// It runs only when standard input is a terminal; piped input is run as a script instead.
final class REPL {
  let threads: Int
  let keepsHistory: Bool
  /// The session entries run in; `:reset` replaces it.
  var session: Session
  /// The entries that ran without error since the session began, for `:save`.
  var acceptedInput: [AcceptedEntry] = []
  private var warnedAboutHistory = false

  static let prompt = "fuse> "
  static let continuationPrompt = "  ... "

  init(threads: Int, keepsHistory: Bool) {
    self.threads = threads
    self.keepsHistory = keepsHistory
    session = Session(threads: threads)
  }

  func run() -> ExitStatus {
    let editor = LineEditor(historyFile: keepsHistory ? REPL.historyPath() : nil)
    editor.completer = { [unowned self] line, word in
      Completion.complete(line: line, word: word, in: self.completionVocabulary())
    }
    editor.commandTakesCode = { name in
      guard case .found(let command) = REPL.command(named: name) else { return false }
      return command.action == "time"
    }

    if editor.isInteractive {
      writeStandardOutput(
        "FuseLab \(CommandLineTool.version): late fusion with a learning rate per modality.\n"
          + "Type help() for the builtins, :help for commands, Ctrl-D to leave.\n")
    }
    warnAboutHistory(editor)

    while let entry = readEntry(editor) {
      let trimmed = entry.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.isEmpty { continue }
      editor.addToHistory(entry)
      editor.appendToHistoryFile(entry)
      warnAboutHistory(editor)
      if trimmed.hasPrefix(":") {
        guard runCommand(trimmed, editor) else { break }
        continue
      }
      switch evaluate(entry) {
      case .completed: acceptedInput.append(.code(entry))
      case .interrupted: acceptedInput.append(.interrupted(entry))
      case .failed: break
      }
    }
    if editor.isInteractive { writeStandardOutput("\n") }
    return .success
  }

  /// Says once why history cannot be kept; it still works in memory for the session.
  private func warnAboutHistory(_ editor: LineEditor) {
    guard !warnedAboutHistory, let problem = editor.historyProblem else { return }
    warnedAboutHistory = true
    writeStandardError("fuselab: warning: \(problem); history is kept for this session only\n")
  }

  /// One whole entry: lines are read while the text so far leaves a bracket or string open.
  /// A pasted block comes from readline as one line with line breaks in it, so it is one
  /// entry. Ctrl-C drops what was typed; nil means the user left (Ctrl-D or end of input).
  private func readEntry(_ editor: LineEditor) -> String? {
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
        let isCommand = text.drop(while: \.isWhitespace).hasPrefix(":")
        let needsMore =
          isCommand ? commandNeedsMoreInput(text) : session.interpreter.needsMoreInput(text)
        if needsMore { continue }
        // A paste often ends in a line break, which would show as an empty line in :history.
        return String(text.reversed().drop(while: \.isWhitespace).reversed())
      }
    }
  }

  /// How an entry ended.
  enum EntryOutcome {
    case completed
    /// Ctrl-C stopped it part-way; what it did until then stays.
    case interrupted
    case failed
  }

  /// Runs one entry and prints its value, or the diagnostic that stopped it.
  @discardableResult
  func evaluate(_ entry: String) -> EntryOutcome {
    // A bare `help` means the help text, as long as no variable has taken the name.
    var source = entry
    if entry.trimmingCharacters(in: .whitespaces) == "help",
      session.interpreter[global: "help"] == nil
    {
      source = "help()"
    }

    Interrupts.clear()
    defer {
      session.progress.finish()
      Interrupts.clear()
    }
    do {
      if let value = try session.interpreter.evaluate(source: source, file: standardInputName) {
        session.progress.finish()
        writeStandardOutput(value.description + "\n")
      }
      return .completed
    } catch let diagnostic as Diagnostic {
      let interrupted = diagnostic.kind == .interrupted
      session.progress.end(interrupted: interrupted)
      writeStandardError(diagnostic.rendered() + "\n")
      if interrupted {
        writeStandardError("stopped; every variable keeps the state it had after the last step\n")
        return .interrupted
      }
    } catch {
      session.progress.finish()
      writeStandardError("error: \(error)\n")
    }
    return .failed
  }

  /// $FUSELAB_HISTORY, else `.fuselab_history` in $HOME (as shells and Python read it; on
  /// Linux Foundation's home folder ignores $HOME), else in the account's home folder.
  static func historyPath() -> String {
    let environment = ProcessInfo.processInfo.environment
    if let path = environment["FUSELAB_HISTORY"], !path.isEmpty {
      return path
    }
    let home =
      environment["HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
      ?? FileManager.default.homeDirectoryForCurrentUser
    return home.appendingPathComponent(".fuselab_history").path
  }
}
