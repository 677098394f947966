import Foundation
import FuseFormat

/// Where one modality's features come from in a data set of official split files.
public enum ModalitySource: Sendable {
  /// One feature file per split (`.npy` or `.csv`), joined to the split's table;
  /// a key join also names one ids file per split.
  case files(paths: [String: String], join: FeatureJoin, ids: [String: String])

  /// Columns of each split's table turned into features, vocabularies from train.
  case columns([ColumnFeature])

  /// The sentence embeddings of a text column of each split's table, by a pretrained
  /// encoder; the token ids are kept in the splits too (`DataSplit.tokenIDs`).
  case text(column: String, encoder: SentenceEncoderOptions)
}

/// A data set whose official splits are one CSV file each (MELD's layout):
/// labels and column features from the tables, other modalities from feature files.
public struct SplitFilesLayout: Sendable {
  public var name: String

  /// The CSV file of each split, by split name: train, dev and test.
  public var tables: [String: String]

  /// The label column, present in every table.
  public var label: String

  /// The modalities in order, each with where its features come from.
  public var modalities: [NamedModalitySource]

  /// Classification reads the label column as class names, regression as numbers.
  public var task: LearningTask

  public init(
    name: String, tables: [String: String], label: String, modalities: [NamedModalitySource],
    task: LearningTask = .classification
  ) {
    self.name = name
    self.tables = tables
    self.label = label
    self.modalities = modalities
    self.task = task
  }
}

/// A modality's name and where its features come from.
public struct NamedModalitySource: Sendable {
  public var name: String
  public var source: ModalitySource

  public init(name: String, source: ModalitySource) {
    self.name = name
    self.source = source
  }
}

/// Loads a data set of official split files.
///
/// Each split's table gives the samples, in file order, and their labels; class
/// names are those seen in any split, sorted as `loadDataset(at:)` sorts them.
/// Column features are fitted on the train table (see `ColumnFeatureBlock`);
/// feature files are joined to their table with `joinFeatures`; text modalities are
/// encoded by `embedder`, last, once everything else has been read without error.
///
/// - Parameters:
///   - source: the manifest or folder the layout came from, for messages.
///   - embedder: encodes text modalities, reusing a session's encoders and embeddings.
///   - progress: receives the text modalities' encoding events; false stops them.
/// - Throws: `DataError` naming the file, and for a join the split and the key or counts;
///   `EngineError.interrupted` when `progress` stops the encoding.
public func loadSplitFiles(
  _ layout: SplitFilesLayout, source: String, embedder: TextEmbedder = TextEmbedder(),
  progress: TextEmbeddingProgress? = nil
) throws -> Dataset {
  var tables: [String: CSVTable] = [:]
  for split in splitNames {
    guard let path = layout.tables[split] else {
      throw DataError.unrecognizedLayout(path: source, reason: "no file for the \(split) split")
    }
    let table = try readCSV(path: path)
    guard !table.rows.isEmpty else {
      throw DataError.emptySplit(source: path, split: split, rule: "the file has no data rows")
    }
    tables[split] = table
  }
  let train = tables["train"]!

  var features: [String: [Matrix]] = Dictionary(uniqueKeysWithValues: splitNames.map { ($0, []) })
  var modalities: [Modality] = []
  var texts: [(position: Int, builder: TextModalityBuilder, tokens: [String: [[Int]]])] = []
  for modality in layout.modalities {
    if case .text(let column, let options) = modality.source {
      var builder = try TextModalityBuilder(
        name: modality.name, column: column, options: options, embedder: embedder,
        tables: splitNames.map { tables[$0]! })
      var tokens: [String: [[Int]]] = [:]
      for split in splitNames { tokens[split] = try builder.tokenize(tables[split]!) }
      texts.append((modalities.count, builder, tokens))
      modalities.append(Modality(name: modality.name, dimension: builder.width))
      continue
    }
    var trainWidth: Int?
    let block: ColumnFeatureBlock?
    if case .columns(let columns) = modality.source {
      block = try ColumnFeatureBlock.fit(columns, on: train)
    } else {
      block = nil
    }
    for split in splitNames {
      let table = tables[split]!
      let (matrix, path) = try modalityMatrix(
        modality.source, block: block, table: table, split: split)
      if let trainWidth, matrix.columns != trainWidth {
        throw DataError.inconsistent(
          path: path,
          reason:
            "modality '\(modality.name)' has \(counted(matrix.columns, "feature")) per sample in"
            + " the \(split) split, but \(trainWidth) in train")
      }
      trainWidth = trainWidth ?? matrix.columns
      features[split]!.append(matrix)
    }
    modalities.append(Modality(name: modality.name, dimension: trainWidth ?? 0))
  }

  var (classNames, splits) = try labeledSplits(layout, tables: tables, features: features)

  var textModalities: [String: TextModalityDescription] = [:]
  for (position, builder, tokens) in texts {
    for split in splitNames {
      let embeddings = try builder.embed(
        tokens[split]!, split: split, embedder: embedder, progress: progress)
      splits[split]!.features.insert(embeddings, at: position)
      splits[split]!.tokenIDs[builder.name] = tokens[split]!
    }
    textModalities[builder.name] = builder.description
  }

  let files = splitNames.map {
    "\($0) \(URL(fileURLWithPath: layout.tables[$0]!).lastPathComponent)"
  }
  var dataset = Dataset(
    name: layout.name, modalities: modalities, classNames: classNames, splits: splits,
    splitRule: "official split files: " + files.joined(separator: ", "), source: source,
    task: layout.task)
  dataset.textModalities = textModalities
  return dataset
}

