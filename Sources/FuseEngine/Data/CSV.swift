import Foundation

/// A CSV file read into strings: a header row and the data rows below it.
public struct CSVTable: Sendable {
  /// The column names from the first row.
  public var header: [String]

  /// The data rows; every row has `header.count` fields.
  public var rows: [[String]]

  /// The file the table was read from, for error messages.
  public var path: String

  /// The line (from 1) on which each data row starts, for error messages.
  public var lineNumbers: [Int]

  /// The file's encoding: UTF-8, or Windows-1252 when the bytes are not valid UTF-8.
  public var encoding: TextEncoding

  public init(
    header: [String], rows: [[String]], path: String, lineNumbers: [Int]? = nil,
    encoding: TextEncoding = .utf8
  ) {
    self.header = header
    self.rows = rows
    self.path = path
    self.lineNumbers = lineNumbers ?? rows.indices.map { $0 + 2 }
    self.encoding = encoding
  }

  /// The index of the column with this exact name, if there is one.
  public func columnIndex(_ name: String) -> Int? {
    header.firstIndex(of: name)
  }
}

/// Reads a CSV file with a header row, as RFC 4180 describes.
///
/// Fields are separated by commas and rows by CRLF, LF or CR. A field in
/// double quotes may hold commas, line breaks and doubled quotes (`""` is one
/// `"`). A quote inside an unquoted field is kept as text. Blank lines are
/// skipped. A UTF-8 byte order mark is dropped; a file that is not valid
/// UTF-8 is read as Windows-1252 (see `CSVTable.encoding`).
///
/// - Throws: `DataError.unreadable` when the file cannot be read, and
///   `DataError.malformedCSV` naming the line and column of an unterminated
///   quote, text after a closing quote, a row with more or fewer fields than
///   the header, or a file without a header.
public func readCSV(path: String) throws -> CSVTable {
  let data: Data
  do {
    data = try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw DataError.unreadable(path: path, reason: readFailureReason(path: path, error: error))
  }
  return try parseCSV(bytes: [UInt8](data), path: path)
}

/// Parses CSV text already in memory; `path` only names it in errors.
public func parseCSV(text: String, path: String) throws -> CSVTable {
  try parseCSV(bytes: Array(text.utf8), path: path)
}

func parseCSV(bytes raw: [UInt8], path: String) throws -> CSVTable {
  let (bytes, encoding) = utf8Text(raw)
  var records = CSVRecordReader(bytes: bytes, path: path)

  guard let headerRecord = try records.next() else {
    throw DataError.malformedCSV(path: path, line: 1, column: 1, reason: "the file is empty")
  }
  let header = headerRecord.fields
  var rows: [[String]] = []
  var lineNumbers: [Int] = []
  while let record = try records.next() {
    guard record.fields.count == header.count else {
      let column: Int
      let reason: String
      if record.fields.count > header.count {
        column = record.fieldColumns[header.count]
        reason = "row has \(record.fields.count) fields, the header has \(header.count)"
      } else {
        column = record.endColumn
        reason =
          "row has \(record.fields.count) fields, the header has \(header.count)"
          + " (missing '\(header[record.fields.count])')"
      }
      throw DataError.malformedCSV(path: path, line: record.line, column: column, reason: reason)
    }
    rows.append(record.fields)
    lineNumbers.append(record.line)
  }
  return CSVTable(
    header: header, rows: rows, path: path, lineNumbers: lineNumbers, encoding: encoding)
}

/// One row as the reader found it, with where each field starts.
struct CSVRecord {
  var fields: [String]
  var line: Int
  var fieldColumns: [Int]
  var endColumn: Int
}

/// Splits UTF-8 bytes into CSV records, tracking line and character column.
struct CSVRecordReader {
  private let bytes: [UInt8]
  private let path: String
  private var position = 0
  private var line = 1
  private var column = 1

  init(bytes: [UInt8], path: String) {
    self.bytes = bytes
    self.path = path
  }

  private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
  private static let newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")

  /// Moves past one byte; columns count characters, so continuation bytes do not count.
  private mutating func advance() {
    position += 1
    if position < bytes.count, bytes[position] & 0xC0 == 0x80 { return }
    column += 1
  }

  /// Moves past a line break (CRLF, LF or CR) at the current position.
  private mutating func skipLineBreak() {
    if bytes[position] == Self.carriageReturn, position + 1 < bytes.count,
      bytes[position + 1] == Self.newline
    {
      position += 1
    }
    position += 1
    line += 1
    column = 1
  }

  private func atLineBreak() -> Bool {
    position < bytes.count
      && (bytes[position] == Self.newline || bytes[position] == Self.carriageReturn)
  }

  mutating func next() throws -> CSVRecord? {
    // Blank lines hold no record.
    while atLineBreak() { skipLineBreak() }
    guard position < bytes.count else { return nil }

    var record = CSVRecord(fields: [], line: line, fieldColumns: [], endColumn: 1)
    while true {
      record.fieldColumns.append(column)
      record.fields.append(try readField())
      if position < bytes.count, bytes[position] == Self.comma {
        advance()
        continue
      }
      record.endColumn = column
      if position < bytes.count { skipLineBreak() }
      return record
    }
  }

  private mutating func readField() throws -> String {
    guard position < bytes.count, bytes[position] == Self.quote else {
      let start = position
      while position < bytes.count, bytes[position] != Self.comma, !atLineBreak() { advance() }
      return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    let openLine = line
    let openColumn = column
    advance()
    var field: [UInt8] = []
    while true {
      guard position < bytes.count else {
        throw DataError.malformedCSV(
          path: path, line: openLine, column: openColumn,
          reason: "the quoted field opened here is never closed")
      }
      let byte = bytes[position]
      if byte == Self.quote {
        if position + 1 < bytes.count, bytes[position + 1] == Self.quote {
          field.append(Self.quote)
          advance()
          advance()
          continue
        }
        advance()
        break
      }
      if byte == Self.newline || byte == Self.carriageReturn {
        field.append(byte)
        position += 1
        // A CR LF pair inside quotes is one line break.
        if byte == Self.carriageReturn, position < bytes.count, bytes[position] == Self.newline {
          field.append(Self.newline)
          position += 1
        }
        line += 1
        column = 1
        continue
      }
      field.append(byte)
      advance()
    }

    guard position >= bytes.count || bytes[position] == Self.comma || atLineBreak() else {
      throw DataError.malformedCSV(
        path: path, line: line, column: column,
        reason: "unexpected text after the closing quote (a quote inside a quoted field"
          + " must be doubled: \"\")")
    }
    return String(decoding: field, as: UTF8.self)
  }
}
