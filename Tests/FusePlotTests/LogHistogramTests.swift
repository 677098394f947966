import FusePlot
import Testing

/// Histograms with logarithmic bins, for update ratios and gradient norms that differ between
/// modalities by orders of magnitude: on equal-width bins a starved branch and a healthy one
/// land in the same first bin.
@Suite("Histograms on a log scale")
struct LogHistogramTests {
  /// Update ratios of a starved branch (about 4e-4) beside a healthy one (about 0.2).
  static let ratios = Histogram(
    title: "Update ratio per epoch",
    series: [
      HistogramSeries("starved", values: [0.0004, 0.00042, 0.00045, 0.0005]),
      HistogramSeries("healthy", values: [0.12, 0.2, 0.25, 0.4]),
    ], binCount: 3, scale: .logarithmic)

  @Test func binsHaveEqualRatiosAndEndAtTheData() throws {
    let edges = try #require(Self.ratios.edges())
    #expect(edges.count == 4)
    #expect(edges.first == 0.0004)
    #expect(edges.last == 0.4)
    for (low, high) in zip(edges, edges.dropFirst()) {
      #expect(abs(high / low - 10) < 1e-9, "each bin spans a factor of ten")
    }
  }

  @Test func theStarvedAndTheHealthySeriesFallInDifferentBins() {
    let edges = Self.ratios.edges()!
    #expect(Histogram.counts([0.0004, 0.0005], edges: edges, scale: .logarithmic) == [2, 0, 0])
    #expect(Histogram.counts([0.12, 0.4], edges: edges, scale: .logarithmic) == [0, 0, 2])
    // The same values on equal-width bins share the first one.
    #expect(
      Histogram.counts([0.0004, 0.0005, 0.12], edges: [0.0004, 0.1336, 0.2668, 0.4]) == [3, 0, 0])
  }

  @Test func golden() throws {
    try Golden.check(Self.ratios.render(), named: "histogram-log-unicode")
    try Golden.check(Self.ratios.render(style: .ascii), named: "histogram-log-ascii")
  }

  @Test func valuesThatAreNotPositiveAreLeftOutAndCounted() {
    let text = Histogram(
      title: "", values: [0, -1, .nan, 1, 10, 100], binCount: 2, scale: .logarithmic
    ).render(style: PlotStyle(width: 30, characters: .ascii))
    #expect(
      text == """
         1 -  10 |######### 1
        10 - 100 |################## 2
        (3 values left out: logarithmic bins take positive, finite values)
                 +------------------
                 0                 2
                        count
        """)
  }

  @Test func nothingPositiveSaysNoData() {
    #expect(
      Histogram(title: "Norms", values: [0, -2], scale: .logarithmic).render()
        == "Norms\n(no data)")
  }
}
