import Testing

@testable import FuseLanguage

/// train() calls that could only fail, or do nothing, once training had begun are refused
/// before the first epoch.
@Suite struct TrainRefusalTests {
  /// Freezing every modality ran the epochs and changed no weight.
  @Test func freezingEveryModalityIsRefused() {
    let source = MarkedSource(
      ArgumentPlaceTests.setup + "train(m, epochs: 1, 1️⃣freeze: [\"wide\", \"thin\"])")
    let found = engineRun(source.text).diagnostic
    #expect(
      found?.message
        == "every modality is frozen (wide, thin), so train would change nothing; leave one "
        + "unfrozen, or learn the fusion weights with fusion: \"learn\"")
    #expect(found?.location.line == source.line)
    #expect(found?.location.column == source.column)

    let learning = engineRun(
      ArgumentPlaceTests.setup
        + "h = train(m, epochs: 1, freeze: [\"wide\", \"thin\"], fusion: \"learn\")")
    #expect(learning.diagnostic == nil)
  }

  /// A rule's number beyond 32-bit floats reached the engine as inf, and the message said
  /// "invalid value inf for 'rate rule'" instead of the number the rule returned.
  @Test(arguments: [
    (
      "fn(s) { return 1e300 }",
      "the rate rule returned 1e300, beyond the range of 32-bit floats (about ±3.4e38), which "
        + "rates are kept in; return a learning rate such as 0.01"
    ),
    (
      "fn(s) { return {wide: 0.1, thin: -1e40} }",
      "the rate rule returned -1e40 for 'thin', beyond the range of 32-bit floats (about "
        + "±3.4e38), which rates are kept in; return a learning rate such as 0.01"
    ),
    (
      "fn(s) { return [1e-50, 0.1] }",
      "the rate rule returned 1e-50 for 'wide', too small for a 32-bit float (the smallest is "
        + "about 1.4e-45), which rates are kept in; return a learning rate such as 0.01"
    ),
  ])
  func aRulesNumberBeyondFloatsIsNamedAsReturned(rule: String, message: String) {
    let source = MarkedSource(ArgumentPlaceTests.setup + "h = 1️⃣train(m, epochs: 2, rule: \(rule))")
    expectEngineError(source, message)
  }

  /// A rule of the wrong shape trained a whole epoch, then failed with "function needs
  /// argument 't'".
  @Test(arguments: [
    ("fn(s, t) { return none }", "this one needs 2 arguments"),
    ("fn() { return none }", "this one takes no arguments"),
  ])
  func aRuleThatCannotTakeTheStatisticsIsRefusedFirst(rule: String, takes: String) throws {
    let interpreter = Interpreter { _ in }
    interpreter.registerEngineBuiltins(host: EngineHost(threads: 1))
    try interpreter.run(source: ArgumentPlaceTests.setup, file: "test.fuse")
    let source = MarkedSource("h = train(m, epochs: 1, 1️⃣rule: \(rule))")
    let found = #expect(throws: Diagnostic.self) {
      try interpreter.run(source: source.text, file: "test.fuse")
    }
    #expect(
      found?.message
        == "rule must be a function of one argument, the epoch's statistics, such as "
        + "fn(s) { ... }; \(takes)")
    #expect(found?.location.column == source.column)

    let untrained = #expect(throws: Diagnostic.self) {
      try interpreter.run(source: "write_history(m, \"h.csv\")", file: "test.fuse")
    }
    #expect(untrained?.message == "this model has not been trained yet; it has no history")
    #expect(
      try interpreter.evaluate(
        source: "train(m, epochs: 1, rule: fn(s, t: 2) { return none })", file: "test.fuse")?
        .typeName == "history")
  }
}
