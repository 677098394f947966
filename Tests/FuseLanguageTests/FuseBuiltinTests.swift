import Foundation
import Testing

@testable import FuseLanguage

/// fuse() from the tuned branches or from fresh weights, and rates given as a record by
/// modality wherever a strategy is taken (fuse, rates, train), on the toy data set of
/// `ModelBuiltinTests` (modalities "wide" and "thin").
@Suite("fuse() and rates by modality")
struct FuseBuiltinTests {
  /// A session with the engine builtins whose output and progress lines are kept.
  final class Session {
    var printed = ""
    var progress: [String] = []
    let interpreter: Interpreter

    init() {
      var session: Session?
      interpreter = Interpreter { session?.printed += $0 }
      interpreter.registerEngineBuiltins(
        host: EngineHost(threads: 1) { update in
          if case .line(let text) = update { session?.progress.append(text) }
        })
      session = self
    }

    /// Runs `source` after loading the toy data set as `data`.
    func run(_ source: String) throws -> String {
      try interpreter.run(
        source: "data = load(\"\(ModelBuiltinTests.dataPath)\")\n" + source, file: "test.fuse")
      return printed
    }
  }

  static let swept = """
    m = model(data, hidden: [4], seed: 3)
    best = sweep(m, rates: [0.01, 0.1], epochs: 2, seed: 1)

    """

  /// The weights are not visible in the language, but their dev loss is: a fresh copy
  /// scores exactly as a model newly built with the same seed and shapes, and the
  /// tuned copy, the default, does not.
  @Test func aFreshCopyStartsFromTheWeightsTheModelWasBuiltWith() throws {
    let text = try Session().run(
      Self.swept + """
        fresh = fuse(m, rates: "keep", from: "fresh")
        tuned = fuse(m, rates: "keep")
        named = fuse(m, rates: "keep", from: "Tuned")
        built = model(data, hidden: [4], seed: 3)
        print(evaluate(fresh, "dev").loss == evaluate(built, "dev").loss)
        print(evaluate(tuned, "dev").loss == evaluate(built, "dev").loss)
        print(evaluate(named, "dev").loss == evaluate(tuned, "dev").loss)
        print(fresh.best_rates == best.rates, fresh.rates == best.rates, fresh.strategy)
        """)
    #expect(text == "true\nfalse\ntrue\ntrue true keep\n")
  }

  /// Training the fresh copy leaves the source's tuned branches alone, and smooth and auto
  /// find the sweep's rates in it.
  @Test func aFreshCopyIsItsOwnModel() throws {
    let text = try Session().run(
      Self.swept + """
        before = evaluate(m, "dev").loss
        fresh = fuse(m, rates: smooth(0.5), from: "fresh")
        h = train(fresh, epochs: 1)
        print(evaluate(m, "dev").loss == before, len(h.loss))
        print(fuse(m, rates: "auto", from: "fresh").rates == best.rates)
        """)
    #expect(text == "true 1\ntrue\n")
  }

