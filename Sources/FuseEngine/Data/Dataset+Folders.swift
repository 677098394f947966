import Foundation
import FuseFormat

/// The folders `splits` (the first being train) of a data set laid out as train/, dev/ and
/// test/, for a tool that reads only some of them: the benchmark needs no test/.
public func loadSplitFolders(at path: String, splits: [String]) throws -> Dataset {
  var dataset = try loadSplitFolders(folder: URL(fileURLWithPath: path), splits: splits)
  dataset.source = path
  return dataset
}

/// A folder with `train/`, `dev/` and `test/` (or the folders `splits`), each holding one
/// feature file per modality and a labels file (class names, or for regression target
/// values). Modalities are ordered by name.
func loadSplitFolders(
  folder: URL, task: LearningTask = .classification, splits splitNames: [String] = splitNames
) throws -> Dataset {
  let folders = splitNames.map { "\($0)/" }
  let rule =
    "given by the " + folders.dropLast().joined(separator: ", ") + " and \(folders.last!) folders"
  var modalityNames: [String]? = nil
  var featuresOfSplit: [String: [Matrix]] = [:]
  var labelNamesOfSplit: [String: [String]] = [:]
  var targetsOfSplit: [String: [Float]] = [:]

  for split in splitNames {
    let splitFolder = folder.appendingPathComponent(split)
    let files = try featureFiles(in: splitFolder)
    let names = files.map(\.modality)
    if let expected = modalityNames, expected != names {
      throw DataError.inconsistent(
        path: splitFolder.path,
        reason: "holds modalities \(names.joined(separator: ", ")), but train/ holds"
          + " \(expected.joined(separator: ", "))")
    }
    modalityNames = names

    let labels = task == .classification ? try readLabels(in: splitFolder) : []
    let targets = task == .regression ? try readTargets(in: splitFolder) : []
    let sampleCount = task == .classification ? labels.count : targets.count
    var features: [Matrix] = []
    for file in files {
      let matrix = try readFeatureMatrix(path: file.path)
      guard matrix.rows == sampleCount else {
        throw DataError.inconsistent(
          path: file.path,
          reason: "has \(counted(matrix.rows, "sample")) but the labels file has \(sampleCount)")
      }
      if let train = featuresOfSplit["train"], train[features.count].columns != matrix.columns {
        throw DataError.inconsistent(
          path: file.path,
          reason: "has \(counted(matrix.columns, "feature")) per sample, but train/ has"
            + " \(train[features.count].columns)")
      }
      features.append(matrix)
    }
    guard sampleCount > 0 else {
      throw DataError.emptySplit(source: folder.path, split: split, rule: rule)
    }
    featuresOfSplit[split] = features
    labelNamesOfSplit[split] = labels
    targetsOfSplit[split] = targets
  }

  let train = featuresOfSplit["train"]!
  let modalities = zip(modalityNames!, train).map { Modality(name: $0, dimension: $1.columns) }
  if task == .regression {
    let splits = Dictionary(
      uniqueKeysWithValues: splitNames.map {
        ($0, DataSplit(features: featuresOfSplit[$0]!, targets: targetsOfSplit[$0]!))
      })
    return Dataset(
      name: folder.lastPathComponent, modalities: modalities, classNames: [], splits: splits,
      splitRule: rule, source: folder.path, task: .regression)
  }

  // One class numbering for all splits, from the names seen anywhere.
  let allNames = splitNames.flatMap { labelNamesOfSplit[$0]! }
  let (classNames, _) = classIndices(for: allNames)
  let indexOfName = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
  var splits: [String: DataSplit] = [:]
  for split in splitNames {
    splits[split] = DataSplit(
      features: featuresOfSplit[split]!,
      labels: labelNamesOfSplit[split]!.map { indexOfName[$0]! })
  }

  return Dataset(
    name: folder.lastPathComponent, modalities: modalities, classNames: classNames,
    splits: splits, splitRule: rule, source: folder.path)
}

/// The `<modality>.npy` and `<modality>.csv` files of a split folder, by modality name.
private func featureFiles(in folder: URL) throws -> [(modality: String, path: String)] {
  let entries: [String]
  do {
    entries = try FileManager.default.contentsOfDirectory(atPath: folder.path)
  } catch {
    throw DataError.unreadable(path: folder.path, reason: "the split folder is missing")
  }
  var files: [(modality: String, path: String)] = []
  for entry in entries.sorted() {
    let url = folder.appendingPathComponent(entry)
    let stem = url.deletingPathExtension().lastPathComponent
    guard ["npy", "csv"].contains(url.pathExtension.lowercased()), stem != "labels" else {
      continue
    }
    if files.contains(where: { $0.modality == stem }) {
      throw DataError.inconsistent(
        path: folder.path, reason: "modality '\(stem)' has both a .npy and a .csv file")
    }
    files.append((stem, url.path))
  }
  guard !files.isEmpty else {
    throw DataError.unrecognizedLayout(
      path: folder.path, reason: "no feature files (<modality>.npy or <modality>.csv)")
  }
  return files
}

