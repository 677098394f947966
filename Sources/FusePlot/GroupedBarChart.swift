/// A named group of bars, such as one modality's scores across learning rates.
public struct BarGroup: Sendable, Equatable {
  public var name: String
  public var bars: [Bar]

  /// The bar to mark as best, when the caller chose it by a rule of its own (a sweep breaks
  /// ties in accuracy by F1); nil marks the largest value.
  public var chosen: Int?

  public init(_ name: String, bars: [Bar], chosen: Int? = nil) {
    self.name = name
    self.bars = bars
    self.chosen = chosen
  }
}

/// Bars in groups on one shared scale, with the best bar of each group marked.
///
/// This is how a learning-rate sweep reads: one group per modality, one bar per rate.
///
///     Dev accuracy by learning rate
///     audio
///       1e-3 │██████████████████████▌ 0.412
///       1e-2 │████████████████████████████████████████ 0.785 ← best
///
/// The best bar is the largest finite value (the smallest when `higherIsBetter` is false);
/// ties go to the first. A group whose values are all non-finite has no best bar.
public struct GroupedBarChart: Sendable {
  public var title: String
  public var groups: [BarGroup]
  public var axisLabel: String?
  public var higherIsBetter: Bool

  public init(
    title: String, groups: [BarGroup], axisLabel: String? = nil, higherIsBetter: Bool = true
  ) {
    self.title = title
    self.groups = groups
    self.axisLabel = axisLabel
    self.higherIsBetter = higherIsBetter
  }

  /// The chart as lines of text, without a final newline.
  public func render(style: PlotStyle = PlotStyle()) -> String {
    let allBars = groups.flatMap(\.bars)
    guard !allBars.isEmpty else { return TextLayout.noData(title: title) }

    let glyphs = style.glyphs
    let indent = 2
    let labelWidth = allBars.map(\.label.count).max() ?? 0
    let texts = groups.map { group in
      let best = bestIndex(of: group)
      return group.bars.indices.map { index in
        compactNumber(group.bars[index].value) + (index == best ? " " + glyphs.bestMark : "")
      }
    }
    let textWidth = texts.joined().map(\.count).max() ?? 0
    let scale = BarScale(
      values: allBars.map(\.value),
      cells: BarScale.cells(
        width: style.width, prefix: indent + labelWidth + 1, text: textWidth),
      glyphs: glyphs)

    var lines: [String] = title.isEmpty ? [] : [title]
    let padding = String(repeating: " ", count: indent)
    for (group, groupTexts) in zip(groups, texts) {
      lines.append(group.name)
      for (bar, text) in zip(group.bars, groupTexts) {
        lines.append(
          padding + TextLayout.padRight(bar.label, to: labelWidth) + " "
            + scale.row(value: bar.value, text: text))
      }
    }
    let axisIndent = String(repeating: " ", count: indent + labelWidth + 1)
    lines += scale.axisLines(label: axisLabel).map { axisIndent + $0 }
    if let note = TextLayout.nonFiniteNote(allBars.map(\.value), outcome: "drawn without a bar") {
      lines.append(note)
    }
    return TextLayout.joined(lines)
  }

  private func bestIndex(of group: BarGroup) -> Int? {
    if let chosen = group.chosen, group.bars.indices.contains(chosen) { return chosen }
    var best: Int?
    for (index, bar) in group.bars.enumerated() where bar.value.isFinite {
      guard let current = best else {
        best = index
        continue
      }
      let better =
        higherIsBetter
        ? bar.value > group.bars[current].value : bar.value < group.bars[current].value
      if better { best = index }
    }
    return best
  }
}
