import Foundation

/// Reads a manifest (`dataset.json` in a folder, or any `.json` file) and loads
/// the data set it describes: one CSV for every sample when it has `file`, or
/// official split files when it has `splits`.
///
/// `task`, when given, replaces the manifest's own `"task"`.
func loadManifest(at path: String, task: LearningTask? = nil) throws -> Dataset {
  let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
  let root = try readJSONObject(path: path)
  guard root["splits"] != nil else {
    return try loadManifestDataset(manifestPath: path, folder: folder, task: task)
  }
  var layout = try splitFilesLayout(root, path: path)
  if let task { layout.task = task }
  return try loadSplitFiles(layout, source: path)
}

/// The manifest's `"task"`: "classification" (the default) or "regression".
func manifestTask(_ root: [String: Any], path: String) throws -> LearningTask {
  guard let value = root["task"] else { return .classification }
  guard let name = value as? String, let task = LearningTask(named: name) else {
    throw DataError.badManifest(
      path: path, reason: "'task' must be \"classification\" or \"regression\"")
  }
  return task
}

/// The layout a split-files manifest describes, with every path resolved
/// relative to the manifest's folder.
///
/// ```json
/// { "name": "MELD", "label": "Emotion",
///   "splits": "meld/{split}_sent_emo.csv",
///   "modalities": [
///     {"name": "text", "file": "meld_minilm/{split}_minilm.npy", "join": "row"},
///     {"name": "context", "columns": [{"column": "Speaker", "as": "category", "top": 10}]} ] }
/// ```
/// `splits`, `file` and `ids` are a path with `{split}` standing for train,
/// dev and test, or an object with one path per split. `join` is `"row"` (the
/// default) or a list of key columns, which needs `ids`.
public func splitFilesLayout(_ root: [String: Any], path: String) throws -> SplitFilesLayout {
  func bad(_ reason: String) -> DataError { .badManifest(path: path, reason: reason) }
  let folder = URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent()
  func perSplit(_ value: Any?, _ key: String) throws -> [String: String] {
    let resolve = { (file: String) in
      URL(fileURLWithPath: file, relativeTo: folder).absoluteURL.standardized.path
    }
    if let template = value as? String {
      return Dictionary(
        uniqueKeysWithValues: splitNames.map {
          ($0, resolve(template.replacingOccurrences(of: "{split}", with: $0)))
        })
    }
    guard let files = value as? [String: Any] else {
      throw bad(
        "'\(key)' must be a path with {split} or an object {\"train\": ..., \"dev\": ..., \"test\": ...}"
      )
    }
    return try Dictionary(
      uniqueKeysWithValues: splitNames.map { split in
        guard let file = files[split] as? String else { throw bad("'\(key)' has no \(split) path") }
        return (split, resolve(file))
      })
  }

  guard let label = root["label"] as? String else {
    throw bad("no 'label' naming the label column")
  }
  guard let list = root["modalities"] as? [[String: Any]], !list.isEmpty else {
    throw bad("'modalities' must be a non-empty list of objects")
  }
  var modalities: [NamedModalitySource] = []
  for (position, entry) in list.enumerated() {
    guard let name = entry["name"] as? String, !name.isEmpty else {
      throw bad("modality \(position + 1) has no 'name'")
    }
    guard !modalities.contains(where: { $0.name == name }) else {
      throw bad("modality '\(name)' is listed twice")
    }
    if let columns = entry["columns"] {
      guard let items = columns as? [Any], !items.isEmpty else {
        throw bad("modality '\(name)': 'columns' must be a non-empty list")
      }
      let features = try items.map { item in
        do { return try columnFeature(fromJSON: item) } catch let error as ColumnSpecError {
          throw bad("modality '\(name)': \(error.message)")
        }
      }
      modalities.append(NamedModalitySource(name: name, source: .columns(features)))
      continue
    }
    guard let file = entry["file"] ?? entry["files"] else {
      throw bad("modality '\(name)' needs 'file' (a feature file per split) or 'columns'")
    }
    let join: FeatureJoin
    switch entry["join"] {
    case nil: join = .row
    case let word as String where word == "row": join = .row
    case let keys as [String] where !keys.isEmpty: join = .keys(keys)
    default: throw bad("modality '\(name)': 'join' must be \"row\" or a list of key columns")
    }
    var ids: [String: String] = [:]
    if case .keys = join {
      guard entry["ids"] != nil else {
        throw bad("modality '\(name)': a key join needs 'ids', an ids file per split")
      }
      ids = try perSplit(entry["ids"], "ids")
    }
    modalities.append(
      NamedModalitySource(
        name: name, source: .files(paths: try perSplit(file, "file"), join: join, ids: ids)))
  }

  let name =
    root["name"] as? String ?? URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
  return SplitFilesLayout(
    name: name, tables: try perSplit(root["splits"], "splits"), label: label,
    modalities: modalities, task: try manifestTask(root, path: path))
}

/// Why a column feature description was refused.
public struct ColumnSpecError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}

/// A column feature from its JSON-like description: a column name (a number
/// column) or an object `{"column": C, "as": "number" | "category" | "text-cues"}`
/// (`"top": N` for a category), or `{"from": [START, END], "as": "duration"}`.
///
/// Accepts what `JSONSerialization` returns (strings, numbers, arrays, dictionaries).
public func columnFeature(fromJSON entry: Any) throws -> ColumnFeature {
  func bad(_ reason: String) -> ColumnSpecError { ColumnSpecError(message: reason) }
  if let column = entry as? String { return .number(column) }
  guard let spec = entry as? [String: Any] else {
    throw bad("a column feature is a column name or an object with 'column' and 'as'")
  }
  let kind = (spec["as"] as? String) ?? "number"
  if kind == "duration" {
    guard let pair = spec["from"] as? [String], pair.count == 2 else {
      throw bad("a duration needs \"from\": [start column, end column]")
    }
    return .duration(from: pair[0], to: pair[1])
  }
  guard let column = spec["column"] as? String else {
    throw bad("a '\(kind)' feature needs \"column\": a column name")
  }
  switch kind {
  case "number": return .number(column)
  case "text-cues", "text_cues", "cues": return .textCues(column)
  case "category":
    guard let top = spec["top"] else { return .category(column, top: nil) }
    guard let count = wholeNumber(top), count >= 1 else {
      throw bad("category '\(column)': 'top' must be a whole number of at least 1")
    }
    return .category(column, top: count)
  default:
    throw bad(
      "column '\(column)': unknown kind '\(kind)'; use number, category, duration or text-cues")
  }
}

private func wholeNumber(_ value: Any) -> Int? {
  if let integer = value as? Int { return integer }
  if let double = value as? Double { return Int(exactly: double) }
  if let number = value as? NSNumber { return Int(exactly: number.doubleValue) }
  return nil
}

private func readJSONObject(path: String) throws -> [String: Any] {
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
    throw DataError.badManifest(
      path: path, reason: "not valid JSON: \(jsonFailureReason(error, in: data))")
  }
  guard let root = parsed as? [String: Any] else {
    throw DataError.badManifest(path: path, reason: "the top level must be an object")
  }
  return root
}
