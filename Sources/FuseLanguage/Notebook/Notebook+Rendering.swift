extension Notebook {
  /// The notebook's text with new results written below the cells that have one.
  ///
  /// Cells missing from `results` keep the lines recorded below them as they are; every
  /// other line of the file (prose, other code blocks, the cells themselves) is copied
  /// unchanged, line breaks included.
  public func rendered(with results: [Int: CellResult]) -> String {
    var text = ""
    var next = 0
    for cell in cells {
      guard let result = results[cell.number] else { continue }
      text += lines[next..<cell.recordedLines.lowerBound].joined()
      let block = resultBlock(result, indentation: cell.indentation)
      // A cell closed on the file's last line, with no line break, needs one before its output.
      if !block.isEmpty && lines[cell.closingIndex].last?.isNewline != true {
        text += lineBreak
      }
      text += block
      next = cell.recordedLines.upperBound
    }
    text += lines[next...].joined()
    return text
  }

  /// The lines written below a cell: a blank line and an output block, then a blank line
  /// and an error block, each only when there is something to show.
  public func resultBlock(_ result: CellResult, indentation: Int = 0) -> String {
    var text = ""
    if !result.output.isEmpty {
      text += lineBreak + fenced(result.output, info: Notebook.outputInfo, indentation)
    }
    if let error = result.error {
      text += lineBreak + fenced(error, info: Notebook.errorInfo, indentation)
    }
    return text
  }

  private func fenced(_ lines: [String], info: String, _ indentation: Int) -> String {
    let fence = String(repeating: "`", count: Notebook.fenceLength(for: lines))
    let margin = String(repeating: " ", count: indentation)
    var text = margin + fence + info + lineBreak
    for line in lines {
      text += (line.isEmpty ? "" : margin + line) + lineBreak
    }
    return text + margin + fence + lineBreak
  }

  /// Three backticks, or one more than the longest run of backticks opening any line, so
  /// that printed text can never close its block early.
  static func fenceLength(for lines: [String]) -> Int {
    var longest = 0
    for line in lines {
      let run = line.drop(while: { $0 == " " }).prefix(while: { $0 == "`" }).count
      longest = max(longest, run)
    }
    return max(3, longest + 1)
  }
}
