import FusePlot
import Testing

@Suite("Golden plots")
struct GoldenTests {
  static let styles: [(String, PlotStyle)] = [
    ("unicode", PlotStyle()), ("ascii", PlotStyle(characters: .ascii)),
  ]

  @Test(arguments: styles.map(\.0))
  func barChart(styleName: String) throws {
    let style = try #require(Self.styles.first { $0.0 == styleName }?.1)
    try Golden.check(Samples.accuracy.render(style: style), named: "bar-\(styleName)")
  }

  @Test(arguments: styles.map(\.0))
  func groupedBarChart(styleName: String) throws {
    let style = try #require(Self.styles.first { $0.0 == styleName }?.1)
    try Golden.check(Samples.sweep.render(style: style), named: "grouped-\(styleName)")
  }

  @Test(arguments: styles.map(\.0))
  func histogram(styleName: String) throws {
    let style = try #require(Self.styles.first { $0.0 == styleName }?.1)
    try Golden.check(Samples.gradientNorms.render(style: style), named: "histogram-\(styleName)")
  }

  @Test(arguments: styles.map(\.0))
  func linePlot(styleName: String) throws {
    let style = try #require(Self.styles.first { $0.0 == styleName }?.1)
    try Golden.check(Samples.loss.render(style: style), named: "line-\(styleName)")
  }

  @Test func negativeBars() throws {
    let chart = BarChart(
      title: "Change in accuracy after fusion",
      labels: ["audio", "accel", "text"], values: [0.12, -0.05, 0.031])
    try Golden.check(chart.render(), named: "bar-negative-unicode")
    try Golden.check(chart.render(style: .ascii), named: "bar-negative-ascii")
  }

  @Test func narrowLinePlot() throws {
    let plot = LinePlot(
      title: "Fused loss", series: [Samples.loss.series[2]], xLabel: "epoch", height: 6)
    try Golden.check(plot.render(style: PlotStyle(width: 40)), named: "line-narrow-unicode")
  }

  @Test func singleHistogramWithDefaultBins() throws {
    // 40 update-to-weight ratios, skewed right as they are after fusion.
    let ratios = (0..<40).map { index -> Double in
      let position = Double(index) / 39
      return 1e-4 + 2e-3 * position * position * position
    }
    let histogram = Histogram(title: "Update ratio, audio branch", values: ratios)
    try Golden.check(histogram.render(), named: "histogram-single-unicode")
    try Golden.check(histogram.render(style: .ascii), named: "histogram-single-ascii")
  }
}
