import FusePlot
import Testing

@Suite("Plots on awkward input")
struct EdgeCaseTests {
  @Test func emptyInputSaysNoData() {
    #expect(BarChart(title: "Scores", bars: []).render() == "Scores\n(no data)")
    #expect(BarChart(title: "", bars: []).render() == "(no data)")
    #expect(
      GroupedBarChart(title: "Sweep", groups: [BarGroup("audio", bars: [])]).render()
        == "Sweep\n(no data)")
    #expect(Histogram(title: "Norms", values: []).render() == "Norms\n(no data)")
    #expect(Histogram(title: "Norms", values: [.nan]).render() == "Norms\n(no data)")
    #expect(
      LinePlot(title: "Loss", series: [LineSeries("fused", values: [])]).render()
        == "Loss\n(no data)")
  }

  @Test func barChartWithOneValue() {
    let text = BarChart(title: "Score", labels: ["fused"], values: [0.5])
      .render(style: PlotStyle(width: 30, characters: .ascii))
    #expect(
      text == """
        Score
        fused |################### 0.5
              +-------------------
              0                0.5
        """)
  }

  @Test func barChartShowsNonFiniteValuesAsText() {
    let text = BarChart(title: "Loss", labels: ["a", "b", "c"], values: [1, .nan, -.infinity])
      .render(style: PlotStyle(width: 24, characters: .ascii))
    #expect(
      text == """
        Loss
        a |################ 1
        b | nan
        c | -inf
          +----------------
          0               1
        (2 non-finite values drawn without a bar)
        """)
  }

  @Test func barChartOfZerosDrawsNoBars() {
    let text = BarChart(title: "Zeros", labels: ["a", "b"], values: [0, 0], axisLabel: "x")
      .render(style: PlotStyle(width: 24, characters: .ascii))
    #expect(text == "Zeros\na | 0\nb | 0\n  x")
  }

  @Test func unicodeBarsUseEighths() {
    let text = BarChart(title: "", labels: ["a", "b"], values: [1, 0.55])
      .render(style: PlotStyle(width: 16))
    #expect(
      text == """
        a │██████████ 1
        b │█████▌ 0.55
          └──────────
          0         1
        """)
  }

  @Test func groupedBestBarCanBeTheLowest() {
    let chart = GroupedBarChart(
      title: "Dev loss",
      groups: [BarGroup("audio", bars: [Bar("1e-3", 0.9), Bar("1e-2", 0.4), Bar("1e-1", .nan)])],
      higherIsBetter: false)
    let text = chart.render(style: PlotStyle(width: 40, characters: .ascii))
    #expect(
      text == """
        Dev loss
        audio
          1e-3 |#################### 0.9
          1e-2 |######### 0.4 <- best
          1e-1 | nan
               +--------------------
               0                 0.9
        (1 non-finite value drawn without a bar)
        """)
  }

  @Test func histogramOfEqualValuesHasOneBin() {
    let text = Histogram(title: "Norms", values: [2, 2, 2, .nan])
      .render(style: PlotStyle(width: 30, characters: .ascii))
    #expect(
      text == """
        Norms
        2 - 2 |##################### 3
        (1 non-finite value left out)
              +---------------------
              0                    3
                      count
        """)
  }

  @Test func histogramBinsIncludeTheMaximum() {
    let histogram = Histogram(title: "", values: [0, 1, 2, 3, 4], binCount: 2)
    #expect(histogram.edges() == [0, 2, 4])
    #expect(Histogram.counts([0, 1, 2, 3, 4], edges: [0, 2, 4]) == [2, 3])
  }

  @Test func linePlotWithOneValue() {
    let text = LinePlot(title: "Loss", series: [LineSeries("fused", values: [0.5])], height: 3)
      .render(style: PlotStyle(width: 20, characters: .ascii))
    #expect(
      text == """
        Loss
            |
        0.5 +*
            |
            +---------------
             1
            * fused
        """)
  }

  @Test func linePlotOfEqualValuesSitsOnTheMiddleRow() {
    let text = LinePlot(title: "", series: [LineSeries("a", values: [1, 1, 1])], height: 3)
      .render(style: PlotStyle(width: 16, characters: .ascii))
    #expect(
      text == """
          |
        1 +*************
          |
          +-------------
           1           3
          * a
        """)
  }

  /// plot([1, inf, 3, -inf]) drew only the first point: the 3 between two gaps had no
  /// finite neighbour to interpolate towards, so no column showed it, and nothing said so.
  @Test func linePlotKeepsAFinitePointBetweenGaps() {
    let text = LinePlot(
      title: "", series: [LineSeries("a", values: [1, .infinity, 3, -.infinity])], height: 3
    ).render(style: PlotStyle(width: 15, characters: .ascii))
    #expect(
      text == """
        3 +       *
        2 +
        1 +*
          +------------
           1          4
          * a
          (2 non-finite values left out)
        """)
  }

  @Test func linePlotLeavesGapsAtNaN() {
    let text = LinePlot(title: "", series: [LineSeries("a", values: [0, .nan, 2])], height: 3)
      .render(style: PlotStyle(width: 14, characters: .ascii))
    #expect(
      text == """
        2 +          *
        1 +
        0 +*
          +-----------
           1         3
          * a
          (1 non-finite value left out)
        """)
  }

  /// Values towards both ends of the Double range make `high - low` overflow; every plot
  /// must still draw them (these used to trap converting an infinite position to Int).
  @Test func valuesSpanningTheWholeDoubleRangeStillDraw() {
    let huge = Double.greatestFiniteMagnitude
    let style = PlotStyle(width: 30, characters: .ascii)
    let line = LinePlot(title: "", series: [LineSeries("a", values: [huge, -huge, 0])], height: 3)
      .render(style: style)
    #expect(line.split(separator: "\n")[0] == " 1.8e308 +***")
    #expect(line.split(separator: "\n")[2].hasPrefix("-1.8e308 +"))

    let histogram = Histogram(title: "", values: [1e308, -1e308], binCount: 2)
    #expect(histogram.edges() == [-1e308, 0, 1e308])
    #expect(Histogram.counts([1e308, -1e308, 0], edges: [-1e308, 0, 1e308]) == [1, 2])
    #expect(Histogram.counts([1e308, -1e308], edges: [0, 1e-300, 2e-300]) == [1, 1])

    let bars = BarChart(title: "", labels: ["a", "b"], values: [huge, -huge]).render(style: style)
    #expect(bars.split(separator: "\n")[0] == "a          |######### 1.8e308")
    #expect(bars.split(separator: "\n")[1] == "b #########| -1.8e308")
    #expect(sparkline([huge, -huge, 0], style: .ascii) == "#_=")
  }

  @Test(arguments: [20, 40, 80, 120])
  func linesFitTheWidth(width: Int) {
    for style in [PlotStyle(width: width), PlotStyle(width: width, characters: .ascii)] {
      let outputs = [
        Samples.accuracy.render(style: style), Samples.sweep.render(style: style),
        Samples.gradientNorms.render(style: style), Samples.loss.render(style: style),
      ]
      let widest = outputs.flatMap { $0.split(separator: "\n") }.map(\.count).max() ?? 0
      // Below the minimum bar area plots overflow rather than drop the numbers.
      if width >= 80 { #expect(widest <= width) }
      #expect(widest >= 10)
    }
  }
}

@Suite("sparkline")
struct SparklineTests {
  @Test func drawsOneCharacterPerValue() {
    #expect(sparkline([1.9, 1.2, 0.8, 0.6, 0.5]) == "█▅▃▁▁")
    #expect(sparkline([0, 1, 2, 3, 4, 5], style: .ascii) == "_.-=*#")
  }

  @Test func handlesFlatNonFiniteAndEmptyInput() {
    #expect(sparkline([2, 2, 2]) == "▅▅▅")
    #expect(sparkline([0, .nan, 1]) == "▁ █")
    #expect(sparkline([]) == "")
    #expect(sparkline([.nan]) == " ")
  }

  @Test func keepsTheMostRecentValues() {
    #expect(sparkline([9, 0, 1, 2], maxWidth: 3) == "▁▅█")
  }
}
