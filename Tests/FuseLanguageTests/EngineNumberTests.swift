import Testing

@testable import FuseLanguage

/// Rates and other 32-bit engine numbers reach the language as the decimals people typed:
/// a rate given as 0.1 compares equal to 0.1, not to 0.10000000149011612.
@Suite("Engine numbers in the language")
struct EngineNumberTests {
  @Test func ratesReadBackAsTheirDecimals() throws {
    let printed = try ModelBuiltinTests.run(
      """
      m = model(data, seed: 1)
      best = sweep(m, rates: [0.1], epochs: 1)
      print(best.rates.wide == 0.1, best.grid[0] == 0.1, m.best_rates.thin == 0.1)
      rates(m, global(0.3))
      print(m.rates.wide == 0.3, m.rates)
      h = train(m, epochs: 1)
      print(h.rates.thin[0] == 0.3)
      print(model(data, dropout: 0.3).branches.wide.dropout == 0.3)
      """)
    #expect(printed == "true true true\ntrue {wide: 0.3, thin: 0.3}\ntrue\ntrue\n")
  }

  /// `branch_acc` is of the dev split, like `dev_acc`; `branch_f1` is its macro F1 beside it,
  /// the export's `<m>_dev_f1` column, not the train scores.
  @Test func branchScoresAreTheBranchesDevScores() throws {
    let printed = try ModelBuiltinTests.run(
      """
      m = model(data, seed: 1)
      h = train(m, epochs: 2)
      print(len(h.branch_f1.wide), h.branch_f1.wide[1] == h.last.branch_f1.wide)
      print(h.branch_f1.thin[1] == h.last.branch_f1.thin)
      print(h.branch_acc.thin[1] == h.last.branch_acc.thin)
      """)
    #expect(printed == "2 true\ntrue\ntrue\n")
  }
}
