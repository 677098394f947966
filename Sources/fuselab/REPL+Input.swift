import Foundation
import FuseLanguage

/// What the session has accepted, for `:save`, and `:time`, which runs one entry against the
/// clock.
extension REPL {
  /// An entry that ran without error, or that Ctrl-C stopped part-way, in the order it ran.
  enum AcceptedEntry: Equatable {
    /// Code typed at the prompt, or given to `:time`.
    case code(String)
    /// Code that Ctrl-C stopped. The session kept what it did (the epochs a train() call
    /// finished), and later entries may build on it (`train(m, epochs: 300, resume: true)`),
    /// so the saved script keeps it, under a comment: run again, it goes to the end.
    case interrupted(String)
    /// A script that `:run` ran to the end; the saved script names it in a comment, since the
    /// language has no way to run another file.
    case script(String)
  }

  /// `:time EXPR`: runs EXPR as an entry, echoes its value as the prompt would, then the wall
  /// time it took. An entry that fails shows its error and no time.
  func timeEntry(_ code: String) {
    let start = DispatchTime.now().uptimeNanoseconds
    let outcome = evaluate(code)
    if outcome == .interrupted { acceptedInput.append(.interrupted(code)) }
    guard outcome == .completed else { return }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    acceptedInput.append(.code(code))
    writeStandardOutput("time: \(REPL.duration(seconds))\n")
  }

  /// A wall time with three significant digits in a unit that suits it: `812 µs`, `12.3 ms`,
  /// `1.23 s`; a minute or more as `2 min 5 s`, an hour or more as `1 h 12 min`.
  static func duration(_ seconds: Double) -> String {
    func threeDigits(_ value: Double) -> String {
      String(format: value >= 99.95 ? "%.0f" : value >= 9.995 ? "%.1f" : "%.2f", value)
    }
    if seconds >= 59.5 {
      let whole = Int(seconds.rounded())
      if whole >= 3600 { return "\(whole / 3600) h \(whole / 60 % 60) min" }
      return "\(whole / 60) min \(whole % 60) s"
    }
    if seconds >= 0.9995 { return threeDigits(seconds) + " s" }
    if seconds >= 0.0009995 { return threeDigits(seconds * 1e3) + " ms" }
    return threeDigits(seconds * 1e6) + " µs"
  }

  /// The accepted entries as a script that runs them in order, ending in a line break.
  static func script(from entries: [AcceptedEntry]) -> String {
    let lines = entries.map { entry -> String in
      switch entry {
      case .code(let code):
        return trimmedEnd(code)
      case .interrupted(let code):
        return "# interrupted with Ctrl-C in the session, after part of its work:\n"
          + trimmedEnd(code)
      case .script(let path):
        return "# :run \(path) ran here (prompt commands are not saved)"
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// A pasted block may end in line breaks or spaces; they add nothing to a script.
  private static func trimmedEnd(_ code: String) -> String {
    var text = code
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return text
  }

  /// `:save FILE`: writes the accepted entries as a script, replacing FILE atomically, and says
  /// how many it wrote. A failed entry, a prompt command and anything before `:reset` are left
  /// out, so the script runs as the session did; an entry Ctrl-C stopped is kept, marked.
  func saveAcceptedInput(to path: String) {
    guard !acceptedInput.isEmpty else {
      writeStandardError("nothing to save to \(path): no entry has run without error yet\n")
      return
    }
    if let problem = REPL.saveProblem(path) {
      writeStandardError("cannot save to \(path): \(problem)\n")
      return
    }
    do {
      try AtomicFile.write(REPL.script(from: acceptedInput), to: path)
    } catch {
      writeStandardError("\(error)\n")
      return
    }

    let count = acceptedInput.filter { if case .script = $0 { false } else { true } }.count
    let stopped = acceptedInput.filter { if case .interrupted = $0 { true } else { false } }.count
    let runs = acceptedInput.count - count
    var message = "saved \(count) entr\(count == 1 ? "y" : "ies") to \(path)"
    if stopped > 0 { message += " (\(stopped) interrupted, marked with a comment)" }
    if runs > 0 { message += ", and \(runs) :run as a comment" }
    writeStandardOutput(message + "\n")
  }

  /// Why `path` cannot take a script, said in the user's terms, before any write is tried.
  private static func saveProblem(_ path: String) -> String? {
    let manager = FileManager.default
    var isFolder: ObjCBool = false
    if manager.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      return "it is a folder"
    }
    let parent = (path as NSString).deletingLastPathComponent
    let folder = parent.isEmpty ? "." : parent
    if !manager.fileExists(atPath: folder, isDirectory: &isFolder) {
      return "there is no folder \(folder)"
    }
    if !isFolder.boolValue { return "\(folder) is not a folder" }
    return nil
  }
}