  @Test func aRecordOfRatesIsAStrategy() throws {
    let session = Session()
    let text = try session.run(
      Self.swept + """
        k = fuse(m, rates: {thin: 0.03, wide: 0.1}, from: "fresh")
        print(k.strategy)
        print(k.rates)
        show(k)
        report(k, "dev")
        h = train(k, epochs: 1)
        print(h.rates)
        print(rates(m, best.rates) == best.rates, m.strategy)
        """)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "{wide: 0.1, thin: 0.03}")
    #expect(lines[1] == "{wide: 0.1, thin: 0.03}")
    // The record already says the rates, so show() and report() do not repeat them.
    #expect(text.contains("\n  rates: {wide: 0.1, thin: 0.03}\n"), "\(text)")
    #expect(
      text.contains(
        "dev split, 8 samples; rates {wide: 0.1, thin: 0.03}; evaluated with 1 thread\n"),
      "\(text)")
    #expect(text.contains("{wide: [0.1], thin: [0.03]}\n"), "\(text)")
    #expect(text.hasSuffix("true {wide: 0.01, thin: 0.01}\n"), "\(text)")

    // One parameter group per modality, each at its own rate from the first epoch.
    #expect(
      session.progress.contains("train: 1 epoch, batch 64, 1 thread, rates {wide: 0.1, thin: 0.03}")
    )
    #expect(session.progress.contains { $0.hasPrefix("train: group wide  rate 0.1  sgd(") })
    #expect(session.progress.contains { $0.hasPrefix("train: group thin  rate 0.03  sgd(") })
    #expect(
      session.progress.contains {
        $0.hasPrefix("train: epoch 1/1 ") && $0.contains("branches: wide ")
          && $0.contains(" @ 0.1, thin ") && $0.hasSuffix(" @ 0.03")
      })
  }

  /// When a rule moves the rates away from the given ones, show() says both.
  @Test func aRuleThatMovesGivenRatesIsShown() throws {
    let text = try Session().run(
      """
      m = model(data, hidden: [4], seed: 3)
      h = train(m, epochs: 1, rates: {wide: 0.1, thin: 0.03}, rule: fn(s) { return 0.02 })
      show(m)
      """)
    #expect(text.contains("\n  rates: {wide: 0.1, thin: 0.03}  wide 0.02, thin 0.02\n"), "\(text)")
  }

  static let setup = "data = load(\"\(ModelBuiltinTests.dataPath)\")\nm = model(data)\n"

  @Test(arguments: [
    (
      "fuse(m, 1️⃣rates: {wdie: 0.1, thin: 0.03})",
      "rates names 'wdie', which is not a modality of the model (wide, thin); "
        + "did you mean 'wide'?"
    ),
    (
      "fuse(m, 1️⃣rates: {wide: 0.1, thin: 0.1, video: 0.1})",
      "rates names 'video', which is not a modality of the model (wide, thin)"
    ),
    (
      "fuse(m, 1️⃣rates: {wide: 0.1})",
      "rates has no rate for thin; give one for each modality (wide, thin)"
    ),
    (
      "rates(m, 1️⃣{})",
      "rates has no rate for wide, thin; give one for each modality (wide, thin)"
    ),
    (
      "train(m, epochs: 1, 1️⃣rates: {wide: 0.1, thin: 0})",
      "invalid value 0 for 'rates.thin': a learning rate must be positive and finite"
    ),
    (
      "fuse(m, 1️⃣rates: {wide: -1, thin: 0.1})",
      "invalid value -1 for 'rates.wide': a learning rate must be positive and finite"
    ),
    (
      "fuse(m, 1️⃣rates: {wide: \"fast\", thin: 0.1})",
      "rates.wide must be a positive learning rate, got the string \"fast\""
    ),
    (
      "fuse(m, 1️⃣rates: m.best_rates)",
      "rates.wide must be a positive learning rate, got none "
        + "(best rates are none until a sweep sets them)"
    ),
    (
      "fuse(m, 1️⃣rates: {wide: 1e39, thin: 0.1})",
      "argument 'rates.wide' to fuse is 1e39, beyond the range of 32-bit floats"
    ),
    (
      "fuse(m, 1️⃣rates: [0.1, 0.03])",
      "argument 'rates' to fuse takes one rate per modality as a record by name, "
        + "such as {wide: 0.01, thin: 0.01}, not a list"
    ),
    ("fuse(m, 1️⃣rates: \"kep\")", "unknown rate strategy \"kep\"; use \"keep\""),
    (
      "fuse(m, rates: \"keep\", 1️⃣from: \"frsh\")",
      "unknown value \"frsh\" for 'from'; use \"tuned\" (the current branches) or \"fresh\" "
        + "(the weights the model was built with); did you mean 'fresh'?"
    ),
    ("fuse(m, rates: 0.1, 1️⃣from: 1)", "argument 'from' to fuse must be \"tuned\""),
  ])
  func badRatesAndOriginsAreNamedAtTheArgument(marked: String, message: String) {
    let source = MarkedSource(Self.setup + marked)
    expectEngineError(source, message, prefix: true)
  }

  @Test func aMistypedStrategyWordGetsASuggestion() {
    let found = engineRun(Self.setup + "fuse(m, rates: \"smoth\")").diagnostic
    #expect(found?.message.hasSuffix("did you mean 'smooth'?") == true, "\(found?.message ?? "")")
  }

  /// A train() call refused for its rates leaves the model's strategy as it was.
  @Test func refusedRatesChangeNothing() throws {
    let session = Session()
    _ = try session.run("m = model(data, hidden: [4])\nrates(m, {wide: 0.1, thin: 0.03})\n")
    #expect(throws: Diagnostic.self) {
      try session.interpreter.run(source: "train(m, rates: {wide: 0.1})", file: "t.fuse")
    }
    try session.interpreter.run(source: "print(m.strategy, m.rates)", file: "t.fuse")
    #expect(session.printed == "{wide: 0.1, thin: 0.03} {wide: 0.1, thin: 0.03}\n")
  }
}
