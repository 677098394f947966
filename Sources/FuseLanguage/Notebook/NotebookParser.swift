/// A fenced code block's opening line: up to three spaces, then three or more backticks or
/// tildes, then the info string (CommonMark's rules, which GitHub follows).
struct Fence: Equatable {
  var indentation: Int
  var character: Character
  var length: Int
  var info: String

  /// The first word of the info string: the block's language.
  var language: String {
    String(info.split(separator: " ", maxSplits: 1).first ?? "").lowercased()
  }

  init?(opening line: String) {
    let text = content(of: line)
    let spaces = text.prefix(while: { $0 == " " }).count
    guard spaces <= 3 else { return nil }
    let rest = text.dropFirst(spaces)
    guard let first = rest.first, first == "`" || first == "~" else { return nil }
    let run = rest.prefix(while: { $0 == first }).count
    guard run >= 3 else { return nil }
    let info = rest.dropFirst(run).trimmingSpaces()
    // A backtick fence's info string may not hold a backtick (that is inline code).
    if first == "`" && info.contains("`") { return nil }
    indentation = spaces
    character = first
    length = run
    self.info = info
  }

  /// Whether `line` closes this fence: the same character, at least as many, nothing after.
  func isClosed(by line: String) -> Bool {
    let text = content(of: line)
    let spaces = text.prefix(while: { $0 == " " }).count
    guard spaces <= 3 else { return false }
    let rest = text.dropFirst(spaces)
    let run = rest.prefix(while: { $0 == character }).count
    return run >= length && rest.dropFirst(run).trimmingSpaces().isEmpty
  }
}

extension Substring {
  func trimmingSpaces() -> String {
    var text = self
    while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
    while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
    return String(text)
  }
}

/// Finds the cells of a notebook and the output blocks recorded below them.
struct NotebookParser {
  let lines: [String]

  func cells() throws -> [NotebookCell] {
    var cells: [NotebookCell] = []
    var index = 0
    while index < lines.count {
      guard let fence = Fence(opening: lines[index]) else {
        index += 1
        continue
      }
      let closing = closingIndex(of: fence, openedAt: index)
      guard fence.language == Notebook.cellLanguage else {
        // Other code blocks are prose: skip them whole, so a fence inside one is not a cell.
        index = (closing ?? lines.count - 1) + 1
        continue
      }
      guard let closing else {
        throw NotebookError(
          line: index + 1, column: fence.indentation + 1,
          message: "this fuse cell is never closed; end it with a line of \(fence.length) "
            + "'\(fence.character)' characters")
      }
      let cell = makeCell(number: cells.count + 1, fence: fence, opening: index, closing: closing)
      cells.append(cell)
      index = cell.recordedLines.upperBound
    }
    return cells
  }

  private func closingIndex(of fence: Fence, openedAt opening: Int) -> Int? {
    var index = opening + 1
    while index < lines.count {
      if fence.isClosed(by: lines[index]) { return index }
      index += 1
    }
    return nil
  }

  private func makeCell(number: Int, fence: Fence, opening: Int, closing: Int) -> NotebookCell {
    let (source, removed) = dedent(lines[(opening + 1)..<closing], by: fence.indentation)
    var recorded = CellResult()
    var end = closing + 1

    // Blank lines, then an output block, then (blank lines and) an error block, either optional.
    var next = skippingBlankLines(from: end)
    if let block = block(at: next, info: Notebook.outputInfo) {
      recorded.output = block.lines
      end = block.end
      next = skippingBlankLines(from: end)
    }
    if let block = block(at: next, info: Notebook.errorInfo) {
      recorded.error = block.lines
      end = block.end
    }

    return NotebookCell(
      number: number, fenceLine: opening + 1, indentation: fence.indentation,
      source: source, removedIndentation: removed, closingIndex: closing,
      recordedLines: (closing + 1)..<end, recorded: recorded)
  }

  /// An output or error block opening at `index`: its normalized lines and the index after it.
  private func block(at index: Int, info: String) -> (lines: [String], end: Int)? {
    guard index < lines.count, let fence = Fence(opening: lines[index]), fence.info == info,
      let closing = closingIndex(of: fence, openedAt: index)
    else { return nil }
    let (text, _) = dedent(lines[(index + 1)..<closing], by: fence.indentation)
    return (normalizedLines(text), closing + 1)
  }

  private func skippingBlankLines(from start: Int) -> Int {
    var index = start
    while index < lines.count && content(of: lines[index]).trimmingSpaces().isEmpty {
      index += 1
    }
    return index
  }

  /// Removes up to `indentation` leading spaces from each line, as CommonMark does inside an
  /// indented fence, and joins the lines with "\n".
  private func dedent(_ block: ArraySlice<String>, by indentation: Int) -> (String, [Int]) {
    var removed: [Int] = []
    let texts = block.map { line -> String in
      let text = content(of: line)
      let count = min(indentation, text.prefix(while: { $0 == " " }).count)
      removed.append(count)
      return String(text.dropFirst(count))
    }
    return (texts.joined(separator: "\n"), removed)
  }
}

extension String {
  fileprivate func trimmingSpaces() -> String { self[...].trimmingSpaces() }
}
