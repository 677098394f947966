import Foundation
import FuseEngine

/// The standard late-fusion workload of ../shared/bench (latefusion_common.py), as FuseLab
/// trains it: per modality Linear(dim, 256), ReLU, Linear(256, 7); summed logits; mean
/// cross-entropy; SGD with momentum 0.9, no weight decay, rates text 1e-3, audio 1e-2,
/// visual 5e-3; batch 64, reshuffled each epoch; no dropout and no standardisation, so that
/// the work matches the NumPy and PyTorch scripts step for step.
///
/// The data is the folder `scripts/bench --prepare` writes: train/, dev/ and test/ with one
/// `.npy` file per modality and `labels.npy`; test/ may be left out, as nothing reads it. When it also holds init/ (the reference's
/// initial weights, PyTorch layout), training starts from them; otherwise the branches draw
/// their own. Shuffling uses FuseLab's generator, so the batches differ from the
/// reference's, though not their sizes or number.
struct BenchWorkload {
  static let defaultFolder = "data/bench/latefusion"
  static let hiddenWidth = 256
  static let batchSize = 64
  static let momentum: Float = 0.9
  static let learningRates: [String: Float] = ["text": 1e-3, "audio": 1e-2, "visual": 5e-3]
  static let modelSeed: UInt64 = 1235
  static let shuffleSeed: UInt64 = 1236

  let folder: String
  let dataset: Dataset
  let train: DataSplit
  let dev: DataSplit

  /// Where the initial weights came from: "reference" (init/) or "seeded".
  private(set) var initialWeights = "seeded"

  /// The files a workload folder holds, as messages list them.
  static let expectedFiles =
    "train/ and dev/ (test/ may be left out), each with text.npy, audio.npy, visual.npy and "
    + "labels.npy (integers 0 to \(classCount - 1)), and optionally init/ with the reference's "
    + "initial weights"

  static let classCount = 7

  /// Reads the workload in `folder`; `given` says the user named it with --data, so a
  /// message does not suggest --data again.
  init(folder: String, given: Bool = false) throws {
    func isFolder(_ path: String) -> Bool {
      var isFolder: ObjCBool = false
      return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        && isFolder.boolValue
    }
    let splitFolders = ["train", "dev", "test"].map {
      (folder as NSString).appendingPathComponent($0)
    }
    guard isFolder(splitFolders[0]), isFolder(splitFolders[1]) else {
      throw BenchError(
        "no workload in \(folder): it needs \(Self.expectedFiles); "
          + (given
            ? "scripts/bench --prepare writes one at data/bench/latefusion"
            : "run scripts/bench --prepare at the repository's root to write it from "
              + "../shared/bench, or give --data DIR"))
    }
    self.folder = folder
    let splits = ["train", "dev"] + (isFolder(splitFolders[2]) ? ["test"] : [])
    dataset = try Self.numberedClasses(
      try loadSplitFolders(at: folder, splits: splits), folder: folder)
    train = dataset.splits["train"]!
    dev = dataset.splits["dev"]!
    let names = dataset.modalities.map(\.name)
    guard Set(names) == Set(Self.learningRates.keys) else {
      throw BenchError(
        "the workload's modalities are text, audio and visual; \(folder) holds "
          + names.joined(separator: ", "))
    }
  }

  /// The data set with the workload's classes 0 to 6 as its classes, whichever of them
  /// the labels hold; a label outside them is refused, naming its file, before the model
  /// is built with one output too many.
  private static func numberedClasses(_ loaded: Dataset, folder: String) throws -> Dataset {
    var dataset = loaded
    dataset.classNames = (0..<classCount).map(String.init)
    for (name, split) in loaded.splits {
      let numbers = loaded.classNames.map { Int($0) }
      if let bad = split.labels.first(where: { !(0..<classCount).contains(numbers[$0] ?? -1) }) {
        throw BenchError(
          "\(labelsFile(in: (folder as NSString).appendingPathComponent(name))): label "
            + "\(loaded.classNames[bad]) is not one of the workload's \(classCount) classes, 0 to "
            + "\(classCount - 1)")
      }
      dataset.splits[name]?.labels = split.labels.map { numbers[$0]! }
    }
    return dataset
  }

  /// The labels file the loader reads in a split folder (CSV, then text, then NumPy).
  private static func labelsFile(in splitFolder: String) -> String {
    let names = ["labels.csv", "labels.txt", "labels.npy"]
    let paths = names.map { (splitFolder as NSString).appendingPathComponent($0) }
    return paths.first { FileManager.default.fileExists(atPath: $0) } ?? paths[2]
  }

  /// A fresh model of the workload's shape, with the reference's weights when init/ has them.
  mutating func model() throws -> FusionModel {
    let shape = BranchShape(
      hidden: [Self.hiddenWidth], activation: .relu, dropout: 0, standardize: false)
    let model = try FusionModel(dataset: dataset, shape: shape, seed: Self.modelSeed)
    let initFolder = (folder as NSString).appendingPathComponent("init")
    if FileManager.default.fileExists(atPath: initFolder) {
      for branch in model.branches {
        try load(branch, from: initFolder)
      }
      initialWeights = "reference"
    }
    return model
  }

  /// The training options: `epochs` in all, warm-up included.
  func options(epochs: Int) -> TrainingOptions {
    var options = TrainingOptions(
      epochs: epochs, batchSize: Self.batchSize, momentum: Self.momentum, weightDecay: 0,
      seed: Self.shuffleSeed, optimizer: .sgd)
    for (name, rate) in Self.learningRates {
      options.groups[name] = GroupOverride(learningRate: rate)
    }
    return options
  }

  /// Reads `<modality>.W1.npy`, `.b1`, `.W2` and `.b2` into the branch's two layers.
  private func load(_ branch: Branch, from initFolder: String) throws {
    let linears = branch.layers.compactMap { $0 as? Linear }
    for (index, layer) in linears.enumerated() {
      for (name, parameter) in [("W", layer.weight), ("b", layer.bias)] {
        let file = "\(branch.modality.name).\(name)\(index + 1).npy"
        let path = (initFolder as NSString).appendingPathComponent(file)
        let array = try readNumpy(path: path)
        let expected = parameter.value
        let count = expected.rows * expected.columns
        guard array.values.count == count, array.shape.last == expected.columns else {
          throw BenchError(
            "\(path) has shape \(array.shape); the model needs \(expected.rows) x "
              + "\(expected.columns)")
        }
        parameter.value = Matrix(
          rows: expected.rows, columns: expected.columns, values: array.values.map { Float($0) })
      }
    }
  }
}

/// Why the benchmark cannot run, in words for its user.
struct BenchError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}
