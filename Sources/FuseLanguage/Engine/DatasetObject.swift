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
      lines.append("    \(pad(modality.name, width))  \(counted(modality.dimension, "feature"))")
    }
    lines.append(
      "  classes (\(dataset.classNames.count)): " + dataset.classNames.joined(separator: ", "))
    lines.append(
      "  splits: " + splitSizes.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
    lines.append("  split rule: \(dataset.splitRule)")
    return lines.joined(separator: "\n")
  }

  var memberNames: [String] { ["name", "modalities", "dims", "classes", "sizes", "source"] }

  func member(_ name: String) -> Value? {
    switch name {
    case "name": return .string(dataset.name)
    case "modalities": return .list(dataset.modalities.map { .string($0.name) })
    case "dims":
      return .record(dataset.modalities.map { ($0.name, .number(Double($0.dimension))) })
    case "classes": return .list(dataset.classNames.map { .string($0) })
    case "sizes": return .record(splitSizes.map { ($0.0, .number(Double($0.1))) })
    case "source": return .string(dataset.source)
    default: return nil
    }
  }
}
