/// A value of the small Python literal language a `.npy` header is written in.
enum PythonLiteral: Equatable {
  case string(String)
  case integer(Int)
  case boolean(Bool)
  case none
  case sequence([PythonLiteral])  // a tuple or a list
  case dictionary([(String, PythonLiteral)])

  static func == (left: PythonLiteral, right: PythonLiteral) -> Bool {
    switch (left, right) {
    case (.string(let a), .string(let b)): return a == b
    case (.integer(let a), .integer(let b)): return a == b
    case (.boolean(let a), .boolean(let b)): return a == b
    case (.none, .none): return true
    case (.sequence(let a), .sequence(let b)): return a == b
    case (.dictionary(let a), .dictionary(let b)):
      return a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
    default: return false
    }
  }
}

/// Reads the Python dictionary literal of a `.npy` header, such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
///
/// Only what NumPy writes is understood: quoted strings, integers (with the
/// `L` suffix of Python 2 files), booleans, `None`, tuples, lists and
/// dictionaries with string keys.
struct PythonLiteralParser {
  private let characters: [Character]
  private var position = 0
  private var depth = 0

  /// How deeply tuples, lists and dictionaries may nest. NumPy writes two levels; a damaged
  /// or hostile header of a million brackets must not overflow the stack.
  static let nestingLimit = 32

  /// The character index of the parser, for error messages.
  var offset: Int { position }

  init(_ text: String) {
    characters = Array(text)
  }

  /// Parses the whole text as one literal followed only by whitespace.
  mutating func parseAll() throws -> PythonLiteral {
    let value = try parseValue()
    skipWhitespace()
    guard position == characters.count else { throw failure("unexpected text after the literal") }
    return value
  }

  struct Failure: Error {
    var offset: Int
    var reason: String
  }

  private func failure(_ reason: String) -> Failure {
    Failure(offset: position, reason: reason)
  }

  private mutating func skipWhitespace() {
    while position < characters.count, characters[position].isWhitespace { position += 1 }
  }

  private mutating func parseValue() throws -> PythonLiteral {
    skipWhitespace()
    guard position < characters.count else { throw failure("the header ends too early") }
    let opensBracket = "{([".contains(characters[position])
    if opensBracket {
      guard depth < Self.nestingLimit else {
        throw failure("brackets nest more than \(Self.nestingLimit) levels deep")
      }
      depth += 1
    }
    defer { if opensBracket { depth -= 1 } }
    switch characters[position] {
    case "{": return try parseDictionary()
    case "(": return try parseSequence(closing: ")")
    case "[": return try parseSequence(closing: "]")
    case "'", "\"": return .string(try parseString())
    case "-", "0"..."9": return try parseInteger()
    default: return try parseName()
    }
  }

  private mutating func parseString() throws -> String {
    let quote = characters[position]
    position += 1
    var text = ""
    while position < characters.count, characters[position] != quote {
      if characters[position] == "\\", position + 1 < characters.count { position += 1 }
      text.append(characters[position])
      position += 1
    }
    guard position < characters.count else { throw failure("a string is not closed") }
    position += 1
    return text
  }

  private mutating func parseInteger() throws -> PythonLiteral {
    let start = position
    if characters[position] == "-" { position += 1 }
    while position < characters.count, characters[position].isASCII,
      characters[position].isNumber
    {
      position += 1
    }
    guard let value = Int(String(characters[start..<position])) else {
      position = start
      throw failure("expected an integer")
    }
    if position < characters.count, characters[position] == "L" { position += 1 }
    return .integer(value)
  }

  private mutating func parseName() throws -> PythonLiteral {
    let start = position
    while position < characters.count, characters[position].isLetter { position += 1 }
    switch String(characters[start..<position]) {
    case "True": return .boolean(true)
    case "False": return .boolean(false)
    case "None": return .none
    default:
      position = start
      throw failure("unexpected character '\(characters[start])'")
    }
  }

  private mutating func parseSequence(closing: Character) throws -> PythonLiteral {
    position += 1
    var items: [PythonLiteral] = []
    while true {
      skipWhitespace()
      if position < characters.count, characters[position] == closing {
        position += 1
        return .sequence(items)
      }
      items.append(try parseValue())
      try expectSeparator(closing: closing)
    }
  }

  private mutating func parseDictionary() throws -> PythonLiteral {
    position += 1
    var entries: [(String, PythonLiteral)] = []
    while true {
      skipWhitespace()
      if position < characters.count, characters[position] == "}" {
        position += 1
        return .dictionary(entries)
      }
      guard case .string(let key) = try parseValue() else {
        throw failure("dictionary keys must be strings")
      }
      skipWhitespace()
      guard position < characters.count, characters[position] == ":" else {
        throw failure("expected ':' after the key '\(key)'")
      }
      position += 1
      entries.append((key, try parseValue()))
      try expectSeparator(closing: "}")
    }
  }

  /// After an item: a comma, or the closing bracket (left for the caller).
  private mutating func expectSeparator(closing: Character) throws {
    skipWhitespace()
    guard position < characters.count else { throw failure("the header ends too early") }
    if characters[position] == "," {
      position += 1
    } else if characters[position] != closing {
      throw failure("expected ',' or '\(closing)'")
    }
  }
}
