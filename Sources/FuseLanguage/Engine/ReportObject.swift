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
    if let fused = report.regression { return regressionDisplay(fused) }
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

  /// The table of a regression model: errors, Pearson's r and binary accuracy, fused and
  /// per branch, then how the fused error compares with the best branch's.
  private func regressionDisplay(_ fused: RegressionMetrics) -> String {
    let rows: [(String, RegressionMetrics)] =
      [("fused", fused)]
      + report.branches.compactMap { branch in
        branch.regression.map { ("\(branch.modality) alone", $0) }
      }
    let width = max(12, rows.map(\.0.count).max() ?? 0)
    var lines = [title]
    lines.append(
      pad("", width) + "  "
        + ["MSE", "MAE", "Pearson r", "binary acc"].map { pad($0, 12, right: true) }.joined())
    for (name, metrics) in rows {
      let cells = [
        formatError(metrics.meanSquaredError), formatError(metrics.meanAbsoluteError),
        formatScore(metrics.correlation), formatScore(metrics.binaryAccuracy),
      ]
      lines.append(pad(name, width) + "  " + cells.map { pad($0, 12, right: true) }.joined())
    }
    let best = rows.dropFirst().map(\.1.meanAbsoluteError).min() ?? .nan
    let gap = fused.meanAbsoluteError - best
    lines.append(
      "fused minus best branch: \(gap >= 0 ? "+" : "")\(formatFixed(gap, digits: 4)) MAE, "
        + counted(fused.count, "sample"))
    return lines.joined(separator: "\n")
  }

  var memberNames: [String] {
    report.regression == nil
      ? [
        "acc", "f1", "wf1", "loss", "branches", "confusion", "per_class", "classes", "split",
        "threads",
      ]
      : RegressionMetrics.scoreNames + ["loss", "branches", "split", "threads"]
  }

  private func scores(_ metrics: RegressionMetrics) -> Value {
    .record(RegressionMetrics.scoreNames.map { ($0, .number(metrics.score(named: $0)!)) })
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
    case "threads": return .number(Double(report.threadCount))
    case "loss": return .number(report.loss)
    case "split": return .string(report.split)
    default: break
    }
    if let fused = report.regression {
      if name == "branches" {
        return .record(
          report.branches.compactMap { branch in
            branch.regression.map { (branch.modality, scores($0)) }
          })
      }
      return fused.score(named: name).map { .number($0) }
    }
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
