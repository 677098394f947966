import Testing

@testable import FuseLanguage

/// plot() and hist() without a title: one named for the argument as written, or for what
/// it holds; a single series has no legend.
@Suite struct PlotTitleTests {
  @Test func aPlotIsTitledByItsArgument() throws {
    let run = engineRun("h = {loss: [3, 2, 1]}\nplot(h.loss, height: 3)")
    let lines = run.output.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first == "h.loss")
    #expect(!run.output.contains("series"))
    #expect(lines.dropLast().last?.hasSuffix("epoch") == true, "\(run.output)")
  }

  @Test(arguments: [
    ("plot([1, 2, 3], height: 3)", "line plot of 3 values"),
    ("plot({a: [1, 2], b: [2, 1]}, height: 3)", "line plot of a, b"),
    ("hist([1, 2, 3])", "histogram of 3 values"),
    ("xs = [1, 2]\nhist(xs)", "xs"),
    ("hist([1, 2], title: \"spread\")", "spread"),
  ])
  func aPlotWithoutATitleGetsOne(source: String, title: String) {
    let run = engineRun(source)
    #expect(run.output.split(separator: "\n").first.map(String.init) == title)
  }
}
