/// A one-line curve, one character per value, for progress lines and compact summaries.
///
///     sparkline([1.9, 1.2, 0.8, 0.6, 0.5])   // "█▅▃▁▁"
///
/// Unicode draws with the eight block heights `▁▂▃▄▅▆▇█`; ASCII with `_.-=*#` from low to
/// high. Non-finite values show as a space. When every value is equal, all sit at mid height.
/// With more values than `maxWidth`, the most recent ones are kept.
public func sparkline(
  _ values: [Double], style: PlotStyle = PlotStyle(), maxWidth: Int? = nil
) -> String {
  let levels: [Character] =
    style.characters == .unicode
    ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["_", ".", "-", "=", "*", "#"]
  let shown = values.suffix(max(1, maxWidth ?? values.count))
  let finite = shown.filter(\.isFinite)
  guard let low = finite.min(), let high = finite.max() else {
    return String(repeating: " ", count: shown.count)
  }

  let top = Double(levels.count - 1)
  let range = ValueRange(low: low, high: high)
  return String(
    shown.map { value -> Character in
      guard value.isFinite else { return " " }
      guard high > low else { return levels[levels.count / 2] }
      return levels[Int((range.fraction(of: value) * top).rounded())]
    })
}
