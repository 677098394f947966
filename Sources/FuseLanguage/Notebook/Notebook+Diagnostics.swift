extension Notebook {
  /// The diagnostic moved from its cell into the Markdown file: the notebook's name, the
  /// line and column in the file, and that file line's text under the caret.
  ///
  /// Cells run under `sourceName(ofCell:)`, so an error inside a function that an earlier
  /// cell defined still lands on the earlier cell's line. A diagnostic from anywhere else is
  /// returned unchanged.
  ///
  /// Lines are counted in the file as it will be written: `results` holds the fresh results
  /// of the cells run so far, whose output blocks may be longer or shorter than the recorded
  /// ones and so move the lines below them.
  public func locate(
    _ diagnostic: Diagnostic, fileName: String, results: [Int: CellResult] = [:]
  ) -> Diagnostic {
    guard
      let cell = cells.first(where: {
        Notebook.sourceName(ofCell: $0.number) == diagnostic.location.file
      })
    else { return diagnostic }

    let (line, column) = fileLocation(
      in: cell, line: diagnostic.location.line,
      column: diagnostic.location.column)
    var moved = diagnostic
    moved.location.file = fileName
    moved.location.line = line + lineShift(before: cell.number, results: results)
    moved.location.column = column
    moved.sourceLine = line <= lines.count ? content(of: lines[line - 1]) : ""
    return moved
  }

  /// How many lines the new output blocks of the cells before `cellNumber` add (or remove,
  /// when negative) compared with the blocks the file records.
  public func lineShift(before cellNumber: Int, results: [Int: CellResult]) -> Int {
    var shift = 0
    for cell in cells where cell.number < cellNumber {
      guard let result = results[cell.number] else { continue }
      let written = resultBlock(result, indentation: cell.indentation)
        .filter { $0 == "\n" || $0 == "\r\n" }.count
      shift += written - cell.recordedLines.count
    }
    return shift
  }

  /// A cell-relative line and column (1-based) as a line and column of the Markdown file.
  public func fileLocation(in cell: NotebookCell, line: Int, column: Int) -> (Int, Int) {
    let lineInCell = max(1, line)
    let removed =
      lineInCell <= cell.removedIndentation.count
      ? cell.removedIndentation[lineInCell - 1] : 0
    // An error at the end of the cell's text points at the closing fence at the latest.
    let fileLine = min(cell.firstSourceLine + lineInCell - 1, cell.closingIndex + 1)
    return (fileLine, column + removed)
  }
}
