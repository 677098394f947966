import Foundation

/// The contents of a data set folder's `dataset.json`.
///
/// ```json
/// { "name": "HTAD", "file": "htad.csv", "label": "class",
///   "modalities": [ {"name": "audio", "columns": "v1_*"},
///                   {"name": "accel", "columns": ["v2_*"]} ],
///   "split": {"rule": "stratified", "folds": 5, "dev": 3, "test": 4},
///   "citation": "...", "terms": "..." }
/// ```
/// `columns` is one pattern or a list of them (`*` any run of characters,
/// `?` one character). `split` may instead be `{"column": "split"}`, and
/// when it is absent `SplitRule.standard` applies. `"task": "regression"` reads the label
/// column as one number per sample.
public struct DatasetManifest: Sendable {
  public var name: String
  public var file: String
  public var label: String
  public var modalities: [(name: String, patterns: [String])]
  public var split: SplitRule
  public var task: LearningTask
  public var citation: String?
  public var terms: String?
}

/// Reads and checks a `dataset.json` manifest.
///
/// - Throws: `DataError.badManifest` naming the key that is missing or wrong.
public func readManifest(path: String) throws -> DatasetManifest {
  func bad(_ reason: String) -> DataError { .badManifest(path: path, reason: reason) }

  let data: Data
  do {
    data = try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw DataError.unreadable(path: path, reason: readFailureReason(path: path, error: error))
  }
  let parsed: Any
  do {
    parsed = try JSONSerialization.jsonObject(with: data)
  } catch {
    throw bad("not valid JSON: \(jsonFailureReason(error, in: data))")
  }
  guard let root = parsed as? [String: Any] else { throw bad("the top level must be an object") }

  func text(_ key: String) throws -> String? {
    guard let value = root[key] else { return nil }
    guard let string = value as? String else { throw bad("'\(key)' must be a string") }
    return string
  }
  guard let file = try text("file") else { throw bad("no 'file' naming the CSV file") }
  guard let label = try text("label") else { throw bad("no 'label' naming the label column") }
  let folderName = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent

  guard let modalityList = root["modalities"] as? [[String: Any]], !modalityList.isEmpty else {
    throw bad("'modalities' must be a non-empty list of {\"name\": ..., \"columns\": ...}")
  }
  var modalities: [(name: String, patterns: [String])] = []
  for (position, entry) in modalityList.enumerated() {
    guard let name = entry["name"] as? String, !name.isEmpty else {
      throw bad("modality \(position + 1) has no 'name'")
    }
    let patterns: [String]
    if let one = entry["columns"] as? String {
      patterns = [one]
    } else if let many = entry["columns"] as? [String], !many.isEmpty {
      patterns = many
    } else {
      throw bad("modality '\(name)' needs 'columns': a pattern or a list of patterns")
    }
    guard !modalities.contains(where: { $0.name == name }) else {
      throw bad("modality '\(name)' is listed twice")
    }
    modalities.append((name, patterns))
  }

  let split = try manifestSplitRule(root["split"], path: path)
  return DatasetManifest(
    name: try text("name") ?? folderName, file: file, label: label, modalities: modalities,
    split: split, task: try manifestTask(root, path: path), citation: try text("citation"),
    terms: try text("terms"))
}

private func manifestSplitRule(_ value: Any?, path: String) throws -> SplitRule {
  func bad(_ reason: String) -> DataError { .badManifest(path: path, reason: reason) }
  guard let value else { return .standard }
  guard let split = value as? [String: Any] else { throw bad("'split' must be an object") }

  if let column = split["column"] {
    guard let name = column as? String else { throw bad("split 'column' must be a string") }
    return .column(name)
  }
  let ruleName = split["rule"] as? String ?? "stratified"
  guard ruleName == "stratified" else {
    throw bad("unknown split rule '\(ruleName)'; use \"stratified\" or a \"column\"")
  }
  func integer(_ key: String, _ standard: Int) throws -> Int {
    guard let raw = split[key] else { return standard }
    guard let number = raw as? NSNumber, let exact = Int(exactly: number.doubleValue) else {
      throw bad("split '\(key)' must be an integer")
    }
    return exact
  }
  let rule = SplitRule.stratified(
    folds: try integer("folds", 5), dev: try integer("dev", 3), test: try integer("test", 4))
  try rule.validate(path: path)
  return rule
}

/// A folder whose `dataset.json` describes one CSV file; `task`, when given, replaces the
/// manifest's.
func loadManifestDataset(
  manifestPath: String, folder: URL, task: LearningTask? = nil
) throws -> Dataset {
  let manifest = try readManifest(path: manifestPath)
  // Appending, not resolving against the folder's URL: a folder reached through a symbolic
  // link must keep its own name as the base of the manifest's relative path.
  let file =
    manifest.file.hasPrefix("/")
    ? manifest.file : folder.appendingPathComponent(manifest.file).standardized.path
  let table = try readCSV(path: file)
  let labelColumn = try table.requiredColumn(manifest.label)

  // Columns that are not features: each names why, for the error if a pattern takes one.
  var reserved = [labelColumn: "the label column"]
  if case .column(let name) = manifest.split {
    let splitColumn = try table.requiredColumn(name)
    if reserved[splitColumn] == nil { reserved[splitColumn] = "the split column" }
  }
  var owners: [Int: String] = [:]
  let modalities = try manifest.modalities.map { modality in
    let columns = columnIndices(matching: modality.patterns, in: table.header, excluding: [])
    guard !columns.isEmpty else {
      throw DataError.emptyModality(
        path: file, modality: modality.name, patterns: modality.patterns)
    }
    for column in columns {
      try checkClaim(
        column, by: modality, owners: owners, reserved: reserved, table: table,
        manifestPath: manifestPath, modalities: manifest.modalities)
      owners[column] = modality.name
    }
    return ModalityColumns(name: modality.name, columns: columns)
  }

  return try dataset(
    from: table, name: manifest.name, labelColumn: labelColumn, modalities: modalities,
    rule: manifest.split, source: folder.path, task: task ?? manifest.task)
}

/// Refuses a feature column that another modality already claimed, or that is the label or
/// split column: a broad pattern such as "*" would otherwise feed one column to two branches,
/// or the answer to the model.
private func checkClaim(
  _ column: Int, by modality: (name: String, patterns: [String]),
  owners: [Int: String], reserved: [Int: String], table: CSVTable, manifestPath: String,
  modalities: [(name: String, patterns: [String])]
) throws {
  let name = table.header[column]
  let file = URL(fileURLWithPath: table.path).lastPathComponent
  func claim(_ claimant: (name: String, patterns: [String])) -> String {
    let pattern = claimant.patterns.first { globMatches($0, name) } ?? ""
    return "'\(claimant.name)' (pattern '\(pattern)')"
  }
  if let role = reserved[column] {
    throw DataError.badManifest(
      path: manifestPath,
      reason: "modality \(claim(modality)) claims column '\(name)' of \(file), which is \(role); "
        + "narrow the modality's column patterns")
  }
  if let owner = owners[column], let first = modalities.first(where: { $0.name == owner }) {
    throw DataError.badManifest(
      path: manifestPath,
      reason: "modalities \(claim(first)) and \(claim(modality)) both claim column '\(name)' "
        + "of \(file); give each column to one modality")
  }
}