/// The splits with their labels (or targets) and the features read so far, and the class
/// names of a classification layout.
private func labeledSplits(
  _ layout: SplitFilesLayout, tables: [String: CSVTable], features: [String: [Matrix]]
) throws -> (classNames: [String], splits: [String: DataSplit]) {
  var classNames: [String] = []
  var splits: [String: DataSplit] = [:]
  switch layout.task {
  case .classification:
    let labelNames = try splitNames.map { split in
      let table = tables[split]!
      return try table.labelNames(column: try table.requiredColumn(layout.label))
    }
    classNames = classIndices(for: labelNames.flatMap { $0 }).classNames
    let indexOfName = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
    for (split, names) in zip(splitNames, labelNames) {
      splits[split] = DataSplit(
        features: features[split]!, labels: names.map { indexOfName[$0]! })
    }
  case .regression:
    for split in splitNames {
      let table = tables[split]!
      splits[split] = DataSplit(
        features: features[split]!,
        targets: try table.targetValues(column: try table.requiredColumn(layout.label)))
    }
  }
  return (classNames, splits)
}

/// One split's matrix for one modality, and the file it came from.
private func modalityMatrix(
  _ source: ModalitySource, block: ColumnFeatureBlock?, table: CSVTable, split: String
) throws -> (Matrix, String) {
  switch source {
  case .columns:
    return (try block!.encode(table), table.path)
  case .text:
    preconditionFailure("text modalities are encoded by loadSplitFiles itself")
  case .files(let paths, let join, let idPaths):
    guard let path = paths[split] else {
      throw DataError.unrecognizedLayout(
        path: table.path, reason: "no feature file for the \(split) split")
    }
    let matrix = try readFeatureMatrix(path: path)
    var ids: CSVTable?
    if case .keys = join {
      guard let idPath = idPaths[split] else {
        throw DataError.badJoin(
          split: split, path: path, reason: "a key join needs an ids file for this split")
      }
      ids = try readCSV(path: idPath)
    }
    let joined = try joinFeatures(
      matrix, featurePath: path, to: table, split: split, join: join, ids: ids)
    return (joined, path)
  }
}
