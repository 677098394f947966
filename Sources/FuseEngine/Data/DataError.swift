/// Why a data file or data set folder could not be read.
///
/// Every case names the file, and the line, column, byte offset or value
/// where the problem is, so that the message alone is enough to fix it.
public enum DataError: Error, Equatable, CustomStringConvertible {
  /// The path does not exist or cannot be read.
  case unreadable(path: String, reason: String)

  /// A `.npy` file is damaged: bad magic, a header that does not parse,
  /// too few data bytes. `offset` is the byte offset of the problem when known.
  case malformedNumpy(path: String, offset: Int?, reason: String)

  /// A `.npy` file holds an array FuseLab cannot use as numbers.
  case unsupportedNumpyType(path: String, dtype: String, reason: String)

  /// A CSV file breaks RFC 4180 at this line and column (both from 1).
  case malformedCSV(path: String, line: Int, column: Int, reason: String)

  /// A field that must be a finite number is not, or is too large for a 32-bit float.
  case notANumber(path: String, line: Int, column: Int, columnName: String, text: String)

  /// A regression target is not a finite number that a 32-bit float holds. `columnName` is
  /// nil for a file without columns (`labels.txt`).
  case badTarget(path: String, line: Int, column: Int, columnName: String?, text: String)

  /// A label field is empty (or only spaces): every sample needs a class name.
  case emptyLabel(path: String, line: Int, column: Int, columnName: String)

  /// A `labels.txt` file has a blank line; only the line break that ends the file may be
  /// followed by nothing.
  case blankLabelLine(path: String, line: Int)

  /// A `dataset.json` manifest is missing a key or has a value of the wrong kind.
  case badManifest(path: String, reason: String)

  /// A column the data set needs is not in the file's header.
  case missingColumn(path: String, column: String, available: [String])

  /// A modality's column patterns match no column.
  case emptyModality(path: String, modality: String, patterns: [String])

  /// A split has no samples once the split rule was applied.
  case emptySplit(source: String, split: String, rule: String)

  /// Files that must agree (features and labels, one split and another) do not.
  case inconsistent(path: String, reason: String)

  /// The path is neither a data set folder nor a file FuseLab can read as one.
  case unrecognizedLayout(path: String, reason: String)

  /// A field that must be a time such as `00:16:16,059` is not.
  case notATime(path: String, line: Int, column: Int, columnName: String, text: String)

  /// A feature file cannot be joined to its split's table: rows missing, a key
  /// missing or repeated. `path` is the file at fault.
  case badJoin(split: String, path: String, reason: String)

  /// A text a sentence encoder is to read is empty, or has nothing its tokenizer keeps.
  case emptyText(path: String, line: Int, column: Int, columnName: String, text: String)

