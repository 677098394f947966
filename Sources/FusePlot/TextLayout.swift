import FuseFormat

/// Small helpers that lay text out in columns. Widths count Characters, which matches the
/// terminal for the ASCII and box-drawing text plots use; wide (CJK) labels will misalign.
enum TextLayout {
  static func padLeft(_ text: String, to width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }

  static func padRight(_ text: String, to width: Int) -> String {
    text + String(repeating: " ", count: max(0, width - text.count))
  }

  static func centered(_ text: String, in width: Int) -> String {
    String(repeating: " ", count: max(0, (width - text.count) / 2)) + text
  }

  /// Joins lines with newlines, dropping the spaces some lines end with. No final newline.
  static func joined(_ lines: [String]) -> String {
    lines.map { line in
      var trimmed = Substring(line)
      while trimmed.last == " " { trimmed.removeLast() }
      return String(trimmed)
    }.joined(separator: "\n")
  }

  /// The note under a plot that could not draw some values: "(1 non-finite value left
  /// out)", with `outcome` saying what became of them; nil when every value was finite.
  static func nonFiniteNote(_ values: [Double], outcome: String = "left out") -> String? {
    let count = values.filter { !$0.isFinite }.count
    guard count > 0 else { return nil }
    return "(\(counted(count, "non-finite value")) \(outcome))"
  }

  /// The text a plot shows instead of a chart when it has nothing to draw.
  static func noData(title: String) -> String {
    title.isEmpty ? "(no data)" : title + "\n(no data)"
  }

  /// Where a label sits on a line of labels.
  enum Anchor { case start, center, end }

  /// A line `width` long with each label placed at its column; a label that would overlap
  /// an earlier one, or run past the edges, is left out.
  static func labelLine(width: Int, labels: [(column: Int, text: String, anchor: Anchor)]) -> String
  {
    var cells = [Character](repeating: " ", count: width)
    var taken = [Bool](repeating: false, count: width)
    for label in labels {
      let length = label.text.count
      var start: Int
      switch label.anchor {
      case .start: start = label.column
      case .center: start = label.column - length / 2
      case .end: start = label.column - length + 1
      }
      start = min(max(0, start), width - length)
      guard start >= 0 else { continue }
      let span = start..<(start + length)
      // Keep one blank column between neighbouring labels.
      let guarded = max(0, start - 1)..<min(width, start + length + 1)
      if guarded.contains(where: { taken[$0] }) { continue }
      for (offset, character) in label.text.enumerated() { cells[start + offset] = character }
      for index in span { taken[index] = true }
    }
    return String(cells)
  }
}
