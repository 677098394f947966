import CReadline
import Foundation

/// Reads the REPL's input with GNU readline: line editing, a history that survives restarts,
/// completion through a closure, and Ctrl-C that clears the line instead of ending the program.
///
/// When standard input is not a terminal (a pipe or a file), readline is not used: lines are
/// read with Swift's `readLine`, no prompt is shown, and end of input returns nil.
///
/// History file format: one entry per line, UTF-8. A backslash is stored as `\\` and a newline
/// inside a multi-line entry as `\n`, so multi-line entries round-trip as one entry. This is
/// not readline's own format, so the file is read and written here, not by `read_history`.
///
/// Readline keeps its state in globals, so only one editor should exist at a time; the most
/// recently created one receives completion requests.
final class LineEditor {
  /// What one call to `readInput(prompt:)` got.
  enum Input: Equatable {
    case line(String)
    /// Ctrl-C at the prompt: the line was abandoned.
    case interrupted
    /// Ctrl-D on an empty line, or the end of piped input.
    case endOfInput
  }

  let historyFile: String?
  let maxHistory: Int
  /// True when standard input is a terminal and readline does the reading.
  let isInteractive: Bool

  /// Completes `word`, the text before the cursor back to the nearest word break (`h.lo` is
  /// one word: dots do not break words; inside a string or after `:run` only quotes and
  /// spaces do). `line` is the whole line up to the cursor. Candidates must start with `word`,
  /// others are dropped, and carry their own ending: readline appends nothing to them.
  var completer: ((_ line: String, _ word: String) -> Completion.Result)?
  /// Whether the prompt command `name` (`time` in `:time train(m)`) takes code, whose words
  /// break as code does; other commands take file names and topics, broken only at spaces.
  var commandTakesCode: (_ name: String) -> Bool = { _ in false }

  /// Why the history file could not be read or written, for the REPL to mention once.
  /// History still works in memory for the session.
  private(set) var historyProblem: String?
  /// Set after a failed write, so that a broken history file is not tried for every entry.
  private var historyFileFailed = false

  init(historyFile: String?, maxHistory: Int = 1000) {
    self.historyFile = historyFile
    self.maxHistory = max(1, maxHistory)
    isInteractive = isatty(STDIN_FILENO) == 1

    LineEditor.configureReadline()
    stifle_history(Int32(self.maxHistory))
    LineEditor.active = self
    if let historyFile { loadHistory(from: historyFile) }
  }

  /// Reads one line, showing `prompt`; Ctrl-C abandons the line and says so, which lets a REPL
  /// drop a half-typed multi-line entry. Lines are not added to the history: the caller adds
  /// whole entries with `addToHistory` and `appendToHistoryFile`.
  func readInput(prompt: String) -> Input {
    guard isInteractive else {
      guard let text = Swift.readLine(strippingNewline: true) else { return .endOfInput }
      return .line(text)
    }

    LineEditor.active = self
    lineInterrupted = false
    interruptPending = 0
    let previousHandler = installInterruptHandler()
    defer { sigaction(SIGINT, &previousHandler.action, nil) }

    let raw = readline(prompt)
    defer { free(raw) }
    if lineInterrupted {
      return .interrupted
    }
    guard let raw else {
      writeToTerminal("\n")
      return .endOfInput
    }

    return .line(String(cString: raw))
  }

  /// Adds an entry to the in-memory history (for up-arrow recall), skipping an immediate
  /// repeat. A multi-line entry is kept whole.
  func addToHistory(_ entry: String) {
    if history_length > 0, let last = history_get(history_base + history_length - 1),
      let line = last.pointee.line, String(cString: line) == entry
    {
      return
    }
    add_history(entry)
  }

  /// Every entry in the in-memory history, oldest first.
  func historyEntries() -> [String] {
    (0..<Int(history_length)).compactMap { offset in
      history_get(history_base + Int32(offset))?.pointee.line.map { String(cString: $0) }
    }
  }

