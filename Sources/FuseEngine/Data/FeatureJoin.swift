import FuseFormat

/// How the rows of a modality's feature file line up with the rows of its split's table.
public enum FeatureJoin: Equatable, Sendable {
  /// Row i of the feature file belongs to data row i of the table.
  case row

  /// Row i of the feature file belongs to the table row with the key on data
  /// row i of an ids file: a CSV with these key columns, one row per feature row.
  case keys([String])
}

/// The feature rows reordered to follow the table's rows.
///
/// A key join compares key fields as text with surrounding spaces trimmed, so
/// `7` and `07` are different keys. Keys must be unique in the ids file and in
/// the table, and every table key must be in the ids file; ids rows whose key
/// the table does not have are left out (a feature file may cover more samples
/// than the table labels).
///
/// - Parameters:
///   - features: the feature file's matrix, read from `featurePath`.
///   - table: the split's table; its rows are the samples.
///   - split: the split's name, for messages.
///   - ids: the ids file of a key join; unused by a row join.
/// - Throws: `DataError.badJoin` naming the split, the file at fault and the
///   row counts or the key (with its line) that do not fit.
public func joinFeatures(
  _ features: Matrix, featurePath: String, to table: CSVTable, split: String, join: FeatureJoin,
  ids: CSVTable? = nil
) throws -> Matrix {
  switch join {
  case .row:
    guard features.rows == table.rows.count else {
      throw DataError.badJoin(
        split: split, path: featurePath,
        reason: "has \(counted(features.rows, "row")) but \(table.path) has "
          + counted(table.rows.count, "data row")
          + " (a row join needs one feature row per table row)")
    }
    return features

  case .keys(let keyColumns):
    guard let ids else {
      throw DataError.badJoin(
        split: split, path: featurePath, reason: "a key join needs an ids file")
    }
    guard features.rows == ids.rows.count else {
      throw DataError.badJoin(
        split: split, path: featurePath,
        reason: "has \(counted(features.rows, "row")) but its ids file \(ids.path) has "
          + counted(ids.rows.count, "data row"))
    }
    let idRows = try uniqueKeys(in: ids, columns: keyColumns, split: split)
    try uniqueKeys(in: table, columns: keyColumns, split: split)

    let tableKeys = try keyList(of: table, columns: keyColumns)
    var order: [Int] = []
    order.reserveCapacity(tableKeys.count)
    var missing: [Int] = []
    for (row, key) in tableKeys.enumerated() {
      if let featureRow = idRows[key] { order.append(featureRow) } else { missing.append(row) }
    }
    if let first = missing.first {
      let others = missing.count > 1 ? "; \(missing.count) table keys are missing in all" : ""
      throw DataError.badJoin(
        split: split, path: ids.path,
        reason: "has no row for key \(describeKey(tableKeys[first], keyColumns))"
          + " of \(table.path) line \(table.lineNumbers[first])\(others)")
    }
    return features.rows(order)
  }
}

/// Each row's key: the trimmed fields of the key columns.
private func keyList(of table: CSVTable, columns: [String]) throws -> [[String]] {
  let indices = try columns.map { try table.requiredColumn($0) }
  return table.rows.map { row in indices.map { row[$0].trimmingWhitespace() } }
}

/// The row of each key, checking that no key appears twice.
@discardableResult
private func uniqueKeys(in table: CSVTable, columns: [String], split: String) throws
  -> [[String]: Int]
{
  var rowOfKey: [[String]: Int] = [:]
  for (row, key) in try keyList(of: table, columns: columns).enumerated() {
    if let earlier = rowOfKey[key] {
      throw DataError.badJoin(
        split: split, path: table.path,
        reason: "key \(describeKey(key, columns)) appears twice, on lines"
          + " \(table.lineNumbers[earlier]) and \(table.lineNumbers[row])")
    }
    rowOfKey[key] = row
  }
  return rowOfKey
}

/// A key as messages show it: `(Dialogue_ID=3, Utterance_ID=7)`.
func describeKey(_ key: [String], _ columns: [String]) -> String {
  "(" + zip(columns, key).map { "\($0)=\($1)" }.joined(separator: ", ") + ")"
}
