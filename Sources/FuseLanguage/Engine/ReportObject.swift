import FuseEngine
import FuseFormat

/// Scores of a model on one split: the fused model and each branch on its own logits.
final class ReportObject: HostObject {
  let report: EvaluationReport
  let title: String

  init(_ report: EvaluationReport, title: String) {
    self.report = report
    self.title = title
  }

  var kindName: String { "report" }

  var display: String {
    let rows: [(String, ClassificationMetrics)] =
      [("fused", report.fused)] + report.branches.map { ("\($0.modality) alone", $0.metrics) }
    let width = max(12, rows.map(\.0.count).max() ?? 0)
    var lines = [title]
    lines.append(
      pad("", width) + "  "
        + ["accuracy", "macro F1", "weighted F1"].map { pad($0, 13, right: true) }
        .joined())
    for (name, metrics) in rows {
      let cells = [metrics.accuracy, metrics.macroF1, metrics.weightedF1].map {
        pad(formatScore($0), 13, right: true)
      }
      lines.append(pad(name, width) + "  " + cells.joined())
    }
    let best = report.branches.map(\.metrics.accuracy).max() ?? 0
    let gap = report.fused.accuracy - best
    lines.append(
      "fused minus best branch: \(gap >= 0 ? "+" : "")\(formatFixed(gap, digits: 3)) accuracy, "
        + counted(report.fused.count, "sample"))
    return lines.joined(separator: "\n")
  }

  var memberNames: [String] {
    ["acc", "f1", "wf1", "loss", "branches", "confusion", "per_class", "classes", "split"]
  }

  private func scores(_ metrics: ClassificationMetrics) -> Value {
    .record([
      ("acc", .number(metrics.accuracy)), ("f1", .number(metrics.macroF1)),
      ("wf1", .number(metrics.weightedF1)),
      ("per_class", Self.classScores(metrics, names: report.classNames)),
      ("confusion", Self.confusionValue(metrics)),
    ])
  }

  func member(_ name: String) -> Value? {
    switch name {
    case "acc": return .number(report.fused.accuracy)
    case "f1": return .number(report.fused.macroF1)
    case "wf1": return .number(report.fused.weightedF1)
    case "loss": return .number(report.loss)
    case "split": return .string(report.split)
    case "branches":
      return .record(report.branches.map { ($0.modality, scores($0.metrics)) })
    case "confusion": return Self.confusionValue(report.fused)
    case "per_class": return Self.classScores(report.fused, names: report.classNames)
    case "classes": return .list(report.classNames.map { .string($0) })
    default: return nil
    }
  }
}
