import FuseFormat

/// What the samples of a data set are labelled with, and so what a model of it predicts.
public enum LearningTask: String, Equatable, Sendable, Codable, CaseIterable {
  /// One class per sample, given by name; each branch ends in one logit per class.
  case classification

  /// One number per sample (a sentiment intensity, say); each branch ends in one output.
  case regression

  /// The task a manifest or a `task:` argument names, in any letter case.
  public init?(named name: String) {
    self.init(rawValue: name.lowercased())
  }
}

/// The range and spread of a regression data set's target values.
public struct TargetSummary: Equatable, Sendable {
  public var count: Int
  public var minimum: Double
  public var maximum: Double
  public var mean: Double

  /// The population standard deviation (dividing by n): the MAE-like yardstick that a
  /// model predicting the mean everywhere would have as its root mean squared error.
  public var standardDeviation: Double

  public init(_ targets: [Float]) {
    count = targets.count
    let values = targets.map(Double.init)
    minimum = values.min() ?? .nan
    maximum = values.max() ?? .nan
    let mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    self.mean = mean
    let squares = values.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
    standardDeviation = values.isEmpty ? .nan : (squares / Double(values.count)).squareRoot()
  }
}

extension Dataset {
  /// The width of a model's branch outputs for this data set: one logit per class, or one
  /// value for regression.
  public var outputCount: Int { task == .regression ? 1 : classNames.count }

  /// The target values of every split together, in the order train, dev, test (empty for a
  /// classification data set).
  public var allTargets: [Float] {
    splitNames.flatMap { splits[$0]?.targets ?? [] }
  }
}

/// The split of each sample under a stratified rule for regression: the samples ranked by
/// target value (ties in file order), the k-th of them dealt as `stratifiedAssignment` deals
/// the k-th sample of a class. Every split then spans the whole range of targets.
func rankedAssignment(targets: [Float], folds: Int, dev: Int, test: Int) -> [String] {
  let ranked = targets.indices.sorted { a, b in
    targets[a] != targets[b] ? targets[a] < targets[b] : a < b
  }
  var assignment = Array(repeating: "train", count: targets.count)
  for (rank, sample) in ranked.enumerated() {
    switch rank % folds {
    case dev: assignment[sample] = "dev"
    case test: assignment[sample] = "test"
    default: break
    }
  }
  return assignment
}

extension CSVTable {
  /// The regression target of each row: the column's fields as plain decimal numbers.
  ///
  /// - Throws: `DataError.badTarget` naming the line, column and text of the first field
  ///   that is empty, not a plain decimal number, not finite, or beyond 32-bit floats.
  func targetValues(column: Int) throws -> [Float] {
    try rows.indices.map { rowIndex in
      let text = rows[rowIndex][column]
      guard let value = plainDecimal(text.trimmingWhitespace()), Float(value).isFinite else {
        throw DataError.badTarget(
          path: path, line: lineNumbers[rowIndex], column: column + 1,
          columnName: header[column], text: text)
      }
      return Float(value)
    }
  }
}

/// Target values read from a labels file without columns (`labels.txt`, one per line):
/// each name parsed as a plain decimal number, line numbers from 1.
func targetValues(ofLines names: [String], path: String) throws -> [Float] {
  try names.enumerated().map { index, text in
    guard let value = plainDecimal(text), Float(value).isFinite else {
      throw DataError.badTarget(path: path, line: index + 1, column: 1, columnName: nil, text: text)
    }
    return Float(value)
  }
}

/// Target values of a `labels.npy` array: every element finite in 32-bit floats.
func targetValues(ofArray values: [Double], path: String) throws -> [Float] {
  try values.enumerated().map { position, value in
    guard Float(value).isFinite else {
      let range = value.isFinite ? ", beyond the range of 32-bit floats (about ±3.4e38)" : ""
      throw DataError.inconsistent(
        path: path,
        reason: "target \(position) is \(formatNumber(value))\(range); regression targets "
          + "must be finite numbers")
    }
    return Float(value)
  }
}
