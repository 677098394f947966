import Foundation

/// A history as a table: one row per epoch, as CSV or as JSON Lines.
///
/// Numbers are written in their shortest exact form ("0.1", "1e-05"); the columns are the
/// fused statistics, then each modality's, named `<modality>_<statistic>`, then the fusion
/// weights `w_<modality>` (and `fusion_lr` when they were learned), then, when a branch
/// fine-tunes an encoder, every optimizer group's `group.<name>_lr`, `_gradnorm` and
/// `_update_ratio`. A regression history has
/// error, correlation and sign-accuracy columns in place of accuracy and F1.
extension History {
  /// The fused statistics' columns after `epoch`, and each branch's after `<modality>_`.
  private var statisticNames: (fused: [String], branch: [String]) {
    switch task {
    case .classification:
      return (
        ["loss", "acc", "f1", "wf1", "dev_loss", "dev_acc", "dev_f1", "dev_wf1"],
        ["lr", "gradnorm", "update_ratio", "acc", "dev_acc", "dev_f1", "dev_wf1"]
      )
    case .regression:
      return (
        ["loss", "mae", "corr", "acc2", "dev_loss", "dev_mse", "dev_mae", "dev_corr", "dev_acc2"],
        [
          "lr", "gradnorm", "update_ratio", "mae", "dev_mse", "dev_mae", "dev_corr", "dev_acc2",
        ]
      )
    }
  }

  /// The column names, in order.
  public var columnNames: [String] {
    let (fused, branch) = statisticNames
    var names = ["epoch"] + fused
    for modality in modalities {
      for statistic in branch {
        names.append("\(modality)_\(statistic)")
      }
    }
    names += modalities.map { "w_\($0)" }
    if epochs.contains(where: { $0.fusionLearningRate != nil }) { names.append("fusion_lr") }
    for group in exportedGroups {
      names += ["lr", "gradnorm", "update_ratio"].map { "group.\(group)_\($0)" }
    }
    return names
  }

  /// The optimizer groups that get columns of their own: all of them, in the optimizer's
  /// order, when a branch fine-tunes an encoder (its groups are then not its branch's
  /// columns: `text_gradnorm` is over the whole branch, `group.text.encoder_gradnorm` over
  /// the encoder alone); none otherwise, where each group is a branch or the fusion weights.
  var exportedGroups: [String] {
    guard let groups = epochs.lazy.compactMap(\.groups).first else { return [] }
    let names = groups.map(\.name)
    guard names.contains(where: { !modalities.contains($0) && $0 != "fusion" }) else { return [] }
    return names
  }

  /// One row of numbers per epoch, in the order of `columnNames`.
  public var rows: [[Double]] {
    let withFusionRate = epochs.contains { $0.fusionLearningRate != nil }
    let groups = exportedGroups
    return epochs.map { stats in
      var row = [Double(stats.epoch)] + fusedValues(stats)
      for branch in stats.branches {
        row += [History.decimal(branch.learningRate), branch.gradientNorm, branch.updateRatio]
        row += branchValues(branch)
      }
      let weights =
        stats.fusionWeights.isEmpty
        ? Array(repeating: Float(1), count: modalities.count) : stats.fusionWeights
      row += weights.map(History.decimal)
      if withFusionRate { row.append(stats.fusionLearningRate.map(History.decimal) ?? .nan) }
      for name in groups {
        guard let group = stats.groups?.first(where: { $0.name == name }) else {
          row += [.nan, .nan, .nan]
          continue
        }
        row += [History.decimal(group.learningRate), group.gradientNorm, group.updateRatio]
      }
      return row
    }
  }

  private func fusedValues(_ stats: EpochStats) -> [Double] {
    guard let train = stats.trainRegression, let dev = stats.devRegression else {
      return [
        stats.trainLoss, stats.trainAccuracy, stats.trainMacroF1, stats.trainWeightedF1,
        stats.devLoss, stats.devAccuracy, stats.devMacroF1, stats.devWeightedF1,
      ]
    }
    return [
      stats.trainLoss, train.meanAbsoluteError, train.correlation, train.binaryAccuracy,
      stats.devLoss, dev.meanSquaredError, dev.meanAbsoluteError, dev.correlation,
      dev.binaryAccuracy,
    ]
  }

  /// A branch's scores after its rate, gradient norm and update ratio.
  private func branchValues(_ branch: BranchEpochStats) -> [Double] {
    guard let train = branch.trainRegression, let dev = branch.devRegression else {
      return [branch.trainAccuracy, branch.devAccuracy, branch.devMacroF1, branch.devWeightedF1]
    }
    return [
      train.meanAbsoluteError, dev.meanSquaredError, dev.meanAbsoluteError, dev.correlation,
      dev.binaryAccuracy,
    ]
  }

  /// A header line and one line per epoch, comma-separated, each line ending in "\n".
  public func csv() -> String {
    var text = columnNames.joined(separator: ",") + "\n"
    for row in rows {
      text += row.map(History.format).joined(separator: ",") + "\n"
    }
    return text
  }

  /// One JSON object per epoch and line, keys in the order of `columnNames`.
  public func jsonLines() -> String {
    let names = columnNames
    var text = ""
    for row in rows {
      let fields = zip(names, row).map { name, value in
        "\"\(name)\":" + (value.isFinite ? History.format(value) : "null")
      }
      text += "{" + fields.joined(separator: ",") + "}\n"
    }
    return text
  }

  /// Writes `csv()` or `jsonLines()` by the path's extension (.csv or .jsonl, in any case),
  /// atomically: a failed write leaves any old file as it was. A .json name is refused:
  /// JSON Lines in it would be a document that `json.load` rejects.
  public func write(to path: String) throws {
    let lowered = path.lowercased()
    let text: String
    if lowered.hasSuffix(".csv") {
      text = csv()
    } else if lowered.hasSuffix(".jsonl") {
      text = jsonLines()
    } else if lowered.hasSuffix(".json") {
      throw EngineError.invalidOption(
        name: "path", value: "'\(path)'",
        reason: "the history is written as JSON Lines, one object per epoch, which is not one "
          + "JSON document; end the file name in .jsonl")
    } else {
      throw EngineError.invalidOption(
        name: "path", value: "'\(path)'",
        reason: "end the file name in .csv, or .jsonl for JSON Lines")
    }
    // Foundation's message for a missing folder ("The file doesn't exist") misleads.
    let parent = (path as NSString).deletingLastPathComponent
    let folder = parent.isEmpty ? "." : parent
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      throw EngineError.invalidOption(
        name: "path", value: "'\(path)'",
        reason: "cannot write it: there is no folder \(folder); create it first")
    }
    do {
      try writeAtomically(Array(text.utf8), to: path)
    } catch SafeTensorsError.unreadable(_, let reason) {
      throw EngineError.invalidOption(
        name: "path", value: "'\(path)'", reason: "cannot write it: \(reason)")
    }
  }

  /// A single-precision number as the double it reads as in decimal: 0.01, not 0.00999999977.
  public static func decimal(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }

  /// Whole numbers without a fraction, others in Swift's shortest round-trip form.
  static func format(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
    return "\(value)"
  }
}
