import FuseEngine
import FuseFormat

/// The dev scores of a unimodal learning-rate sweep.
final class SweepObject: HostObject {
  let result: SweepResult

  init(_ result: SweepResult) {
    self.result = result
  }

  var kindName: String { "sweep" }

  var display: String {
    let width = max(8, result.modalities.map(\.count).max() ?? 0)
    let columns = result.rates.map(formatRate)
    let cell = max(7, columns.map(\.count).max() ?? 0)
    let regression = result.task == .regression
    var lines = [
      regression
        ? "sweep: dev MAE of each modality trained alone, by learning rate (lowest is best)"
        : "sweep: dev accuracy of each modality trained alone, by learning rate"
    ]
    lines.append(
      pad("", width) + columns.map { pad($0, cell, right: true) }.joined(separator: " ")
        + "   best")
    for (m, name) in result.modalities.enumerated() {
      // With a grid per modality, a rate another modality tried shows as "-" here.
      let scores = result.rates.map { rate -> String in
        guard let r = result.grids[m].firstIndex(of: rate) else { return "-" }
        return result.diverged[m][r]
          ? "nan"
          : regression
            ? formatError(result.devRegression[m][r].meanAbsoluteError)
            : formatScore(result.devAccuracy[m][r])
      }
      lines.append(
        pad(name, width) + scores.map { pad($0, cell, right: true) }.joined(separator: " ")
          + "   \(formatRate(result.bestRates[m]))")
    }
    return lines.joined(separator: "\n")
  }

  var memberNames: [String] {
    let scores = result.task == .regression ? RegressionMetrics.scoreNames : ["acc", "f1", "wf1"]
    return ["rates", "grid"] + scores + ["modalities"]
  }

  /// One dev score per rate of each modality's grid, nan where the rate diverged (as the
  /// table shows it), so that a diverged rate never reads as a score of 0.
  private func scores(_ table: [[Double]]) -> Value {
    .perModality(
      result.modalities,
      table.indices.map { m in
        .numbers(table[m].indices.map { r in result.diverged[m][r] ? .nan : table[m][r] })
      })
  }

  func member(_ name: String) -> Value? {
    if result.task == .regression, RegressionMetrics.scoreNames.contains(name) {
      return .perModality(
        result.modalities,
        result.devRegression.map { row in .numbers(row.map { $0.score(named: name)! }) })
    }
    guard result.task == .classification || !["acc", "f1", "wf1"].contains(name) else {
      return nil
    }
    switch name {
    case "rates":
      return .perModality(result.modalities, result.bestRates.map { .decimal($0) })
    case "grid":
      guard !result.sharesGrid else { return .numbers(result.rates) }
      return .perModality(result.modalities, result.grids.map { .numbers($0) })
    case "modalities": return .list(result.modalities.map { .string($0) })
    case "acc": return scores(result.devAccuracy)
    case "f1": return scores(result.devMacroF1)
    case "wf1": return scores(result.devWeightedF1)
    default: return nil
    }
  }
}