  /// Appends `entry` to the history file at once, as one line, so a crash loses nothing.
  /// Does nothing without a history file; a write failure is recorded in `historyProblem`
  /// and ends writing for the session.
  func appendToHistoryFile(_ entry: String) {
    guard let historyFile, !historyFileFailed, !entry.allSatisfy(\.isWhitespace) else { return }
    let descriptor = open(historyFile, O_WRONLY | O_APPEND | O_CREAT, 0o600)
    guard descriptor >= 0 else {
      recordWriteFailure(openFailure(historyFile))
      return
    }
    defer { close(descriptor) }

    // One write call per entry, so entries from two sessions never interleave mid-line.
    let bytes = Array((HistoryFile.encode(entry) + "\n").utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    if written != bytes.count {
      recordWriteFailure("cannot write history file \(historyFile): \(systemError())")
    }
  }

  /// Why `open` failed on the history file: a missing folder by name, else the system's words.
  private func openFailure(_ path: String) -> String {
    let reason = systemError()
    let parent = (path as NSString).deletingLastPathComponent
    let folder = parent.isEmpty ? "." : parent
    if !FileManager.default.fileExists(atPath: folder) {
      return "cannot write history file \(path): there is no folder \(folder)"
    }
    return "cannot write history file \(path): \(reason)"
  }

  private func recordWriteFailure(_ problem: String) {
    historyFileFailed = true
    if historyProblem == nil { historyProblem = problem }
  }

  /// Reads the history file, or creates it; a file that exists but cannot be appended to (a
  /// missing folder, a read-only file, a folder in its place) is a `historyProblem` at once,
  /// not a silent loss at the first entry. Missing folders are not created: a mistyped
  /// FUSELAB_HISTORY should be reported, not built.
  private func loadHistory(from path: String) {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    if manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      recordWriteFailure("history file \(path) is a folder")
      return
    }
    let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
    guard descriptor >= 0 else {
      recordWriteFailure(openFailure(path))
      return
    }
    close(descriptor)

    guard let data = manager.contents(atPath: path) else {
      historyProblem = "cannot read history file \(path)"
      return
    }

    let entries = HistoryFile.decode(String(decoding: data, as: UTF8.self))
    for entry in entries.suffix(maxHistory) { add_history(entry) }
    // Keep the file from growing without bound; rewritten whole, atomically.
    if entries.count > 2 * maxHistory {
      let kept = entries.suffix(maxHistory).map(HistoryFile.encode).joined(separator: "\n")
      try? (kept + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }
  }
}

/// The one-entry-per-line encoding of the history file.
enum HistoryFile {
  static func encode(_ entry: String) -> String {
    entry.replacingOccurrences(of: "\\", with: "\\\\")
      .replacingOccurrences(of: "\r\n", with: "\\n")
      .replacingOccurrences(of: "\n", with: "\\n")
  }

  static func decode(_ contents: String) -> [String] {
    contents.split(separator: "\n", omittingEmptySubsequences: true).map { line in
      var entry = ""
      var escaped = false
      for character in line {
        if escaped {
          entry.append(character == "n" ? "\n" : character)
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else {
          entry.append(character)
        }
      }
      if escaped { entry.append("\\") }
      return entry
    }
  }
}

// MARK: - Readline callbacks

// Readline calls back through plain C function pointers, which cannot capture an editor, so
// the callbacks below reach it through these globals. They are touched only on the thread
// that calls readline.

/// Set by the SIGINT handler while readline runs; read and cleared on the same thread.
private nonisolated(unsafe) var interruptPending: sig_atomic_t = 0
/// Set when Ctrl-C ended the current readline call.
private nonisolated(unsafe) var lineInterrupted = false
private nonisolated(unsafe) var completionCandidates: [String] = []
private nonisolated(unsafe) var completionIndex = 0

extension LineEditor {
  /// The editor that completion requests go to.
  nonisolated(unsafe) static weak var active: LineEditor?
  private nonisolated(unsafe) static var isConfigured = false

  /// Sets readline's globals once: the program name for ~/.inputrc, word breaks, completion
  /// and key reading.
  ///
  /// Ctrl-C: readline's own signal handling is turned off (`rl_catch_signals = 0`). While
  /// readline runs, SIGINT goes to a handler that only sets a flag, installed without
  /// SA_RESTART so the blocked read returns; `readKey` then sees the flag and ends the line.
  /// The program's own SIGINT handling is restored as soon as readline returns.
  static func configureReadline() {
    guard !isConfigured else { return }
    isConfigured = true
    interruptPending = 0

    rl_readline_name = UnsafePointer(strdup("fuselab"))
    rl_catch_signals = 0
    rl_getc_function = readKey
    rl_attempted_completion_function = attemptCompletion
    rl_completer_word_break_characters = UnsafePointer(codeWordBreaks)
    rl_completion_word_break_hook = chooseWordBreaks
    rl_completer_quote_characters = UnsafePointer(strdup("\"'"))
    // A paste arrives as one piece, line breaks and tabs included, so a pasted block is one
    // entry and its tabs are not completions. Readline 8.1 and later do this by default; an
    // ~/.inputrc may still turn it off, and readline leaves it off on a terminal named dumb.
    rl_variable_bind("enable-bracketed-paste", "on")
  }

  /// Installs the flag-setting SIGINT handler; returns the previous one to restore.
  fileprivate func installInterruptHandler() -> SavedSignalAction {
    var action = sigaction()
    action.__sigaction_handler.sa_handler = { _ in interruptPending = 1 }
    sigemptyset(&action.sa_mask)
    action.sa_flags = 0
    let saved = SavedSignalAction()
    sigaction(SIGINT, &action, &saved.action)
    return saved
  }

