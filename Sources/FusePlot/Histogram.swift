import Foundation
import FuseFormat

/// A named set of values to count into bins.
public struct HistogramSeries: Sendable, Equatable {
  public var name: String
  public var values: [Double]

  public init(_ name: String, values: [Double]) {
    self.name = name
    self.values = values
  }
}

/// How a histogram divides its range into bins.
public enum HistogramScale: Sendable, Equatable {
  /// Bins of equal width.
  case linear
  /// Bins of equal ratio, high / low, the same for every bin: equal widths on a log axis.
  /// Only positive values can be placed; zeros and negatives are left out.
  case logarithmic
}

/// Values counted into bins, one bar per bin with its edges and count.
///
/// Several series (say gradient norms per modality) share the same bin edges and the same
/// count scale, so their shapes compare at a glance. Bins are half-open `[low, high)` except
/// the last, which includes the maximum. When every value is equal there is one bin. Values
/// that are NaN or infinite are left out of the bins and counted in a note under the chart;
/// on a logarithmic scale so are zeros and negative values.
public struct Histogram: Sendable {
  public var title: String
  public var series: [HistogramSeries]
  /// Number of bins; nil chooses Sturges' rule, 1 + log2(n), from the largest series,
  /// capped at 20.
  public var binCount: Int?
  /// Written centred under the count axis; "count" when nil.
  public var axisLabel: String?
  /// Equal-width bins, or equal-ratio bins for values that span orders of magnitude.
  public var scale: HistogramScale

  public init(
    title: String, series: [HistogramSeries], binCount: Int? = nil, axisLabel: String? = nil,
    scale: HistogramScale = .linear
  ) {
    self.title = title
    self.series = series
    self.binCount = binCount
    self.axisLabel = axisLabel
    self.scale = scale
  }

  public init(
    title: String, values: [Double], binCount: Int? = nil, axisLabel: String? = nil,
    scale: HistogramScale = .linear
  ) {
    self.init(
      title: title, series: [HistogramSeries("", values: values)], binCount: binCount,
      axisLabel: axisLabel, scale: scale)
  }

  /// Whether a value can be placed in a bin on this histogram's scale.
  func placeable(_ value: Double) -> Bool {
    value.isFinite && (scale == .linear || value > 0)
  }

  /// The bin edges shared by every series: `bins + 1` numbers, or nil with no value to place.
  public func edges() -> [Double]? {
    let placed = series.flatMap(\.values).filter(placeable)
    guard let low = placed.min(), let high = placed.max() else { return nil }
    if low == high { return [low, high] }

    let largest = series.map { $0.values.filter(placeable).count }.max() ?? 1
    let sturges = 1 + Int(log2(Double(max(1, largest))).rounded(.up))
    let bins = max(1, binCount ?? min(20, sturges))
    let fractions = (0...bins).map { Double($0) / Double(bins) }
    switch scale {
    case .linear:
      let range = ValueRange(low: low, high: high)
      return fractions.map { range.value(atFraction: $0) }
    case .logarithmic:
      let range = ValueRange(low: log10(low), high: log10(high))
      // The end edges are the data's own, not 10^log10 of them, which can differ in the
      // last bit and leave the maximum outside the last bin.
      return fractions.map { $0 == 0 ? low : $0 == 1 ? high : pow(10, range.value(atFraction: $0)) }
    }
  }

  /// How many of `values` fall in each bin between `edges`, on the given scale.
  public static func counts(
    _ values: [Double], edges: [Double], scale: HistogramScale = .linear
  ) -> [Int] {
    let bins = edges.count - 1
    var counts = [Int](repeating: 0, count: bins)
    let position: (Double) -> Double
    switch scale {
    case .linear:
      let range = ValueRange(low: edges[0], high: edges[bins])
      position = { range.high > range.low ? range.fraction(of: $0) * Double(bins) : 0 }
    case .logarithmic:
      let range = ValueRange(low: log10(edges[0]), high: log10(edges[bins]))
      position = { range.high > range.low ? range.fraction(of: log10($0)) * Double(bins) : 0 }
    }
    for value in values where value.isFinite && (scale == .linear || value > 0) {
      // Clamped before the conversion: a value far outside the edges must not overflow Int.
      counts[Int(min(Double(bins - 1), max(0, position(value).rounded(.down))))] += 1
    }
    return counts
  }

  /// The note under a series whose values could not all be placed, or nil.
  func leftOutNote(_ values: [Double]) -> String? {
    guard scale == .logarithmic else { return TextLayout.nonFiniteNote(values) }
    let count = values.filter { !placeable($0) }.count
    guard count > 0 else { return nil }
    return "(\(counted(count, "value")) left out: logarithmic bins take positive, finite values)"
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
    let counts = series.map { Histogram.counts($0.values, edges: edges, scale: self.scale) }
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
      if let note = leftOutNote(item.values) { lines.append(note) }
    }
    let indent = String(repeating: " ", count: labelWidth + 1)
    lines += scale.axisLines(label: axisLabel ?? "count").map { indent + $0 }
    return TextLayout.joined(lines)
  }
}
