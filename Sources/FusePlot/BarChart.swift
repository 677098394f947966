/// One labelled bar.
public struct Bar: Sendable, Equatable {
  public var label: String
  public var value: Double

  public init(_ label: String, _ value: Double) {
    self.label = label
    self.value = value
  }
}

/// A horizontal bar chart: one bar per label, its value printed at the end.
///
///     Dev accuracy
///     audio │██████████████████████████████████████████████▌ 0.785
///     accel │████████████████████████████████████████████████ 0.815
///           └──────────────────────────────────────────────────
///           0                                             0.815
///
/// Bars start at zero; see `BarScale` for negative and non-finite values. A note under the
/// chart counts the non-finite values, which get their text but no bar.
public struct BarChart: Sendable {
  public var title: String
  public var bars: [Bar]
  /// Written centred under the axis, saying what the values measure.
  public var axisLabel: String?

  public init(title: String, bars: [Bar], axisLabel: String? = nil) {
    self.title = title
    self.bars = bars
    self.axisLabel = axisLabel
  }

  public init(title: String, labels: [String], values: [Double], axisLabel: String? = nil) {
    self.init(
      title: title, bars: zip(labels, values).map { Bar($0, $1) }, axisLabel: axisLabel)
  }

  /// The chart as lines of text, without a final newline.
  public func render(style: PlotStyle = PlotStyle()) -> String {
    guard !bars.isEmpty else { return TextLayout.noData(title: title) }

    let labelWidth = bars.map(\.label.count).max() ?? 0
    let texts = bars.map { compactNumber($0.value) }
    let textWidth = texts.map(\.count).max() ?? 0
    let scale = BarScale(
      values: bars.map(\.value),
      cells: BarScale.cells(width: style.width, prefix: labelWidth + 1, text: textWidth),
      glyphs: style.glyphs)

    var lines: [String] = title.isEmpty ? [] : [title]
    for (bar, text) in zip(bars, texts) {
      lines.append(
        TextLayout.padRight(bar.label, to: labelWidth) + " "
          + scale.row(value: bar.value, text: text))
    }
    let indent = String(repeating: " ", count: labelWidth + 1)
    lines += scale.axisLines(label: axisLabel).map { indent + $0 }
    if let note = TextLayout.nonFiniteNote(bars.map(\.value), outcome: "drawn without a bar") {
      lines.append(note)
    }
    return TextLayout.joined(lines)
  }
}