  fileprivate func writeToTerminal(_ text: String) {
    fputs(text, rl_outstream ?? stdout)
    fflush(rl_outstream ?? stdout)
  }

  fileprivate func systemError() -> String {
    String(cString: strerror(errno))
  }
}

/// Holds a signal action so it can be restored from a `defer`.
final class SavedSignalAction {
  var action = sigaction()
}

/// Reads one byte for readline. On Ctrl-C it feeds readline a Return, which ends any
/// incremental search and accepts the line; `readInput` sees the flag and discards the line.
///
/// Ending the line this way, rather than setting `rl_done`, works in every readline mode:
/// the search modes read keys in their own loops and would never see `rl_done`.
private func readKey(_ stream: UnsafeMutablePointer<FILE>?) -> Int32 {
  guard let stream else { return EOF }
  while true {
    if interruptPending != 0 {
      interruptPending = 0
      lineInterrupted = true
      // Leave the abandoned text visible, followed by ^C as a shell shows it (readline
      // turned terminal echo off); accepting the line then moves to a fresh line.
      rl_free_line_state()
      rl_point = rl_end
      rl_redisplay()
      fputs("^C", rl_outstream ?? stdout)
      return 13
    }

    var byte: UInt8 = 0
    let count = read(fileno(stream), &byte, 1)
    if count == 1 { return Int32(byte) }
    if count == 0 { return EOF }
    if errno != EINTR { return EOF }
    rl_check_signals()
  }
}

/// Word breaks in code. No dot, so `h.lo` is one word and completes a member.
private let codeWordBreaks = strdup(" \t\n\"'`@$><=;|&{}()[],+-*/%!^:#")!
/// Word breaks inside a string literal: only its quote, so a path like `data/htad-2` is one
/// word (readline would otherwise skip a leading `/` as a break).
private let doubleQuotedWordBreaks = strdup("\"")!
private let singleQuotedWordBreaks = strdup("'")!
/// Word breaks in a prompt command (`:run examples/quickstart.fuse`): spaces and quotes.
private let commandWordBreaks = strdup(" \t\"'")!

/// Picks the word breaks for the text before the cursor: in a prompt command, inside an open
/// string, or in code.
private func chooseWordBreaks() -> UnsafeMutablePointer<CChar>? {
  guard let buffer = rl_line_buffer else { return codeWordBreaks }
  var openQuote: UInt8?
  var escaped = false
  var isCommand: Bool?
  var commandName: [UInt8]?
  for index in 0..<Int(rl_point) {
    let byte = UInt8(bitPattern: buffer[index])
    let isSpace = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    if isCommand == nil && !isSpace {
      isCommand = byte == UInt8(ascii: ":")
      if isCommand == true {
        commandName = []
        continue
      }
    }
    // The command's name ends at the first space; a command that takes code reads on as code.
    if var name = commandName {
      if isSpace {
        let text = String(decoding: name, as: UTF8.self)
        if LineEditor.active?.commandTakesCode(text) == true { isCommand = false }
        commandName = nil
      } else {
        name.append(byte)
        commandName = name
      }
      continue
    }
    if escaped {
      escaped = false
    } else if openQuote != nil && byte == UInt8(ascii: "\\") {
      escaped = true
    } else if let quote = openQuote {
      if byte == quote { openQuote = nil }
    } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
      openQuote = byte
    }
  }
  if isCommand == true { return commandWordBreaks }
  switch openQuote {
  case UInt8(ascii: "\""): return doubleQuotedWordBreaks
  case UInt8(ascii: "'"): return singleQuotedWordBreaks
  default: return codeWordBreaks
  }
}

private func attemptCompletion(
  _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
  rl_attempted_completion_over = 1
  guard let text, let completer = LineEditor.active?.completer else { return nil }

  let word = String(cString: text)
  let bytes = rl_line_buffer.map { UnsafeBufferPointer(start: $0, count: Int(end)) }
  let line = bytes.map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) } ?? ""

  switch completer(line, word) {
  case .fileNames:
    rl_attempted_completion_over = 0
    return nil
  case .candidates(let candidates):
    completionCandidates = candidates.filter { $0.hasPrefix(word) }
  }
  guard !completionCandidates.isEmpty else { return nil }
  // Candidates end as they should (`print(`, `epochs: `); readline would add a space.
  rl_completion_append_character = 0
  return rl_completion_matches(text, nextCandidate)
}

private func nextCandidate(_ text: UnsafePointer<CChar>?, _ state: Int32) -> UnsafeMutablePointer<
  CChar
>? {
  if state == 0 { completionIndex = 0 }
  guard completionIndex < completionCandidates.count else { return nil }
  completionIndex += 1
  return strdup(completionCandidates[completionIndex - 1])
}
