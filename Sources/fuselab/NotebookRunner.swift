import Foundation
import FuseLanguage
import FusePlot

/// Runs a notebook's cells in a fresh session and records, or checks, what each printed.
struct NotebookRunner {
  var path: String
  var threads: Int
  var check: Bool
  var allowErrors: Bool

  /// Plots in notebooks are drawn the same way everywhere, so recorded outputs do not depend
  /// on the terminal's width or on FUSELAB_ASCII.
  static let plotStyle = PlotStyle(width: 80, characters: .unicode)

  /// What a session printed during the current cell.
  final class OutputBuffer {
    var text = ""
  }

  func run() -> ExitStatus {
    let notebook: Notebook
    switch NotebookCommand.readNotebook(path) {
    case .failure(let error): return error.status
    case .success(let read): notebook = read
    }
    // A symbolic link is run where the link is, under the link's name; the write follows it.
    let file = URL(fileURLWithPath: path).standardizedFileURL
    let fileName = file.lastPathComponent

    // Paths in cells are relative to the notebook's folder, wherever it is run from.
    guard FileManager.default.changeCurrentDirectoryPath(file.deletingLastPathComponent().path)
    else {
      writeStandardError("fuselab: error: cannot enter the folder of \(path)\n")
      return .failure
    }

    let outcome = runCells(of: notebook, fileName: fileName)
    if outcome.interrupted {
      writeStandardError("stopped; \(path) was not changed\n")
      return .interrupted
    }

    if check {
      if let mismatch = notebook.firstMismatch(with: outcome.results) {
        writeStandardError(mismatch.report(fileName: path))
        return .failure
      }
      return outcome.failure ?? .success
    }

    let updated = notebook.rendered(with: outcome.results)
    if updated != notebook.text {
      do {
        try AtomicFile.write(updated, to: file.path)
      } catch {
        writeStandardError("fuselab: error: \(error)\n")
        return .failure
      }
    }
    return outcome.failure ?? .success
  }

  struct Outcome {
    var results: [Int: CellResult] = [:]
    /// The exit status of the failing cell that stopped the run.
    var failure: ExitStatus?
    var interrupted = false
  }

  private func runCells(of notebook: Notebook, fileName: String) -> Outcome {
    let buffer = OutputBuffer()
    let session = Session(threads: threads, plotStyle: NotebookRunner.plotStyle) {
      buffer.text += $0
    }
    var outcome = Outcome()

    for cell in notebook.cells {
      buffer.text = ""
      Interrupts.clear()
      session.progress.show(
        .transient("cell \(cell.number) of \(notebook.cells.count) (line \(cell.fenceLine))"))
      defer { session.progress.finish() }

      let recordedError: String?
      var status: ExitStatus?
      do {
        let sourceName = Notebook.sourceName(ofCell: cell.number)
        if let value = try session.interpreter.evaluate(source: cell.source, file: sourceName) {
          buffer.text += value.description + "\n"
        }
        recordedError = nil
      } catch let diagnostic as Diagnostic {
        session.progress.end(interrupted: diagnostic.kind == .interrupted)
        if diagnostic.kind == .interrupted {
          outcome.interrupted = true
          return outcome
        }
        let located = notebook.locate(diagnostic, fileName: fileName, results: outcome.results)
        var shown = located
        shown.location.file = path
        writeStandardError(shown.rendered() + "\n")
        recordedError = located.rendered()
        status = ScriptRunner.status(for: diagnostic)
      } catch {
        session.progress.finish()
        writeStandardError("\(path): cell \(cell.number): error: \(error)\n")
        recordedError = "\(fileName): cell \(cell.number): error: \(error)"
        status = .runtimeFailure
      }
      outcome.results[cell.number] = CellResult(printed: buffer.text, error: recordedError)

      // With --allow-errors a failing cell is a recorded result, not a failure of the run.
      guard let status, !allowErrors else { continue }
      outcome.failure = status
      break
    }
    return outcome
  }
}