/// One modality's features: a `.npy` array (see `NumpyArray.matrix()`) or a CSV
/// file with a header whose every column is a number.
func readFeatureMatrix(path: String) throws -> Matrix {
  if path.lowercased().hasSuffix(".npy") {
    let (matrix, shape) = try readNumpyMatrix(path: path)
    guard !shape.isEmpty else {
      throw DataError.inconsistent(path: path, reason: "holds a single value (a 0-d array)")
    }
    if let position = matrix.values.firstIndex(where: { !$0.isFinite }) {
      // The file's own value, which a 64-bit file may hold beyond the range of a Float.
      let value = try readNumpy(path: path).values[position]
      let range = value.isFinite ? ", beyond the range of 32-bit floats (about ±3.4e38)" : ""
      throw DataError.inconsistent(
        path: path, reason: "element \(position) (row-major) is \(formatNumber(value))\(range)")
    }
    guard matrix.columns > 0 else {
      throw DataError.inconsistent(
        path: path, reason: "has no features per sample (shape \(shape))")
    }
    return matrix
  }
  let table = try readCSV(path: path)
  return try table.numericMatrix(columns: Array(table.header.indices))
}

/// The class name of each sample from `labels.csv`, `labels.txt` or `labels.npy`.
///
/// `labels.csv` has a header and uses its `label` or `class` column, or its
/// only column. `labels.txt` has one name per line and no header. `labels.npy`
/// holds integers, whose decimal text becomes the class name.
func readLabels(in folder: URL) throws -> [String] {
  let manager = FileManager.default
  let csv = folder.appendingPathComponent("labels.csv").path
  let text = folder.appendingPathComponent("labels.txt").path
  let numpy = folder.appendingPathComponent("labels.npy").path

  if manager.fileExists(atPath: csv) {
    let table = try readCSV(path: csv)
    let column = table.columnIndex("label") ?? table.columnIndex("class")
    guard let column = column ?? (table.header.count == 1 ? 0 : nil) else {
      throw DataError.missingColumn(path: csv, column: "label' or 'class", available: table.header)
    }
    return try table.labelNames(column: column)
  }
  if manager.fileExists(atPath: text) {
    return try readLabelLines(path: text)
  }
  if manager.fileExists(atPath: numpy) {
    let array = try readNumpy(path: numpy)
    guard array.shape.count == 1 || (array.shape.count == 2 && array.shape[1] == 1) else {
      throw DataError.inconsistent(
        path: numpy, reason: "labels must be a 1-d array, got shape \(array.shape)")
    }
    return try array.values.enumerated().map { position, value in
      guard let integer = Int(exactly: value) else {
        throw DataError.inconsistent(
          path: numpy, reason: "label \(position) is \(formatNumber(value)), not an integer")
      }
      return String(integer)
    }
  }
  throw DataError.unrecognizedLayout(
    path: folder.path, reason: "no labels.csv, labels.txt or labels.npy")
}

/// The target value of each sample from `labels.csv` (its `target`, `label` or `class`
/// column, or its only column), `labels.txt` (one number per line) or `labels.npy`.
func readTargets(in folder: URL) throws -> [Float] {
  let manager = FileManager.default
  let csv = folder.appendingPathComponent("labels.csv").path
  let text = folder.appendingPathComponent("labels.txt").path
  let numpy = folder.appendingPathComponent("labels.npy").path

  if manager.fileExists(atPath: csv) {
    let table = try readCSV(path: csv)
    let named = ["target", "label", "class"].lazy.compactMap { table.columnIndex($0) }.first
    guard let column = named ?? (table.header.count == 1 ? 0 : nil) else {
      throw DataError.missingColumn(
        path: csv, column: "target' or 'label' or 'class", available: table.header)
    }
    return try table.targetValues(column: column)
  }
  if manager.fileExists(atPath: text) {
    return try targetValues(ofLines: try readLabelLines(path: text), path: text)
  }
  if manager.fileExists(atPath: numpy) {
    let array = try readNumpy(path: numpy)
    guard array.shape.count == 1 || (array.shape.count == 2 && array.shape[1] == 1) else {
      throw DataError.inconsistent(
        path: numpy, reason: "targets must be a 1-d array, got shape \(array.shape)")
    }
    return try targetValues(ofArray: array.values, path: numpy)
  }
  throw DataError.unrecognizedLayout(
    path: folder.path, reason: "no labels.csv, labels.txt or labels.npy")
}

/// The class names of a `labels.txt`, one per line (LF, CRLF or CR), without surrounding
/// whitespace. A blank line would shift every later label onto the wrong sample, so it is
/// an error; only the file's final line break may be followed by nothing.
private func readLabelLines(path: String) throws -> [String] {
  let data = try readFileBytes(path: path)
  var lines = String(decoding: utf8Text(data).bytes, as: UTF8.self)
    .split(
      omittingEmptySubsequences: false,
      whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
  if lines.last?.isEmpty == true { lines.removeLast() }
  return try lines.enumerated().map { index, line in
    let name = String(line).trimmingWhitespace()
    guard !name.isEmpty else { throw DataError.blankLabelLine(path: path, line: index + 1) }
    return name
  }
}

private func readFileBytes(path: String) throws -> [UInt8] {
  do {
    return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  } catch {
    throw DataError.unreadable(path: path, reason: readFailureReason(path: path, error: error))
  }
}
