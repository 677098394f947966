/// The horizontal scale shared by every bar of one chart.
///
/// Bars start at zero. When some values are negative the zero line moves right, to where the
/// most negative value fits, and negative bars grow leftwards from it in whole cells (the
/// eighth blocks are drawn from the left, so a partial cell cannot end a leftward bar).
/// Non-finite values get no bar; their text (`nan`, `inf`) stands at the zero line.
struct BarScale {
  let low: Double
  let high: Double
  /// Columns available to the bars, not counting the one that holds the zero line.
  let cells: Int
  let glyphs: Glyphs

  /// The narrowest bar area worth drawing, whatever width the caller asks for.
  static let minimumCells = 10

  init(values: [Double], cells: Int, glyphs: Glyphs) {
    let finite = values.filter { $0.isFinite }
    low = min(0, finite.min() ?? 0)
    high = max(0, finite.max() ?? 0)
    self.cells = max(BarScale.minimumCells, cells)
    self.glyphs = glyphs
  }

  /// Whether the values span anything; all zeros draw no bars.
  var hasSpan: Bool { high > low }

  var zeroColumn: Int {
    hasSpan ? Int((ValueRange(low: low, high: high).share(of: -low) * Double(cells)).rounded()) : 0
  }

  /// The bar for one value followed by `text`, starting at the left edge of the bar area.
  func row(value: Double, text: String) -> String {
    let axis = String(glyphs.verticalAxis)
    let lead = String(repeating: " ", count: zeroColumn)
    guard value.isFinite, hasSpan else { return lead + axis + " " + text }

    let length = ValueRange(low: low, high: high).share(of: abs(value)) * Double(cells)
    if value >= 0 {
      return lead + axis + glyphs.bar(cells: length) + " " + text
    }
    let whole = min(zeroColumn, Int(length.rounded()))
    return String(repeating: " ", count: zeroColumn - whole)
      + String(repeating: glyphs.fullBlock, count: whole) + axis + " " + text
  }

  /// The axis under the bars, its end values, and the axis label centred under them; each
  /// line starts at the left edge of the bar area. Empty when every value is zero.
  func axisLines(label: String?) -> [String] {
    guard hasSpan else { return label.map { [$0] } ?? [] }

    let zero = zeroColumn
    var axis = String(repeating: glyphs.horizontalAxis, count: zero)
    axis.append(zero == 0 ? glyphs.corner : glyphs.zeroTick)
    axis += String(repeating: glyphs.horizontalAxis, count: cells - zero)

    var labels: [(column: Int, text: String, anchor: TextLayout.Anchor)] = []
    labels.append((zero, "0", zero == 0 ? .start : .center))
    if low < 0 { labels.append((0, compactNumber(low), .start)) }
    if high > 0 { labels.append((cells, compactNumber(high), .end)) }
    var lines = [axis, TextLayout.labelLine(width: cells + 1, labels: labels)]
    if let label, !label.isEmpty { lines.append(TextLayout.centered(label, in: cells + 1)) }
    return lines
  }

  /// Bar-area cells left once a row's prefix and its widest trailing text are placed.
  static func cells(width: Int, prefix: Int, text: Int) -> Int {
    width - prefix - 2 - text
  }
}
