/// One way of turning columns of a CSV table into features.
public enum ColumnFeature: Equatable, Sendable {
  /// The column's value as a number: one feature.
  case number(String)

  /// One-hot over the column's values seen in the train split. With `top`,
  /// only the `top` most frequent train values get a feature of their own and
  /// every other value (seen in train or not) sets an extra `other` feature;
  /// without it, every train value gets a feature and an unseen value is all zeros.
  case category(String, top: Int?)

  /// `to` minus `from`, in seconds, both read as times `hours:minutes:seconds,fraction`.
  case duration(from: String, to: String)

  /// Five cues of a text column's punctuation and casing: the counts of `?`,
  /// `!` and ellipses (`...` or `…`), the share of letters that are upper
  /// case (0 without letters) and the number of words (runs of non-space).
  case textCues(String)

  /// The names of the columns this feature reads.
  public var columns: [String] {
    switch self {
    case .number(let name), .category(let name, _), .textCues(let name): return [name]
    case .duration(let from, let to): return [from, to]
    }
  }
}

/// Column features fitted to a train table: category vocabularies fixed, ready to
/// turn any table with the same columns into a feature matrix.
public struct ColumnFeatureBlock: Sendable {
  public let features: [ColumnFeature]

  /// For each category feature, its values in feature order (`other` last when
  /// `top` is set); nil for the other kinds.
  public let vocabularies: [[String]?]

  /// One name per matrix column: `Utterance_ID`, `Speaker=Joey`, `Speaker=other`,
  /// `EndTime-StartTime`, `Utterance:?`, ...
  public let featureNames: [String]

  /// Fixes the vocabulary of every category feature from the train table.
  ///
  /// Values are ranked by train frequency, ties by name. A train value that is
  /// literally `other` shares the `other` feature when `top` is set.
  ///
  /// - Throws: `DataError.missingColumn` when a column is not in the table, and
  ///   `DataError.inconsistent` when `top` is below 1.
  public static func fit(_ features: [ColumnFeature], on train: CSVTable) throws
    -> ColumnFeatureBlock
  {
    var vocabularies: [[String]?] = []
    var names: [String] = []
    for feature in features {
      let indices = try feature.columns.map { try train.requiredColumn($0) }
      switch feature {
      case .number(let column):
        vocabularies.append(nil)
        names.append(column)
      case .category(let column, let top):
        if let top, top < 1 {
          throw DataError.inconsistent(
            path: train.path, reason: "category '\(column)' needs top of at least 1, got \(top)")
        }
        let vocabulary = categoryVocabulary(
          train.rows.map { $0[indices[0]].trimmingWhitespace() }, top: top)
        vocabularies.append(vocabulary)
        names += vocabulary.map { "\(column)=\($0)" }
      case .duration(let from, let to):
        vocabularies.append(nil)
        names.append("\(to)-\(from)")
      case .textCues(let column):
        vocabularies.append(nil)
        names += TextCues.names.map { "\(column):\($0)" }
      }
    }
    return ColumnFeatureBlock(features: features, vocabularies: vocabularies, featureNames: names)
  }

  /// The feature matrix of a table: one row per table row, `featureNames.count` columns.
  ///
  /// - Throws: `DataError.missingColumn`, `DataError.notANumber` for a number
  ///   column, and `DataError.notATime` for a malformed time.
  public func encode(_ table: CSVTable) throws -> Matrix {
    var matrix = Matrix(rows: table.rows.count, columns: featureNames.count)
    var offset = 0
    for (feature, vocabulary) in zip(features, vocabularies) {
      let indices = try feature.columns.map { try table.requiredColumn($0) }
      switch feature {
      case .number:
        let numbers = try table.numericMatrix(columns: indices)
        for row in 0..<table.rows.count { matrix[row, offset] = numbers.values[row] }
        offset += 1
      case .category(_, let top):
        let vocabulary = vocabulary ?? []
        let position = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, $0) })
        for (row, fields) in table.rows.enumerated() {
          let value = fields[indices[0]].trimmingWhitespace()
          if let index = position[value] {
            matrix[row, offset + index] = 1
          } else if top != nil {
            matrix[row, offset + vocabulary.count - 1] = 1
          }
        }
        offset += vocabulary.count
      case .duration:
        for row in 0..<table.rows.count {
          let start = try table.time(row: row, column: indices[0])
          let end = try table.time(row: row, column: indices[1])
          matrix[row, offset] = Float(end - start)
        }
        offset += 1
      case .textCues:
        for (row, fields) in table.rows.enumerated() {
          let cues = TextCues(fields[indices[0]]).values
          for (index, cue) in cues.enumerated() { matrix[row, offset + index] = cue }
        }
        offset += TextCues.names.count
      }
    }
    return matrix
  }
}

