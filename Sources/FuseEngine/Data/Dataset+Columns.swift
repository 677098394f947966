/// Whether a column name matches a pattern where `*` is any run of characters
/// and `?` is any one character; everything else matches itself.
func globMatches(_ pattern: String, _ name: String) -> Bool {
  let pattern = Array(pattern)
  let name = Array(name)
  var p = 0
  var n = 0
  var starPattern = -1
  var starName = 0
  while n < name.count {
    if p < pattern.count, pattern[p] == "?" || pattern[p] == name[n] {
      p += 1
      n += 1
    } else if p < pattern.count, pattern[p] == "*" {
      starPattern = p
      starName = n
      p += 1
    } else if starPattern >= 0 {
      // Let the last star swallow one more character and retry.
      p = starPattern + 1
      starName += 1
      n = starName
    } else {
      return false
    }
  }
  while p < pattern.count, pattern[p] == "*" { p += 1 }
  return p == pattern.count
}

/// The indices of the columns matching any of the patterns, in header order.
func columnIndices(
  matching patterns: [String], in header: [String], excluding excluded: Set<Int>
) -> [Int] {
  header.indices.filter { index in
    !excluded.contains(index) && patterns.contains { globMatches($0, header[index]) }
  }
}

extension CSVTable {
  /// The given columns parsed as plain decimal numbers (see `plainDecimal`), one matrix
  /// row per table row.
  ///
  /// - Throws: `DataError.notANumber` naming the line, column and text of the first field
  ///   that is empty, not a plain decimal number, or beyond 32-bit floats.
  func numericMatrix(columns: [Int]) throws -> Matrix {
    var matrix = Matrix(rows: rows.count, columns: columns.count)
    for (rowIndex, row) in rows.enumerated() {
      for (position, column) in columns.enumerated() {
        let text = row[column]
        guard let value = plainDecimal(text.trimmingWhitespace()), Float(value).isFinite else {
          throw DataError.notANumber(
            path: path, line: lineNumbers[rowIndex], column: column + 1,
            columnName: header[column], text: text)
        }
        matrix.values[rowIndex * columns.count + position] = Float(value)
      }
    }
    return matrix
  }

  /// The class name of each row: the label column's fields without surrounding whitespace.
  ///
  /// - Throws: `DataError.emptyLabel` naming the line of the first empty label.
  func labelNames(column: Int) throws -> [String] {
    try rows.indices.map { rowIndex in
      let name = rows[rowIndex][column].trimmingWhitespace()
      guard !name.isEmpty else {
        throw DataError.emptyLabel(
          path: path, line: lineNumbers[rowIndex], column: column + 1, columnName: header[column])
      }
      return name
    }
  }

  /// The index of a column that must exist.
  func requiredColumn(_ name: String) throws -> Int {
    guard let index = columnIndex(name) else {
      throw DataError.missingColumn(path: path, column: name, available: header)
    }
    return index
  }
}

/// The number a feature field holds when it is written as a plain decimal: an optional sign,
/// digits with an optional decimal point, and an optional exponent (`12`, `-0.5`, `.5`,
/// `2.5e-3`). Anything else is nil.
///
/// `Double(_:)` alone is too lenient for data files: it reads hexadecimal (`0x10` is 16,
/// `0x1p3` is 8), `nan` and `inf`, and stops at a NUL byte, so `1\0garbage` would be 1.
func plainDecimal(_ text: String) -> Double? {
  let bytes = Array(text.utf8)
  var position = 0
  // Moves past up to `limit` bytes that are `accepted`, and says how many.
  func skip(upTo limit: Int = .max, _ accepted: (UInt8) -> Bool) -> Int {
    let start = position
    while position < bytes.count, position - start < limit, accepted(bytes[position]) {
      position += 1
    }
    return position - start
  }
  let isDigit = { (byte: UInt8) in (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }
  let isSign = { (byte: UInt8) in byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") }

  _ = skip(upTo: 1, isSign)
  var digits = skip(isDigit)
  if skip(upTo: 1, { $0 == UInt8(ascii: ".") }) == 1 { digits += skip(isDigit) }
  guard digits > 0 else { return nil }
  if skip(upTo: 1, { $0 | 0x20 == UInt8(ascii: "e") }) == 1 {
    _ = skip(upTo: 1, isSign)
    guard skip(isDigit) > 0 else { return nil }
  }
  guard position == bytes.count else { return nil }
  return Double(text)
}

extension String {
  func trimmingWhitespace() -> String {
    var scalars = Substring(self)
    while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
    while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
    return String(scalars)
  }
}

/// Class names in a stable order, and each sample's class index.
///
/// Names are sorted by name; when every name is an integer they are sorted as
/// numbers instead, so that "10" follows "9".
func classIndices(for labelNames: [String]) -> (classNames: [String], labels: [Int]) {
  let distinct = Set(labelNames)
  // Only names written the way Swift writes integers ("7", not "07") sort as numbers.
  let numbers = distinct.compactMap { name in Int(name).flatMap { String($0) == name ? $0 : nil } }
  let classNames: [String]
  if numbers.count == distinct.count {
    classNames = numbers.sorted().map(String.init)
  } else {
    classNames = distinct.sorted()
  }
  let indexOfName = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
  return (classNames, labelNames.map { indexOfName[$0]! })
}
