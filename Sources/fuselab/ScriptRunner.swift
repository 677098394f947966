import Foundation
import FuseLanguage

/// Runs one script top to bottom in a fresh session: a file, or standard input (`-`).
struct ScriptRunner {
  var threads: Int

  func run(file: String) -> ExitStatus {
    let source: String
    switch ScriptRunner.read(file) {
    case .failure(let error): return error.status
    case .success(let text): source = text
    }

    let session = Session(threads: threads)
    let name = file == "-" ? standardInputName : file
    return ScriptRunner.run(source, named: name, in: session)
  }

  /// Runs `source` in `session`, printing the diagnostic that stops it; the REPL's `:run`
  /// uses it too, so a script behaves the same whichever way it is started.
  static func run(_ source: String, named name: String, in session: Session) -> ExitStatus {
    do {
      try session.interpreter.run(source: source, file: name)
      session.progress.finish()
      return .success
    } catch let diagnostic as Diagnostic {
      session.progress.end(interrupted: diagnostic.kind == .interrupted)
      writeStandardError(diagnostic.rendered() + "\n")
      return status(for: diagnostic)
    } catch {
      session.progress.finish()
      writeStandardError("fuselab: error: \(error)\n")
      return .runtimeFailure
    }
  }

  /// The text of a script (`-` for standard input), or the exit status after saying on stderr
  /// why it cannot be run: 64 when the file cannot be read, 65 when it is not UTF-8, like any
  /// script that does not lex.
  static func read(_ file: String, kind: String = "script") -> Result<String, ExitStatusError> {
    do {
      return .success(
        try file == "-" && kind == "script"
          ? readStandardInputScript() : readScript(file, kind: kind))
    } catch let error as ScriptEncodingError {
      writeStandardError(error.diagnostic.rendered() + "\n")
      return .failure(ExitStatusError(status: .scriptError))
    } catch {
      writeStandardError("fuselab: error: \(error)\n")
      return .failure(ExitStatusError(status: .usage))
    }
  }

  static func status(for diagnostic: Diagnostic) -> ExitStatus {
    switch diagnostic.kind {
    case .lexing, .parsing: return .scriptError
    case .runtime: return .runtimeFailure
    case .interrupted: return .interrupted
    }
  }
}

/// An exit status to return, for steps that have already said on stderr what went wrong.
struct ExitStatusError: Error {
  var status: ExitStatus
}