/// The values a category feature one-hot encodes, most frequent first.
func categoryVocabulary(_ values: [String], top: Int?) -> [String] {
  var counts: [String: Int] = [:]
  for value in values { counts[value, default: 0] += 1 }
  let ranked = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
    .map(\.key)
  guard let top else { return ranked }
  return ranked.prefix(top).filter { $0 != "other" } + ["other"]
}

/// Punctuation and casing cues of one piece of text.
struct TextCues {
  static let names = ["?", "!", "...", "upper_share", "words"]

  var questionMarks = 0
  var exclamationMarks = 0
  var ellipses = 0
  var upperShare: Float = 0
  var words = 0

  init(_ text: String) {
    var letters = 0
    var upper = 0
    var inWord = false
    var dotsInRow = 0
    for character in text {
      if character == "." {
        dotsInRow += 1
        // Every run of three dots is one ellipsis: "......" counts two.
        if dotsInRow == 3 {
          ellipses += 1
          dotsInRow = 0
        }
      } else {
        dotsInRow = 0
      }
      switch character {
      case "?": questionMarks += 1
      case "!": exclamationMarks += 1
      case "…": ellipses += 1
      default: break
      }
      if character.isLetter {
        letters += 1
        if character.isUppercase { upper += 1 }
      }
      if character.isWhitespace {
        inWord = false
      } else if !inWord {
        inWord = true
        words += 1
      }
    }
    upperShare = letters == 0 ? 0 : Float(upper) / Float(letters)
  }

  var values: [Float] {
    [Float(questionMarks), Float(exclamationMarks), Float(ellipses), upperShare, Float(words)]
  }
}

extension CSVTable {
  /// The field at a row and column read as a time in seconds.
  func time(row: Int, column: Int) throws -> Double {
    let text = rows[row][column]
    // No real time reaches 1e30 s; beyond 32-bit floats a duration would be infinite.
    guard let seconds = parseTime(text.trimmingWhitespace()), seconds < 1e30 else {
      throw DataError.notATime(
        path: path, line: lineNumbers[row], column: column + 1, columnName: header[column],
        text: text)
    }
    return seconds
  }
}

/// Reads `hours:minutes:seconds` with an optional fraction after `,` or `.`,
/// as subtitle files write times: `00:16:16,059` is 976.059 seconds.
///
/// Hours have one or more digits, minutes and seconds one or two digits below
/// 60. The fraction is decimal, so `,059` is 0.059 s and `,28` is 0.28 s
/// (MELD has three times with two digits; reading them as 28 ms would be the
/// other guess). Returns nil for anything else.
public func parseTime(_ text: String) -> Double? {
  let parts = text.split(separator: ":", omittingEmptySubsequences: false)
  guard parts.count == 3 else { return nil }
  let secondsPart = parts[2].split(
    maxSplits: 1, omittingEmptySubsequences: false, whereSeparator: { $0 == "," || $0 == "." })
  let fields = [parts[0], parts[1], secondsPart[0]] + secondsPart.dropFirst()
  guard fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return nil }
  guard parts[1].count <= 2, secondsPart[0].count <= 2, let hours = Double(parts[0]),
    let minutes = Double(parts[1]), let seconds = Double(secondsPart[0]), minutes < 60,
    seconds < 60
  else { return nil }
  var total = hours * 3600 + minutes * 60 + seconds
  if secondsPart.count == 2, let fraction = Double("0." + secondsPart[1]) { total += fraction }
  return total
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
