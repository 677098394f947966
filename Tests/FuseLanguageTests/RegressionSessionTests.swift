import Foundation
import Testing

@testable import FuseLanguage

/// A regression data set in the language: load(task:), show, model, train, evaluate,
/// report, histories, sweeps and the arguments a regression model refuses.
@Suite("Regression in the language")
struct RegressionSessionTests {
  /// Modalities "a" (3 features) and "b" (2), 100 rows, target = a_1 - 0.5 a_2 + 0.8 b_1
  /// plus a small deterministic wobble, written once for the suite.
  static let dataPath: String = {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-regression-session-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var lines = ["a_1,a_2,a_3,b_1,b_2,target"]
    for row in 0..<100 {
      let a = [sin(Double(row) * 1.3), cos(Double(row) * 0.7), sin(Double(row) * 0.31)]
      let b = [cos(Double(row) * 2.1), sin(Double(row) * 0.9)]
      let target = a[0] - 0.5 * a[1] + 0.8 * b[0] + 0.05 * sin(Double(row) * 5.7)
      lines.append(
        (a + b + [target]).map { String(format: "%.5f", $0) }.joined(separator: ","))
    }
    let file = folder.appendingPathComponent("scores.csv")
    try! (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }()

  static let setup = """
    data = load("\(dataPath)", task: "regression")
    m = model(data, hidden: 8, dropout: 0, seed: 1)

    """

  /// What `source` prints after the setup, or the message of the error it raises.
  static func run(_ source: String) -> (output: String, error: String?) {
    let (output, diagnostic) = engineRun(setup + source)
    return (output, diagnostic?.message)
  }

  @Test func showSaysTheTaskAndTheTargetsRange() {
    let (text, error) = Self.run("show(data)\nprint(data.task, data.classes, len(data.target))")
    #expect(error == nil)
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0] == "dataset scores: 100 samples from \(Self.dataPath)")
    #expect(
      lines[4]
        == "  task: regression; target from -1.9092 to 2.07521, mean 0.0152832, standard"
        + " deviation 0.947189 (all splits)")
    #expect(lines[5] == "  splits: train 60, dev 20, test 20")
    #expect(lines[6].hasPrefix("  split rule: stratified by target: with the samples ranked"))
    #expect(lines[7] == "regression [] 4")
  }

  @Test func theModelEndsEachBranchInOneOutput() {
    let (text, _) = Self.run("show(m)\nprint(m.task)")
    #expect(
      text == """
        model: additive late fusion of 2 branches, regression (one output per branch), 74 parameters
          a  3 -> 8 -> 1  (dropout 0, standardised)
          b  2 -> 8 -> 1  (dropout 0, standardised)
          rates: global(0.01)  a 0.01, b 0.01
        regression

        """)
  }

  @Test func trainingReportsRegressionScores() {
    let (text, error) = Self.run(
      """
      h = train(m, epochs: 12, batch: 16, rates: 0.05, loss: "mae", seed: 2)
      print(len(h.dev_mae), len(h.corr), h.last.dev_mae == h.dev_mae[-1], h.task, h.threads)
      print(keys(h.branch_mae), h.last.branch_corr.b == h.branch_corr.b[-1])
      e = evaluate(m, "dev")
      print(e.mae == h.dev_mae[-1], e.loss == e.mse, e.threads, keys(e.branches.a))
      report(m, "dev")
      print(h.csv)
      """)
    #expect(error == nil, "\(error ?? "")")
    let lines = text.split(separator: "\n").map(String.init)
    #expect(lines[0] == "12 12 true regression 1")
    #expect(lines[1] == "[\"a\", \"b\"] true")
    #expect(lines[2] == "true true 1 [\"mse\", \"mae\", \"corr\", \"acc2\"]")
    #expect(
      lines[3] == "dev split, 20 samples; rates global(0.05): a 0.05, b 0.05; trained with 1 thread"
    )
    #expect(lines[4] == "                       MSE         MAE   Pearson r  binary acc")
    #expect(lines[5].hasPrefix("fused   "))
    #expect(lines[6].hasPrefix("a alone "))
    #expect(lines[7].hasPrefix("b alone "))
    #expect(
      lines[8].hasPrefix("fused minus best branch: ") && lines[8].hasSuffix(" MAE, 20 samples"))
    #expect(
      lines[9].hasPrefix(
        "epoch,loss,mae,corr,acc2,dev_loss,dev_mse,dev_mae,dev_corr,dev_acc2,a_lr,"))
  }

  @Test func aRuleReceivesTheRegressionStatistics() {
    let (text, error) = Self.run(
      """
      seen = []
      keep = fn(s) {
        print(s.epoch, s.dev_mae > 0, s.branch_mae.a > 0, keys(s)[2])
        return none
      }
      h = train(m, epochs: 2, rule: keep)
      """)
    #expect(error == nil, "\(error ?? "")")
    #expect(text == "1 true true mae\n2 true true mae\n")
  }

  @Test func aSweepScoresByDevMAE() {
    let (text, error) = Self.run(
      """
      best = sweep(m, rates: [0.001, 0.1], epochs: 3, batch: 16)
      show(best)
      print(keys(best.mae), len(best.corr.a))
      lowest = best.mae.a[0] < best.mae.a[1]
      print(best.rates.a == (lowest and 0.001 or 0.1))
      """)
    #expect(error == nil, "\(error ?? "")")
    let lines = text.split(separator: "\n").map(String.init)
    #expect(
      lines[0] == "sweep: dev MAE of each modality trained alone, by learning rate (lowest is best)"
    )
    #expect(lines[4] == "[\"a\", \"b\"] 2")
    #expect(lines[5] == "true")

    // bars() draws the dev MAE, with the chosen rate marked, not accuracies of 0.
    let (chart, _) = Self.run(
      """
      best = sweep(m, rates: [0.001, 0.1], epochs: 3, batch: 16)
      bars(best)
      print(best.mae.a)
      """)
    let drawn = chart.split(separator: "\n").map(String.init)
    #expect(drawn[0] == "dev MAE by learning rate")
    #expect(drawn.contains { $0.contains("← best") })
    let maes = drawn.last!.dropFirst().dropLast().split(separator: ", ").map { Double($0)! }
    #expect(maes.count == 2 && maes.allSatisfy { $0 > 0 })
    #expect(drawn.contains { $0.trimmingCharacters(in: .whitespaces) == "dev MAE" })
  }

  /// A subset of a regression data set is a regression data set of that many samples, its
  /// targets among the whole set's, and a model trains on it.
  @Test func aSubsetOfARegressionDataSetTrains() {
    let (text, error) = Self.run(
      """
      small = subset(data, train: 6, dev: 5, seed: 1)
      print(small.sizes, small.task)
      t = small.target.train
      w = data.target.train
      print(t.min >= w.min, t.max <= w.max, t.std != w.std)
      h = train(model(small, hidden: 4, seed: 2), epochs: 2, batch: 4)
      print(len(h.dev_mae))
      """)
    #expect(error == nil, "\(error ?? "")")
    #expect(text == "{train: 6, dev: 5, test: 20} regression\ntrue true true\n2\n")
  }

  /// A grid per modality: the table shows each modality's MAE at its own rates and `-` at
  /// the other's, and `best.mae` holds one error per rate of each grid.
  @Test func aSweepWithAGridPerModalityShowsDashesWhereAModalityDidNotTry() {
    let (text, error) = Self.run(
      """
      best = sweep(m, rates: {b: [0.01], a: [0.1, 0.001]}, epochs: 3, batch: 16)
      show(best)
      print(best.grid)
      print(best.mae.a)
      print(best.mae.b)
      """)
    #expect(error == nil, "\(error ?? "")")
    let lines = text.split(separator: "\n").map(String.init)
    let cells = lines.map { $0.split(separator: " ").map(String.init) }
    #expect(cells[1] == ["0.001", "0.01", "0.1", "best"])
    #expect(cells[2].count == 5 && cells[3].count == 5)
    #expect(lines[4] == "{a: [0.1, 0.001], b: [0.01]}")
    let errors = lines[5...6].map { line in
      line.dropFirst().dropLast().split(separator: ", ").map { Double($0)! }
    }
    guard cells[2].count == 5, cells[3].count == 5, errors.map(\.count) == [2, 1] else {
      Issue.record("\(text)")
      return
    }
    let shown = { (value: Double) in String(format: "%.4f", value) }
    #expect(cells[2][0...3] == ["a", shown(errors[0][1]), "-", shown(errors[0][0])])
    #expect(cells[3][0...3] == ["b", "-", shown(errors[1][0]), "-"])
    #expect(cells[2][4] == (errors[0][1] < errors[0][0] ? "0.001" : "0.1"))
    #expect(cells[3][4] == "0.01")
  }

  @Test(arguments: [
    (
      "train(m, 1️⃣class_weights: \"balanced\")",
      "class_weights weighs the classes of a classification task; this model is for regression,"
        + " which has none"
    ),
    (
      "train(m, 1️⃣loss: \"cross_entropy\")",
      "invalid value \"cross_entropy\" for 'loss': a regression model trains on \"mse\" or \"mae\""
    ),
    (
      "train(m, 1️⃣loss: \"huber\")",
      "unknown loss \"huber\"; use \"cross_entropy\" for classification, \"mse\" or \"mae\" for"
        + " regression"
    ),
    (
      "train(m, 1️⃣monitor: \"dev_acc\")",
      "invalid value 'dev_acc' for 'monitor': for a regression model use one of loss, mae, corr,"
        + " acc2, dev_loss, dev_mse, dev_mae, dev_corr, dev_acc2, or a.dev_mae (branch statistics:"
        + " mae, dev_mse, dev_mae, dev_corr, dev_acc2, gradnorm, update_ratio)"
    ),
    (
      "report(m, \"test\", 1️⃣classes: true)",
      "classes: true adds the per-class tables of a classification task; this model is for"
        + " regression, which has no classes"
    ),
    (
      "counts(1️⃣data)",
      "data set 'scores' is a regression task, so it has no classes to count; show(data) gives"
        + " its target's range, data.target its statistics by split"
    ),
    (
      "load(\"x.csv\", 1️⃣task: \"ordinal\")",
      "argument 'task' to load must be \"classification\" or \"regression\" (labels read as one"
        + " number per sample), got the string \"ordinal\""
    ),
  ])
  func aRefusedValueIsShownAtItsArgument(marked: String, message: String) {
    let source = MarkedSource(Self.setup + marked)
    expectEngineError(source, message)
  }

  @Test func classificationMembersAreNotARegressionHistorys() {
    let (_, error) = Self.run("h = train(m, epochs: 1)\nprint(h.dev_acc)")
    #expect(error?.contains("'dev_acc'") == true, "\(error ?? "")")
    let (_, reportError) = Self.run("print(evaluate(m).wf1)")
    #expect(reportError?.contains("'wf1'") == true, "\(reportError ?? "")")
  }
}
