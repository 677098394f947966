import FuseEngine
import FuseFormat

/// A loaded data set as the language sees it.
final class DatasetObject: HostObject {
  let dataset: Dataset

  init(_ dataset: Dataset) {
    self.dataset = dataset
  }

  var kindName: String { "dataset" }

  var splitSizes: [(String, Int)] {
    splitNames.compactMap { name in dataset.splits[name].map { (name, $0.count) } }
  }

  var display: String {
    let total = dataset.splits.values.reduce(0) { $0 + $1.count }
    var lines = ["dataset \(dataset.name): \(counted(total, "sample")) from \(dataset.source)"]
    let width = dataset.modalities.map(\.name.count).max() ?? 0
    lines.append("  modalities:")
    for modality in dataset.modalities {
      var line = "    \(pad(modality.name, width))  \(counted(modality.dimension, "feature"))"
      if let text = dataset.textModalities[modality.name] {
        line += "  " + textSummary(text)
      }
      lines.append(line)
    }
    switch dataset.task {
    case .classification:
      lines.append(
        "  classes (\(dataset.classNames.count)): " + dataset.classNames.joined(separator: ", "))
    case .regression:
      let target = TargetSummary(dataset.allTargets)
      lines.append(
        "  task: regression; target from \(formatNumber(target.minimum)) to "
          + "\(formatNumber(target.maximum)), mean \(formatNumber(target.mean)), "
          + "standard deviation \(formatNumber(target.standardDeviation)) (all splits)")
    }
    lines.append(
      "  splits: " + splitSizes.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
    lines.append("  split rule: \(dataset.splitRule)")
    return lines.joined(separator: "\n")
  }

  /// How a text modality was made, in brackets after its width.
  private func textSummary(_ text: TextModalityDescription) -> String {
    var parts = [
      "'\(text.column)' encoded by \(text.encoderFolder)",
      text.normalized ? "unit length" : "not normalised",
      "at most \(text.maximumLength) tokens",
    ]
    if text.truncated > 0 { parts.append("\(counted(text.truncated, "text")) truncated") }
    return "(" + parts.joined(separator: ", ") + ")"
  }

  var memberNames: [String] {
    ["name", "modalities", "dims", "task", "classes", "target", "sizes", "source"]
  }

  /// The target's range and spread by split and over all of them; none for classification.
  private var targetRecord: Value {
    guard dataset.task == .regression else { return .nothing }
    func summary(_ targets: [Float]) -> Value {
      let target = TargetSummary(targets)
      return .record([
        ("min", .number(target.minimum)), ("max", .number(target.maximum)),
        ("mean", .number(target.mean)), ("std", .number(target.standardDeviation)),
      ])
    }
    let perSplit = splitNames.compactMap { name in
      dataset.splits[name].map { (name, summary($0.targets)) }
    }
    return .record([("all", summary(dataset.allTargets))] + perSplit)
  }

  func member(_ name: String) -> Value? {
    switch name {
    case "name": return .string(dataset.name)
    case "modalities": return .list(dataset.modalities.map { .string($0.name) })
    case "dims":
      return .record(dataset.modalities.map { ($0.name, .number(Double($0.dimension))) })
    case "task": return .string(dataset.task.rawValue)
    case "classes": return .list(dataset.classNames.map { .string($0) })
    case "target": return targetRecord
    case "sizes": return .record(splitSizes.map { ($0.0, .number(Double($0.1))) })
    case "source": return .string(dataset.source)
    default: return nil
    }
  }
}
