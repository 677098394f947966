import Foundation

/// A one-modality data set made from columns of one CSV file.
///
/// The splits come from the file's `split` column when it has one, otherwise
/// from `SplitRule.standard` over the label column. Category vocabularies are
/// fitted on the train rows only.
///
/// - Throws: `DataError` naming the file, line and column of a bad field.
public func columnFeatureDataset(
  file: String, label: String, modality: String, features: [ColumnFeature]
) throws -> Dataset {
  let table = try readCSV(path: file)
  let labelColumn = try table.requiredColumn(label)
  let labelNames = try table.labelNames(column: labelColumn)
  let (classNames, labels) = classIndices(for: labelNames)

  let rule: SplitRule
  let assignment: [String]
  if let splitColumn = table.columnIndex("split") {
    rule = .column("split")
    assignment = try columnAssignment(table: table, column: splitColumn)
  } else {
    rule = .standard
    assignment = stratifiedAssignment(labels: labels, folds: 5, dev: 3, test: 4)
  }

  var train = table
  let trainRows = assignment.indices.filter { assignment[$0] == "train" }
  train.rows = trainRows.map { table.rows[$0] }
  train.lineNumbers = trainRows.map { table.lineNumbers[$0] }
  let block = try ColumnFeatureBlock.fit(features, on: train)
  let matrix = try block.encode(table)

  let splits = try makeSplits(
    features: [matrix], labels: labels, assignment: assignment, source: file,
    rule: rule.description)
  return Dataset(
    name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
    modalities: [Modality(name: modality, dimension: matrix.columns)], classNames: classNames,
    splits: splits, splitRule: rule.description, source: file)
}
