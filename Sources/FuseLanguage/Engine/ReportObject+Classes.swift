import FuseEngine
import FuseFormat

/// The per-class view of a report: each class's precision, recall, F1 and support, and the
/// confusion matrix, as `report(m, split, classes: true)` prints them.
extension ReportObject {
  /// One row per class for the fused model, then each branch's F1 for that class, so that
  /// the reader sees which modality carries which class; the averages close the table.
  var classTable: String {
    let names = report.classNames
    let fused = report.fused
    let width = max(12, names.map(\.count).max() ?? 0)
    let branchHeaders = report.branches.map { "\($0.modality) F1" }
    let branchWidths = branchHeaders.map { max(9, $0.count + 2) }

    var header = pad("", width) + pad("support", 9, right: true)
    header += ["precision", "recall", "F1"].map { pad($0, 11, right: true) }.joined()
    header += zip(branchHeaders, branchWidths).map { pad($0, $1, right: true) }.joined()
    var lines = [
      "per class: the fused model's precision, recall and F1, then each branch's F1 alone",
      header,
    ]

    for (index, name) in names.enumerated() {
      let score = fused.perClass[index]
      var line = pad(name, width) + pad(String(score.support), 9, right: true)
      line += [score.precision, score.recall, score.f1].map {
        pad(formatScore($0), 11, right: true)
      }.joined()
      line += zip(report.branches, branchWidths).map {
        pad(formatScore($0.metrics.perClass[index].f1), $1, right: true)
      }.joined()
      lines.append(line)
    }

    for (label, pick) in [
      ("macro F1", \ClassificationMetrics.macroF1), ("weighted F1", \.weightedF1),
    ] {
      var line = pad(label, width) + pad("", 9 + 22)
      line += pad(formatScore(fused[keyPath: pick]), 11, right: true)
      line += zip(report.branches, branchWidths).map {
        pad(formatScore($0.metrics[keyPath: pick]), $1, right: true)
      }.joined()
      lines.append(line)
    }
    return lines.joined(separator: "\n")
  }

  /// The fused model's confusion matrix: a row per true class, a column per predicted one.
  /// Columns are headed by the class names when they are short, else by the rows' numbers.
  var confusionTable: String {
    let names = report.classNames
    let counts = report.fused.confusion
    let short = names.allSatisfy { $0.count <= 8 }
    let columnNames = short ? names : names.indices.map { String($0 + 1) }
    let rowNames = short ? names : names.enumerated().map { "\($0 + 1) \($1)" }
    let widest = counts.joined().map { String($0).count }.max() ?? 1
    let column = max(widest, columnNames.map(\.count).max() ?? 0) + 2
    let width = max(4, rowNames.map(\.count).max() ?? 0)

    var lines = [
      "confusion matrix, fused model: a row per true class, a column per predicted class",
      pad("", width) + columnNames.map { pad($0, column, right: true) }.joined(),
    ]
    for (name, row) in zip(rowNames, counts) {
      lines.append(pad(name, width) + row.map { pad(String($0), column, right: true) }.joined())
    }
    return lines.joined(separator: "\n")
  }

  /// A class's scores as the language sees them: `r.per_class.joy.recall`.
  static func classScores(_ metrics: ClassificationMetrics, names: [String]) -> Value {
    .record(
      zip(names, metrics.perClass).map { name, score in
        (
          name,
          .record([
            ("precision", .number(score.precision)), ("recall", .number(score.recall)),
            ("f1", .number(score.f1)), ("support", .number(Double(score.support))),
          ])
        )
      })
  }

  /// Counts indexed [true class][predicted class], as lists of numbers.
  static func confusionValue(_ metrics: ClassificationMetrics) -> Value {
    .list(metrics.confusion.map { row in .list(row.map { .number(Double($0)) }) })
  }
}