  /// A file with a column for a sentence encoder is not valid UTF-8: `byte` at this line
  /// and column (in characters) starts no UTF-8 character.
  case notUTF8(path: String, line: Int, column: Int, byte: UInt8, textColumn: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "\(path): cannot read: \(reason)"
    case .malformedNumpy(let path, let offset, let reason):
      let place = offset.map { " at byte \($0)" } ?? ""
      return "\(path): not a valid .npy file\(place): \(reason)"
    case .unsupportedNumpyType(let path, let dtype, let reason):
      return "\(path): unsupported .npy dtype '\(dtype)': \(reason)"
    case .malformedCSV(let path, let line, let column, let reason):
      return "\(path):\(line):\(column): \(reason)"
    case .notANumber(let path, let line, let column, let columnName, let text):
      let shown = shownField(text)
      let place = "\(path):\(line): column \(column) ('\(columnName)')"
      let trimmed = text.trimmingWhitespace()
      if let number = plainDecimal(trimmed), number.isFinite {
        return "\(place): \(shown) is beyond the range of 32-bit floats (about ±3.4e38)"
      }
      let unsigned = trimmed.lowercased().drop { $0 == "+" || $0 == "-" }
      if ["nan", "inf", "infinity"].contains(unsigned) {
        return "\(place): \(shown) is not a finite number; NaN or infinite features would make"
          + " the loss NaN"
      }
      return "\(place): \(shown) is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"
    case .badTarget(let path, let line, let column, let columnName, let text):
      let place = "\(path):\(line): column \(column)" + (columnName.map { " ('\($0)')" } ?? "")
      let trimmed = text.trimmingWhitespace()
      let unsigned = trimmed.lowercased().drop { $0 == "+" || $0 == "-" }
      let problem: String
      if let number = plainDecimal(trimmed), number.isFinite {
        problem = "is beyond the range of 32-bit floats (about ±3.4e38)"
      } else if ["nan", "inf", "infinity"].contains(unsigned) {
        problem = "is not a finite number"
      } else {
        problem = "is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"
      }
      guard !text.isEmpty else {
        return "\(place): the regression target is empty; every sample needs a number"
      }
      return "\(place): the regression target \(shownField(text)) \(problem)"
    case .emptyLabel(let path, let line, let column, let columnName):
      return "\(path):\(line): column \(column) ('\(columnName)'): the label is empty;"
        + " every sample needs a class name"
    case .blankLabelLine(let path, let line):
      return "\(path):\(line): the line is blank; every sample needs a class name, one per"
        + " line, with no blank lines"
    case .badManifest(let path, let reason):
      return "\(path): \(reason)"
    case .missingColumn(let path, let column, let available):
      let listed = available.prefix(12).joined(separator: ", ")
      let more = available.count > 12 ? ", ..." : ""
      // A classification load looks for labels; a 'target' column says numbers were meant.
      let regression =
        available.contains("target") && column.contains("class") && !column.contains("target")
        ? "; 'target' is a regression target: load the file with task \"regression\"" : ""
      return "\(path): no column '\(column)' (columns: \(listed)\(more))\(regression)"
    case .emptyModality(let path, let modality, let patterns):
      let listed = patterns.map { "'\($0)'" }.joined(separator: ", ")
      return "\(path): modality '\(modality)' has no columns: \(listed) matched none"
    case .emptySplit(let source, let split, let rule):
      return "\(source): split '\(split)' has no samples (\(rule))"
    case .inconsistent(let path, let reason):
      return "\(path): \(reason)"
    case .unrecognizedLayout(let path, let reason):
      return "\(path): not a data set: \(reason)"
    case .notATime(let path, let line, let column, let columnName, let text):
      let shown = shownField(text)
      return "\(path):\(line): column \(column) ('\(columnName)'): \(shown) is not a time"
        + " hours:minutes:seconds,milliseconds such as 00:16:16,059"
    case .badJoin(let split, let path, let reason):
      return "\(path): split '\(split)': \(reason)"
    case .emptyText(let path, let line, let column, let columnName, let text):
      let problem =
        text.trimmingWhitespace().isEmpty
        ? "the text is empty"
        : "the text \(shownField(text)) holds nothing the tokenizer keeps (only control or"
          + " zero-width characters)"
      return "\(path):\(line): column \(column) ('\(columnName)'): \(problem); every sample"
        + " of a text modality needs words to encode"
    case .notUTF8(let path, let line, let column, let byte, let textColumn):
      let hex = String(byte, radix: 16, uppercase: true)
      return "\(path):\(line):\(column): byte 0x\(hex.count < 2 ? "0" + hex : hex) is not UTF-8;"
        + " the text column '\(textColumn)' goes to a sentence encoder, which reads UTF-8"
        + " only: save the file as UTF-8"
    }
  }
}

/// A field's text for a message, in quotes, with control characters written as escapes
/// (`'1\0garbage'`), so that a NUL or a tab is seen rather than swallowed by the terminal.
private func shownField(_ text: String) -> String {
  guard !text.isEmpty else { return "an empty field" }
  var shown = ""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\0": shown += "\\0"
    case "\t": shown += "\\t"
    case "\n": shown += "\\n"
    case "\r": shown += "\\r"
    case _ where scalar.properties.generalCategory == .control:
      shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    default: shown.unicodeScalars.append(scalar)
    }
  }
  return "'\(shown)'"
}
