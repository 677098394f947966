/// The names of the three splits every data set has, in the order they are shown.
public let splitNames = ["train", "dev", "test"]

/// A rule that puts every sample of one table into a split.
public enum SplitRule: Equatable, Sendable {
  /// Within each class, the k-th sample in file order (k from 0) goes to dev
  /// when `k % folds == dev`, to test when `k % folds == test`, otherwise to train.
  case stratified(folds: Int, dev: Int, test: Int)

  /// The split of each row is the value of this column: train, dev or test.
  case column(String)

  /// The rule FuseLab uses when a data set does not give one.
  public static let standard = SplitRule.stratified(folds: 5, dev: 3, test: 4)

  /// The rule in words a user can check by hand, for a classification data set.
  public var description: String { description(for: .classification) }

  /// The rule in words a user can check by hand. For regression a stratified rule ranks the
  /// samples by target, since there are no classes to stratify by.
  public func description(for task: LearningTask) -> String {
    switch (self, task) {
    case (.stratified(let folds, let dev, let test), .classification):
      return "stratified by class in file order: within each class the k-th sample"
        + " (k from 0) goes to dev when k % \(folds) == \(dev), to test when"
        + " k % \(folds) == \(test), otherwise to train"
    case (.stratified(let folds, let dev, let test), .regression):
      return "stratified by target: with the samples ranked by target value (ties in file"
        + " order), the k-th (k from 0) goes to dev when k % \(folds) == \(dev), to test when"
        + " k % \(folds) == \(test), otherwise to train"
    case (.column(let name), _):
      return "given by the column '\(name)' (train, dev or test on each row)"
    }
  }

  /// Checks the numbers of a stratified rule; `path` names the manifest in errors.
  func validate(path: String) throws {
    guard case .stratified(let folds, let dev, let test) = self else { return }
    guard folds >= 3 else {
      throw DataError.badManifest(
        path: path, reason: "split 'folds' must be at least 3 (train, dev and test), got \(folds)")
    }
    guard (0..<folds).contains(dev), (0..<folds).contains(test), dev != test else {
      throw DataError.badManifest(
        path: path,
        reason: "split 'dev' and 'test' must be different folds in 0..<\(folds),"
          + " got dev \(dev) and test \(test)")
    }
  }
}

/// The split of each sample under a stratified rule, from the samples' class indices.
func stratifiedAssignment(labels: [Int], folds: Int, dev: Int, test: Int) -> [String] {
  var seenPerClass: [Int: Int] = [:]
  return labels.map { label in
    let k = seenPerClass[label, default: 0]
    seenPerClass[label] = k + 1
    switch k % folds {
    case dev: return "dev"
    case test: return "test"
    default: return "train"
    }
  }
}

/// The split named on each row of a split column; accepts any letter case and
/// "val", "valid" or "validation" for dev.
func columnAssignment(table: CSVTable, column: Int) throws -> [String] {
  try table.rows.enumerated().map { rowIndex, row in
    switch row[column].trimmingWhitespace().lowercased() {
    case "train": return "train"
    case "dev", "val", "valid", "validation": return "dev"
    case "test": return "test"
    default:
      throw DataError.malformedCSV(
        path: table.path, line: table.lineNumbers[rowIndex], column: column + 1,
        reason: "split column '\(table.header[column])' holds '\(row[column])';"
          + " expected train, dev or test")
    }
  }
}

/// Gathers the rows of each split, keeping file order, and checks that none is empty.
/// `labels` are the class indices of a classification table, `targets` the values of a
/// regression one; the other is empty. `tokenIDs` are a text modality's ids, by modality.
func makeSplits(
  features: [Matrix], labels: [Int], targets: [Float] = [], assignment: [String],
  source: String, rule: String, tokenIDs: [String: [[Int]]] = [:]
) throws -> [String: DataSplit] {
  var rowsOfSplit: [String: [Int]] = [:]
  for (row, split) in assignment.enumerated() { rowsOfSplit[split, default: []].append(row) }

  var splits: [String: DataSplit] = [:]
  for name in splitNames {
    let rows = rowsOfSplit[name] ?? []
    guard !rows.isEmpty else { throw DataError.emptySplit(source: source, split: name, rule: rule) }
    let matrices = features.map { $0.rows(rows) }
    var split =
      targets.isEmpty
      ? DataSplit(features: matrices, labels: rows.map { labels[$0] })
      : DataSplit(features: matrices, targets: rows.map { targets[$0] })
    split.tokenIDs = tokenIDs.mapValues { tokens in rows.map { tokens[$0] } }
    splits[name] = split
  }
  return splits
}
