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
  try tableDataset(
    file: file, label: label,
    modalities: [NamedModalitySource(name: modality, source: .columns(features))])
}

/// A data set whose modalities are made from the columns of one CSV file: column features
/// (`.columns`) and text encoded by a sentence encoder (`.text`).
///
/// The splits come from the file's `split` column when it has one, otherwise from
/// `SplitRule.standard` over the label column. Category vocabularies are fitted on the
/// train rows only. Text is encoded last, once the rest has been read without error.
///
/// - Parameters:
///   - embedder: encodes text modalities, reusing a session's encoders and embeddings.
///   - progress: receives the encoding events (split `all`: the file is encoded whole).
/// - Throws: `DataError` naming the file, line and column of a bad field;
///   `DataError.unrecognizedLayout` for a modality of feature files, which one table lacks.
public func tableDataset(
  file: String, label: String, modalities: [NamedModalitySource],
  embedder: TextEmbedder = TextEmbedder(), progress: TextEmbeddingProgress? = nil
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

  var matrices: [Matrix?] = []
  var texts: [(position: Int, builder: TextModalityBuilder, tokens: [[Int]])] = []
  for modality in modalities {
    switch modality.source {
    case .columns(let features):
      let block = try ColumnFeatureBlock.fit(features, on: train)
      matrices.append(try block.encode(table))
    case .text(let column, let options):
      var builder = try TextModalityBuilder(
        name: modality.name, column: column, options: options, embedder: embedder,
        tables: [table])
      texts.append((matrices.count, builder, try builder.tokenize(table)))
      matrices.append(nil)
    case .files:
      throw DataError.unrecognizedLayout(
        path: file, reason: "modality '\(modality.name)' needs feature files, not one table")
    }
  }
  // Fail on an empty split before minutes of encoding.
  _ = try makeSplits(
    features: [], labels: labels, assignment: assignment, source: file, rule: rule.description)

  var tokenIDs: [String: [[Int]]] = [:]
  var textModalities: [String: TextModalityDescription] = [:]
  for (position, builder, tokens) in texts {
    matrices[position] = try builder.embed(
      tokens, split: "all", embedder: embedder, progress: progress)
    tokenIDs[builder.name] = tokens
    textModalities[builder.name] = builder.description
  }

  let features = matrices.map { $0! }
  let splits = try makeSplits(
    features: features, labels: labels, assignment: assignment, source: file,
    rule: rule.description, tokenIDs: tokenIDs)
  var dataset = Dataset(
    name: URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent,
    modalities: zip(modalities, features).map {
      Modality(name: $0.name, dimension: $1.columns)
    },
    classNames: classNames, splits: splits, splitRule: rule.description, source: file)
  dataset.textModalities = textModalities
  return dataset
}
