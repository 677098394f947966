import Foundation

/// A named set of values to count into bins.
public struct HistogramSeries: Sendable, Equatable {
  public var name: String
  public var values: [Double]

  public init(_ name: String, values: [Double]) {
    self.name = name
    self.values = values
  }
}

/// Values counted into equal-width bins, one bar per bin with its edges and count.
///
/// Several series (say gradient norms per modality) share the same bin edges and the same
/// count scale, so their shapes compare at a glance. Bins are half-open `[low, high)` except
/// the last, which includes the maximum. When every value is equal there is one bin. Values
/// that are NaN or infinite are left out of the bins and counted in a note under the chart.
public struct Histogram: Sendable {
  public var title: String
  public var series: [HistogramSeries]
  /// Number of bins; nil chooses Sturges' rule, 1 + log2(n), from the largest series,
  /// capped at 20.
  public var binCount: Int?
  /// Written centred under the count axis; "count" when nil.
  public var axisLabel: String?

  public init(
    title: String, series: [HistogramSeries], binCount: Int? = nil, axisLabel: String? = nil
  ) {
    self.title = title
    self.series = series
    self.binCount = binCount
    self.axisLabel = axisLabel
  }

  public init(title: String, values: [Double], binCount: Int? = nil, axisLabel: String? = nil) {
    self.init(
      title: title, series: [HistogramSeries("", values: values)], binCount: binCount,
      axisLabel: axisLabel)
  }

  /// The bin edges shared by every series: `bins + 1` numbers, or nil with no finite value.
  public func edges() -> [Double]? {
    let finite = series.flatMap(\.values).filter { $0.isFinite }
    guard let low = finite.min(), let high = finite.max() else { return nil }
    if low == high { return [low, high] }

    let largest = series.map { $0.values.filter(\.isFinite).count }.max() ?? 1
    let sturges = 1 + Int(log2(Double(max(1, largest))).rounded(.up))
    let bins = max(1, binCount ?? min(20, sturges))
    let range = ValueRange(low: low, high: high)
    return (0...bins).map { range.value(atFraction: Double($0) / Double(bins)) }
  }

  /// How many of `values` fall in each bin between `edges`.
  public static func counts(_ values: [Double], edges: [Double]) -> [Int] {
    let bins = edges.count - 1
    var counts = [Int](repeating: 0, count: bins)
    let range = ValueRange(low: edges[0], high: edges[bins])
    for value in values where value.isFinite {
      let position = range.high > range.low ? range.fraction(of: value) * Double(bins) : 0
      // Clamped before the conversion: a value far outside the edges must not overflow Int.
      counts[Int(min(Double(bins - 1), max(0, position.rounded(.down))))] += 1
    }
    return counts
  }

  /// The histogram as lines of text, without a final newline.
  public func render(style: PlotStyle = PlotStyle()) -> String {
    guard let edges = edges() else { return TextLayout.noData(title: title) }

    let bins = edges.count - 1
    let edgeTexts = edges.map(compactNumber)
    let lowWidth = edgeTexts.dropLast().map(\.count).max() ?? 0
    let highWidth = edgeTexts.dropFirst().map(\.count).max() ?? 0
    let dash = style.glyphs.rangeDash
    let labels = (0..<bins).map { bin in
      TextLayout.padLeft(edgeTexts[bin], to: lowWidth) + dash
        + TextLayout.padLeft(edgeTexts[bin + 1], to: highWidth)
    }
    let labelWidth = lowWidth + dash.count + highWidth
    let counts = series.map { Histogram.counts($0.values, edges: edges) }
    let textWidth = counts.joined().map { String($0).count }.max() ?? 1
    let scale = BarScale(
      values: counts.joined().map(Double.init),
      cells: BarScale.cells(width: style.width, prefix: labelWidth + 1, text: textWidth),
      glyphs: style.glyphs)

    var lines: [String] = title.isEmpty ? [] : [title]
    for (item, itemCounts) in zip(series, counts) {
      if series.count > 1 || !item.name.isEmpty { lines.append(item.name) }
      for (label, count) in zip(labels, itemCounts) {
        lines.append(label + " " + scale.row(value: Double(count), text: String(count)))
      }
      if let note = TextLayout.nonFiniteNote(item.values) { lines.append(note) }
    }
    let indent = String(repeating: " ", count: labelWidth + 1)
    lines += scale.axisLines(label: axisLabel ?? "count").map { indent + $0 }
    return TextLayout.joined(lines)
  }
}
