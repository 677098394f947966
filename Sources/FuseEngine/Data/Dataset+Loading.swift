import Foundation

/// Loads a data set from a folder or a CSV file.
///
/// Three layouts are understood:
/// - a folder with a `dataset.json` manifest (or a path to any `.json`
///   manifest) naming one CSV file, the column patterns of each modality, the
///   label column and the split rule; or naming official split files, one CSV
///   per split, with feature files and column features (`splitFilesLayout`);
/// - a folder with `train/`, `dev/` and `test/` subfolders, each holding one
///   feature file per modality (`<modality>.npy` or `<modality>.csv`) and a
///   labels file (`labels.csv`, `labels.txt` or `labels.npy`);
/// - a CSV file with a `class` or `label` column and feature columns named
///   `<modality>_<feature>`, split by a `split` column when it has one and
///   otherwise by `SplitRule.standard`.
///
/// Class names are sorted by name (as numbers when all are integers); class
/// index i is `classNames[i]`.
///
/// - Parameter task: `.regression` reads the label column (or labels file) as one number
///   per sample; nil takes the manifest's `"task"`, else classification.
/// - Throws: `DataError` naming the file and, for bad values, the line and column.
public func loadDataset(at path: String, task: LearningTask? = nil) throws -> Dataset {
  var dataset = try loadDatasetLayout(at: path, task: task)
  // Keep the path as the user wrote it, so that outputs do not depend on the working folder.
  dataset.source = path
  return dataset
}

private func loadDatasetLayout(at path: String, task: LearningTask?) throws -> Dataset {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
    throw DataError.unreadable(path: path, reason: "no such file or folder")
  }
  guard isFolder.boolValue else {
    if path.lowercased().hasSuffix(".json") { return try loadManifest(at: path, task: task) }
    guard path.lowercased().hasSuffix(".csv") else {
      throw DataError.unrecognizedLayout(
        path: path, reason: "a data set is a folder, a .json manifest or a .csv file")
    }
    return try loadCSVDataset(path: path, task: task ?? .classification)
  }

  let folder = URL(fileURLWithPath: path)
  let manifest = folder.appendingPathComponent("dataset.json").path
  if FileManager.default.fileExists(atPath: manifest) {
    return try loadManifest(at: manifest, task: task)
  }
  if FileManager.default.fileExists(atPath: folder.appendingPathComponent("train").path) {
    return try loadSplitFolders(folder: folder, task: task ?? .classification)
  }
  let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
  let csvFiles = entries.filter { $0.lowercased().hasSuffix(".csv") }
  if csvFiles.count == 1 {
    return try loadCSVDataset(
      path: folder.appendingPathComponent(csvFiles[0]).path, task: task ?? .classification)
  }
  throw DataError.unrecognizedLayout(
    path: path,
    reason: "expected a dataset.json, train/dev/test subfolders, or a single .csv file")
}

/// The columns of one modality in a table.
struct ModalityColumns {
  var name: String
  var columns: [Int]
}

/// Builds a data set from one table: features from column groups, the class (or, for
/// regression, the target value) of each sample from one column.
func dataset(
  from table: CSVTable, name: String, labelColumn: Int, modalities: [ModalityColumns],
  rule: SplitRule, source: String, task: LearningTask = .classification
) throws -> Dataset {
  let features = try modalities.map { try table.numericMatrix(columns: $0.columns) }
  var classNames: [String] = []
  var labels: [Int] = []
  var targets: [Float] = []
  switch task {
  case .classification:
    (classNames, labels) = classIndices(for: try table.labelNames(column: labelColumn))
  case .regression:
    targets = try table.targetValues(column: labelColumn)
  }

  let assignment: [String]
  switch (rule, task) {
  case (.stratified(let folds, let dev, let test), .classification):
    assignment = stratifiedAssignment(labels: labels, folds: folds, dev: dev, test: test)
  case (.stratified(let folds, let dev, let test), .regression):
    assignment = rankedAssignment(targets: targets, folds: folds, dev: dev, test: test)
  case (.column(let columnName), _):
    assignment = try columnAssignment(table: table, column: try table.requiredColumn(columnName))
  }
  let ruleText = rule.description(for: task)
  let splits = try makeSplits(
    features: features, labels: labels, targets: targets, assignment: assignment,
    source: source, rule: ruleText)

  return Dataset(
    name: name,
    modalities: zip(modalities, features).map { Modality(name: $0.name, dimension: $1.columns) },
    classNames: classNames, splits: splits, splitRule: ruleText, source: source, task: task)
}

/// A single CSV file whose feature columns are named `<modality>_<feature>`. The label
/// column is `class` or `label`; for regression a `target` column comes first.
func loadCSVDataset(path: String, task: LearningTask) throws -> Dataset {
  let table = try readCSV(path: path)
  let names = task == .regression ? ["target", "label", "class"] : ["class", "label"]
  guard let labelColumn = names.lazy.compactMap({ table.columnIndex($0) }).first else {
    throw DataError.missingColumn(
      path: path, column: names.joined(separator: "' or '"), available: table.header)
  }
  let splitColumn = table.columnIndex("split")

  var modalities: [ModalityColumns] = []
  for (index, column) in table.header.enumerated() where index != labelColumn {
    if index == splitColumn { continue }
    guard let underscore = column.firstIndex(of: "_"), underscore != column.startIndex else {
      throw DataError.unrecognizedLayout(
        path: path,
        reason: "column '\(column)' has no modality prefix; name feature columns"
          + " <modality>_<feature>, or describe the file in a dataset.json")
    }
    let modality = String(column[..<underscore])
    if let existing = modalities.firstIndex(where: { $0.name == modality }) {
      modalities[existing].columns.append(index)
    } else {
      modalities.append(ModalityColumns(name: modality, columns: [index]))
    }
  }
  guard !modalities.isEmpty else {
    throw DataError.unrecognizedLayout(path: path, reason: "there are no feature columns")
  }

  let rule = splitColumn == nil ? SplitRule.standard : .column("split")
  let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
  return try dataset(
    from: table, name: name, labelColumn: labelColumn, modalities: modalities, rule: rule,
    source: path, task: task)
}
