import Foundation

@testable import FuseLanguage

/// Runs a notebook's cells in one fresh interpreter, as `fuselab notebook run` does, and
/// returns the parsed notebook with each cell's result; stops at the first failing cell
/// unless `allowErrors`.
func runNotebook(
  _ text: String, fileName: String = "nb.md", allowErrors: Bool = false
) throws -> (notebook: Notebook, results: [Int: CellResult]) {
  let notebook = try Notebook(text: text)
  var printed = ""
  let interpreter = Interpreter { printed += $0 }
  var results: [Int: CellResult] = [:]
  for cell in notebook.cells {
    printed = ""
    do {
      let name = Notebook.sourceName(ofCell: cell.number)
      if let value = try interpreter.evaluate(source: cell.source, file: name) {
        printed += value.description + "\n"
      }
      results[cell.number] = CellResult(printed: printed, error: nil)
    } catch let diagnostic as Diagnostic {
      let located = notebook.locate(diagnostic, fileName: fileName, results: results)
      results[cell.number] = CellResult(printed: printed, error: located.rendered())
      if !allowErrors { break }
    }
  }
  return (notebook, results)
}

/// The notebook's text after running it.
func rendered(_ text: String, allowErrors: Bool = false) throws -> String {
  let (notebook, results) = try runNotebook(text, allowErrors: allowErrors)
  return notebook.rendered(with: results)
}
