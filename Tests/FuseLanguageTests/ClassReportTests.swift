import FuseEngine
import Testing

@testable import FuseLanguage

/// The per-class side of a report: `report(m, split, classes: true)` and the `per_class`,
/// `confusion` and `classes` members of `evaluate(m, split)`.
@Suite("Per-class reports and confusion matrices")
struct ClassReportTests {
  /// Three classes; the fused model confuses one "cat" for a "dog", the branch "text" gets
  /// only "cat" right.
  static let report: ReportObject = {
    let labels = [0, 0, 0, 1, 1, 2]
    let fused = ClassificationMetrics(
      labels: labels, predictions: [0, 0, 1, 1, 1, 2], classCount: 3)
    let text = ClassificationMetrics(
      labels: labels, predictions: [0, 0, 0, 0, 0, 0], classCount: 3)
    let evaluation = EvaluationReport(
      split: "test", classNames: ["cat", "dog", "fish"], loss: 0.5, fused: fused,
      branches: [BranchReport(modality: "text", loss: 0.9, metrics: text)])
    return ReportObject(evaluation, title: "test split")
  }()

  @Test func theClassTableGivesEachClassAndEachBranchsF1() {
    #expect(
      Self.report.classTable == """
        per class: the fused model's precision, recall and F1, then each branch's F1 alone
                      support  precision     recall         F1  text F1
        cat                 3      1.000      0.667      0.800    0.667
        dog                 2      0.667      1.000      0.800    0.000
        fish                1      1.000      1.000      1.000    0.000
        macro F1                                         0.867    0.222
        weighted F1                                      0.833    0.333
        """)
  }

  @Test func theConfusionMatrixHasARowPerTrueClass() {
    #expect(
      Self.report.confusionTable == """
        confusion matrix, fused model: a row per true class, a column per predicted class
               cat   dog  fish
        cat      2     1     0
        dog      0     2     0
        fish     0     0     1
        """)
  }

  @Test func longClassNamesNumberTheColumns() {
    let metrics = ClassificationMetrics(labels: [0, 1], predictions: [0, 0], classCount: 2)
    let evaluation = EvaluationReport(
      split: "dev", classNames: ["brush_teeth", "watch_tv"], loss: 0, fused: metrics,
      branches: [])
    #expect(
      ReportObject(evaluation, title: "").confusionTable.split(separator: "\n").dropFirst()
        == ["               1  2", "1 brush_teeth  1  0", "2 watch_tv     1  0"])
  }

  @Test func membersGiveTheSameNumbers() throws {
    let perClass = try #require(Self.report.member("per_class"))
    #expect(
      perClass.literal
        == "{cat: {precision: 1, recall: 0.666667, f1: 0.8, support: 3}, "
        + "dog: {precision: 0.666667, recall: 1, f1: 0.8, support: 2}, "
        + "fish: {precision: 1, recall: 1, f1: 1, support: 1}}")
    #expect(Self.report.member("classes")?.literal == "[\"cat\", \"dog\", \"fish\"]")
    #expect(Self.report.member("confusion")?.literal == "[[2, 1, 0], [0, 2, 0], [0, 0, 1]]")
    guard case .record(let branches)? = Self.report.member("branches"),
      case .record(let text) = branches[0].1
    else {
      Issue.record("branches is not a record of records")
      return
    }
    #expect(text.map(\.0) == ["acc", "f1", "wf1", "per_class", "confusion"])
    #expect(text[4].1.literal == "[[3, 0, 0], [2, 0, 0], [1, 0, 0]]")
  }

  @Test func reportPrintsTheClassTablesOnlyWhenAsked() throws {
    let source = """
      m = model(data, hidden: [4], seed: 3)
      report(m, "dev")
      print("--")
      report(m, "dev", classes: true)
      """
    let parts = try ModelBuiltinTests.run(source).components(separatedBy: "--\n")
    #expect(parts.count == 2)
    #expect(!parts[0].contains("confusion matrix"))
    #expect(parts[1].hasPrefix(parts[0]))
    #expect(parts[1].contains("\nper class: the fused model's precision, recall and F1, "))
    #expect(parts[1].contains("  wide F1  thin F1\nx "))
    #expect(parts[1].contains("\nconfusion matrix, fused model: a row per true class"))
  }
}
