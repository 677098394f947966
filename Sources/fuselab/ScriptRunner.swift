import Foundation
import FuseLanguage

/// Runs one script file top to bottom in a fresh session.
struct ScriptRunner {
  var threads: Int

  func run(file: String) -> ExitStatus {
    let source: String
    do {
      source = try readScript(file)
    } catch {
      writeStandardError("fuselab: error: \(error)\n")
      return .usage
    }

    let session = Session(threads: threads)
    do {
      try session.interpreter.run(source: source, file: file)
      session.progress.finish()
      return .success
    } catch let diagnostic as Diagnostic {
      session.progress.finish()
      writeStandardError(diagnostic.rendered() + "\n")
      return ScriptRunner.status(for: diagnostic)
    } catch {
      session.progress.finish()
      writeStandardError("fuselab: error: \(error)\n")
      return .runtimeFailure
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

struct ScriptReadError: Error, CustomStringConvertible {
  var description: String
}

/// The text of a script (or, with `kind`, a notebook), or an error that names the file and
/// says what is wrong with it.
///
/// Read through a file handle, so that pipes and devices work too: `fuselab run /dev/stdin`
/// and `fuselab run <(generate)`.
func readScript(_ path: String, kind: String = "script") throws -> String {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
    throw ScriptReadError(description: "no such \(kind): \(path)")
  }
  guard !isFolder.boolValue else {
    throw ScriptReadError(description: "\(path) is a folder, not a \(kind)")
  }
  guard let handle = FileHandle(forReadingAtPath: path),
    let data = try? handle.readToEnd() ?? Data()
  else {
    throw ScriptReadError(description: "cannot read \(path)")
  }
  guard let text = String(data: data, encoding: .utf8) else {
    throw ScriptReadError(description: "\(path) is not UTF-8 text")
  }
  return text
}
