/// A named sequence of y values, plotted at x = 1, 2, ... n.
public struct LineSeries: Sendable, Equatable {
  public var name: String
  public var values: [Double]

  public init(_ name: String, values: [Double]) {
    self.name = name
    self.values = values
  }
}

/// One or more series drawn as curves on a grid of characters, such as loss per epoch.
///
/// The y axis shows its minimum, maximum and middle value; the x axis its first and last
/// step. Each series draws with its own marker, named in a legend under the plot; where two
/// curves cross, the later series is drawn on top. Between steps the curve is interpolated
/// linearly, one value per column.
///
/// NaN and infinite values leave a gap, do not count towards the y range, and are counted
/// in a note under the legend; a finite value between two gaps still shows as a point.
///
/// Limitations: with more steps than columns each column shows the interpolated value at its
/// position, so a one-step spike can fall between columns and not show.
public struct LinePlot: Sendable {
  public var title: String
  public var series: [LineSeries]
  public var xLabel: String?
  public var yLabel: String?
  /// Rows in the plotting area, not counting title, axes and legend.
  public var height: Int

  public init(
    title: String, series: [LineSeries], xLabel: String? = nil, yLabel: String? = nil,
    height: Int = 12
  ) {
    self.title = title
    self.series = series
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.height = height
  }

  /// The plot as lines of text, without a final newline.
  public func render(style: PlotStyle = PlotStyle()) -> String {
    let finite = series.flatMap(\.values).filter { $0.isFinite }
    guard let low = finite.min(), let high = finite.max() else {
      return TextLayout.noData(title: title)
    }

    let glyphs = style.glyphs
    let rows = max(3, height)
    let steps = series.map(\.values.count).max() ?? 0
    let ticks = yTicks(low: low, high: high, rows: rows)
    let tickWidth = ticks.values.map(\.count).max() ?? 0
    let columns = max(10, style.width - tickWidth - 2)
    let grid = drawGrid(
      rows: rows, columns: columns, steps: steps, low: low, high: high, glyphs: glyphs)

    var lines: [String] = title.isEmpty ? [] : [title]
    if let yLabel, !yLabel.isEmpty { lines.append(yLabel) }
    for row in stride(from: rows - 1, through: 0, by: -1) {
      let tick = ticks[row]
      let axis = tick == nil ? glyphs.verticalAxis : glyphs.yTick
      lines.append(
        TextLayout.padLeft(tick ?? "", to: tickWidth) + " " + String(axis) + String(grid[row]))
    }

    let indent = String(repeating: " ", count: tickWidth + 1)
    lines.append(
      indent + String(glyphs.corner)
        + String(repeating: glyphs.horizontalAxis, count: columns))
    var xTicks: [(column: Int, text: String, anchor: TextLayout.Anchor)] = [(1, "1", .start)]
    if steps > 1 { xTicks.append((columns, String(steps), .end)) }
    lines.append(indent + TextLayout.labelLine(width: columns + 1, labels: xTicks))
    if let xLabel, !xLabel.isEmpty {
      lines.append(indent + TextLayout.centered(xLabel, in: columns + 1))
    }
    // One series without a name needs no legend: the title says what it is.
    if series.count > 1 || !series[0].name.isEmpty {
      let legend = series.enumerated().map { index, item in
        String(glyphs.marker(index)) + " " + item.name
      }
      lines.append(indent + legend.joined(separator: "  "))
    }
    if let note = TextLayout.nonFiniteNote(series.flatMap(\.values)) {
      lines.append(indent + note)
    }
    return TextLayout.joined(lines)
  }

  /// Labels of the bottom, middle and top rows. With a flat range only the middle row is
  /// labelled, and every point sits on it.
  private func yTicks(low: Double, high: Double, rows: Int) -> [Int: String] {
    let middle = (rows - 1) / 2
    if low == high { return [middle: compactNumber(low)] }
    let middleValue = ValueRange(low: low, high: high).value(
      atFraction: Double(middle) / Double(rows - 1))
    return [
      0: compactNumber(low), middle: compactNumber(middleValue), rows - 1: compactNumber(high),
    ]
  }

  private func drawGrid(
    rows: Int, columns: Int, steps: Int, low: Double, high: Double, glyphs: Glyphs
  ) -> [[Character]] {
    var grid = [[Character]](
      repeating: [Character](repeating: " ", count: columns), count: rows)
    let range = ValueRange(low: low, high: high)
    func row(of value: Double) -> Int {
      guard high > low else { return (rows - 1) / 2 }
      return Int((range.fraction(of: value) * Double(rows - 1)).rounded())
    }

    for (index, item) in series.enumerated() {
      let marker = glyphs.marker(index)
      var previousRow: Int?
      for column in 0..<columns {
        // The position of this column on the shared x axis, as a 0-based step.
        let position =
          steps > 1 ? Double(column) / Double(columns - 1) * Double(steps - 1) : 0
        guard let value = interpolate(item.values, at: position), column == 0 || steps > 1
        else {
          previousRow = nil
          continue
        }
        let current = row(of: value)
        grid[current][column] = marker

        // Fill a steep step so the curve stays connected.
        if let previousRow, abs(previousRow - current) > 1 {
          let direction = previousRow < current ? -1 : 1
          var fill = current + direction
          while fill != previousRow {
            grid[fill][column] = marker
            fill += direction
          }
        }
        previousRow = current
      }

      // A finite value next to a gap has no neighbour to interpolate towards, so the
      // columns around it may all fall in the gap; draw it at its own column.
      for (step, value) in item.values.enumerated() where value.isFinite {
        let before = step == 0 || !item.values[step - 1].isFinite
        let after = step == item.values.count - 1 || !item.values[step + 1].isFinite
        guard before || after, steps > 1 || step == 0 else { continue }
        let column =
          steps > 1 ? Int((Double(step) / Double(steps - 1) * Double(columns - 1)).rounded()) : 0
        grid[row(of: value)][column] = marker
      }
    }
    return grid
  }

  /// The value at a fractional step, or nil past the end or next to a non-finite value.
  private func interpolate(_ values: [Double], at position: Double) -> Double? {
    let lower = Int(position.rounded(.down))
    guard lower < values.count else { return nil }
    let fraction = position - Double(lower)
    if fraction == 0 || lower + 1 >= values.count {
      return fraction == 0 && values[lower].isFinite ? values[lower] : nil
    }
    let (a, b) = (values[lower], values[lower + 1])
    guard a.isFinite, b.isFinite else { return nil }
    return ValueRange(low: a, high: b).value(atFraction: fraction)
  }
}
