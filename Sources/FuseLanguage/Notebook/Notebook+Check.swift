/// A cell whose fresh result differs from what the notebook records.
public struct NotebookMismatch: Equatable, Sendable {
  public var cell: Int
  /// The 1-based file line where the cell's recorded output starts (or would start).
  public var line: Int
  public var recorded: [String]
  public var actual: [String]

  /// A unified-diff-like report: a header naming the cell and line, then the changed lines
  /// with three lines of context, `-` for recorded and `+` for actual.
  public func report(fileName: String) -> String {
    var text = "\(fileName):\(line): cell \(cell): the output differs from the recorded one\n"
    text += "--- \(fileName) (recorded)\n+++ \(fileName) (actual)\n"
    for hunk in unifiedHunks(recorded, actual, context: 3) {
      text +=
        "@@ -\(line + hunk.oldStart),\(hunk.oldCount) +\(line + hunk.newStart),"
        + "\(hunk.newCount) @@\n"
      text += hunk.lines.joined(separator: "\n") + "\n"
    }
    return text
  }
}

extension Notebook {
  /// The first cell, in file order, whose result in `results` differs from its recorded one;
  /// cells without a fresh result (not run) are not compared.
  public func firstMismatch(with results: [Int: CellResult]) -> NotebookMismatch? {
    for cell in cells {
      guard let result = results[cell.number], result != cell.recorded else { continue }
      return NotebookMismatch(
        cell: cell.number, line: cell.closingIndex + 2,
        recorded: blockLines(cell.recorded, cell.indentation),
        actual: blockLines(result, cell.indentation))
    }
    return nil
  }

  /// The Markdown lines the result is written as, without line breaks.
  private func blockLines(_ result: CellResult, _ indentation: Int) -> [String] {
    let lines = resultBlock(result, indentation: indentation)
      .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
      .map(String.init)
    return Array(lines.dropLast())
  }
}

struct DiffHunk {
  /// 0-based starts and counts of the hunk in each side.
  var oldStart = 0, oldCount = 0, newStart = 0, newCount = 0
  var lines: [String] = []
}

/// A line diff from the longest common subsequence, grouped into hunks with context.
/// Quadratic in the number of lines: meant for one cell's output, not for whole files.
func unifiedHunks(_ old: [String], _ new: [String], context: Int) -> [DiffHunk] {
  enum Edit {
    case same(Int, Int)
    case removed(Int)
    case added(Int)
  }

  var common = Array(repeating: Array(repeating: 0, count: new.count + 1), count: old.count + 1)
  for i in stride(from: old.count - 1, through: 0, by: -1) {
    for j in stride(from: new.count - 1, through: 0, by: -1) {
      common[i][j] =
        old[i] == new[j]
        ? common[i + 1][j + 1] + 1 : max(common[i + 1][j], common[i][j + 1])
    }
  }
  var edits: [Edit] = []
  var i = 0
  var j = 0
  while i < old.count || j < new.count {
    if i < old.count && j < new.count && old[i] == new[j] {
      edits.append(.same(i, j))
      i += 1
      j += 1
    } else if i < old.count && (j == new.count || common[i + 1][j] >= common[i][j + 1]) {
      edits.append(.removed(i))
      i += 1
    } else {
      edits.append(.added(j))
      j += 1
    }
  }

  // Keep each change with `context` unchanged edits around it; merge what overlaps.
  let changed = edits.indices.filter {
    if case .same = edits[$0] { return false }
    return true
  }
  var ranges: [ClosedRange<Int>] = []
  for index in changed {
    let range = max(0, index - context)...min(edits.count - 1, index + context)
    if let last = ranges.last, range.lowerBound <= last.upperBound + 1 {
      ranges[ranges.count - 1] = last.lowerBound...range.upperBound
    } else {
      ranges.append(range)
    }
  }

  return ranges.map { range in
    var hunk = DiffHunk()
    var oldPosition = 0
    var newPosition = 0
    // The hunk starts where its first edit sits in each side.
    for edit in edits[..<range.lowerBound] {
      switch edit {
      case .same:
        oldPosition += 1
        newPosition += 1
      case .removed: oldPosition += 1
      case .added: newPosition += 1
      }
    }
    hunk.oldStart = oldPosition
    hunk.newStart = newPosition
    for edit in edits[range] {
      switch edit {
      case .same(let a, _):
        hunk.lines.append(" " + old[a])
        hunk.oldCount += 1
        hunk.newCount += 1
      case .removed(let a):
        hunk.lines.append("-" + old[a])
        hunk.oldCount += 1
      case .added(let b):
        hunk.lines.append("+" + new[b])
        hunk.newCount += 1
      }
    }
    return hunk
  }
}
