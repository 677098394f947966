import Testing

@testable import FuseLanguage

/// Rate strategies made in the language: checked as they are built, with the error at the
/// argument, and described with the language's number format.
@Suite struct StrategyArgumentTests {
  /// smooth(2) swapped the rates and smooth(-1) extrapolated; global(-1) and auto(cap: 0)
  /// were accepted and only failed when a model used them.
  @Test(arguments: [
    ("x = smooth(1️⃣2)", "invalid value 2 for 'alpha': alpha must be in [0, 1]"),
    ("x = smooth(1️⃣-1)", "invalid value -1 for 'alpha': alpha must be in [0, 1]"),
    ("x = smooth(1️⃣alpha: 1.5)", "invalid value 1.5 for 'alpha': alpha must be in [0, 1]"),
    ("x = global(1️⃣-1)", "invalid value -1 for 'rate': a learning rate must be positive"),
    ("x = global(1️⃣0)", "invalid value 0 for 'rate': a learning rate must be positive"),
    ("x = auto(1️⃣cap: 0)", "invalid value 0 for 'cap': the cap must be a finite factor above 1"),
    ("x = auto(1️⃣cap: 1)", "invalid value 1 for 'cap': the cap must be a finite factor above 1"),
    ("x = auto(1️⃣window: 0)", "invalid value 0 for 'window': auto's window must be at least 1"),
    ("x = auto(3, 1️⃣0)", "invalid value 0 for 'every': auto's every must be at least 1"),
  ])
  func outOfRangeStrategiesAreRefusedAtTheArgument(marked: String, message: String) {
    let source = MarkedSource(marked)
    expectEngineError(source, message, prefix: true)
  }

  @Test func strategiesAtTheEdgesOfTheirRangesAreAccepted() {
    let run = engineRun("print(smooth(0), smooth(1), auto(window: 1, every: 1, cap: 1.5))")
    #expect(run.diagnostic == nil)
    #expect(
      run.output == "smooth(alpha: 0) smooth(alpha: 1) auto(window: 1, every: 1, cap: 1.5)\n")
  }

  /// Strategies printed Swift's Float text: global(1000.0), smooth(alpha: 0.0).
  @Test func strategiesPrintNumbersAsTheLanguageDoes() {
    let run = engineRun("print(global(1000), global(1e-4), smooth(0.25), global(0.3))")
    #expect(run.output == "global(1000) global(0.0001) smooth(alpha: 0.25) global(0.3)\n")
  }
}
