import Foundation

/// Turns source text into tokens.
///
/// Line breaks end statements, so the lexer emits them as tokens, except
/// inside ( ) and [ ], where a call or a list may span several lines. Inside
/// { } they are kept: the parser skips them where a record literal allows.
struct Lexer {
  private let file: SourceFile
  private let characters: [Character]
  private var index = 0
  private var line = 1
  private var column = 1
  private var tokens: [Token] = []
  /// The open brackets, innermost last, with where each was opened.
  private(set) var openBrackets: [(kind: TokenKind, span: Span)] = []
  /// Set when the input ends inside a string.
  private(set) var endsInsideString = false
  /// Set at a closer that does not match the innermost open bracket, as `)` in `[1, 2)`:
  /// no more input can complete such text.
  private(set) var closesMismatched = false

  init(file: SourceFile, text: String) {
    self.file = file
    self.characters = Array(text)
  }

  /// The tokens of `text`, ending with `.end`.
  static func tokens(of text: String, file: String) throws -> [Token] {
    var lexer = Lexer(file: SourceFile(name: file, text: text), text: text)
    return try lexer.run()
  }

  mutating func run() throws -> [Token] {
    while let character = peek() {
      if character.isLineBreak {
        let span = here(length: 1)
        advance()
        emitNewline(span)
      } else if character == " " || character == "\t" || character == "\u{FEFF}" {
        advance()
      } else if character == "#" {
        while let next = peek(), !next.isLineBreak { advance() }
      } else if character.isASCIIDigit {
        try lexNumber()
      } else if character.isWordStart {
        lexWord()
      } else if character == "\"" || character == "'" {
        try lexString(quote: character)
      } else {
        try lexSymbol(character)
      }
    }
    emitNewline(here(length: 1))
    tokens.append(Token(kind: .end, span: here(length: 1)))
    return tokens
  }

  // MARK: - Reading characters

  private func peek(_ offset: Int = 0) -> Character? {
    let position = index + offset
    return position < characters.count ? characters[position] : nil
  }

  private mutating func advance() {
    guard let character = peek() else { return }
    index += 1
    if character.isLineBreak {
      line += 1
      column = 1
    } else {
      column += 1
    }
  }

  private func here(length: Int) -> Span {
    Span(file: file, line: line, column: column, length: length)
  }

  private mutating func emit(_ kind: TokenKind, from start: Span) {
    let length = start.line == line ? column - start.column : 1
    let span = Span(file: file, line: start.line, column: start.column, length: max(1, length))
    tokens.append(Token(kind: kind, span: span))
  }

  private mutating func emitNewline(_ span: Span) {
    if let top = openBrackets.last, top.kind != .leftBrace { return }
    guard let last = tokens.last, last.kind != .newline else { return }
    tokens.append(Token(kind: .newline, span: span))
  }

  private func error(_ message: String, _ span: Span) -> Diagnostic {
    span.diagnostic(.lexing, message)
  }

  // MARK: - Tokens

  private mutating func lexNumber() throws {
    let start = here(length: 1)
    var text = ""
    func takeDigits(_ lexer: inout Lexer, into text: inout String) {
      while let next = lexer.peek(), next.isASCIIDigit || next == "_" {
        if next != "_" { text.append(next) }
        lexer.advance()
      }
    }
    takeDigits(&self, into: &text)
    if peek() == ".", let next = peek(1), next.isASCIIDigit {
      text.append(".")
      advance()
      takeDigits(&self, into: &text)
    }
    if peek() == "e" || peek() == "E" {
      let exponentStart = here(length: 1)
      text.append("e")
      advance()
      if let sign = peek(), sign == "+" || sign == "-" {
        text.append(sign)
        advance()
      }
      guard let digit = peek(), digit.isASCIIDigit else {
        let span = exponentStart.through(here(length: 1))
        throw error("a number's exponent needs digits, as in 1e-3", span)
      }
      takeDigits(&self, into: &text)
    }
    if let next = peek(), next.isWordStart {
      throw error("unexpected '\(next)' right after a number", here(length: 1))
    }
    guard let value = Double(text) else {
      throw error("'\(text)' is not a number", start)
    }
    emit(.number(value), from: start)
  }

  private mutating func lexWord() {
    let start = here(length: 1)
    var word = ""
    while let next = peek(), next.isWordPart {
      word.append(next)
      advance()
    }
    if let keyword = Keyword(rawValue: word) {
      emit(.keyword(keyword), from: start)
    } else {
      emit(.name(word), from: start)
    }
  }

  private mutating func lexString(quote: Character) throws {
    let start = here(length: 1)
    advance()
    var text = ""
    while true {
      guard let character = peek() else {
        endsInsideString = true
        throw error("unterminated string; add a closing \(quote)", start)
      }
      advance()
      if character == quote { break }
      guard character == "\\" else {
        text.append(character)
        continue
      }
      let escapeStart = Span(file: file, line: line, column: column - 1, length: 2)
      guard let escaped = peek() else { continue }
      advance()
      switch escaped {
      case "n": text.append("\n")
      case "t": text.append("\t")
      case "\\": text.append("\\")
      case "\"": text.append("\"")
      case "'": text.append("'")
      default:
        throw error(
          "unknown escape '\\\(escaped)' in a string; use \\\\ for a backslash", escapeStart)
      }
    }
    emit(.string(text), from: start)
  }

  private mutating func lexSymbol(_ character: Character) throws {
    let start = here(length: 1)
    let next = peek(1)
    if let next, let kind = Lexer.twoCharacterSymbol(character, next) {
      advance()
      advance()
      emit(kind, from: start)
      return
    }
    if let next, let word = Lexer.otherLanguagesOperator(character, next) {
      let span = Span(file: file, line: line, column: column, length: 2)
      throw error("use '\(word)' instead of '\(character)\(next)'", span)
    }

    guard let kind = Lexer.oneCharacterSymbols[character] else {
      if character == "!" { throw error("use 'not' instead of '!'", start) }
      // Control and invisible characters (a NUL, a zero-width space) are named by code point.
      let visible = character.unicodeScalars.allSatisfy {
        $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
          && $0.properties.generalCategory != .spaceSeparator
      }
      let shown =
        visible
        ? "'\(character)'"
        : character.unicodeScalars.map { String(format: "U+%04X", $0.value) }.joined(separator: " ")
      throw error("unexpected character \(shown)", start)
    }
    advance()
    emit(kind, from: start)
    trackBrackets(kind, start)
  }

  /// The symbol written with two characters, as `**` and `+=`.
  private static func twoCharacterSymbol(_ first: Character, _ second: Character) -> TokenKind? {
    switch (first, second) {
    case ("*", "*"): return .power
    case ("=", "="): return .equal
    case ("!", "="): return .notEqual
    case ("<", "="): return .lessEqual
    case (">", "="): return .greaterEqual
    case ("+", "="): return .plusAssign
    case ("-", "="): return .minusAssign
    case ("*", "="): return .starAssign
    case ("/", "="): return .slashAssign
    default: return nil
    }
  }

  /// The keyword to use for another language's operator, as `and` for `&&`.
  private static func otherLanguagesOperator(_ first: Character, _ second: Character) -> String? {
    switch (first, second) {
    case ("&", "&"): return "and"
    case ("|", "|"): return "or"
    default: return nil
    }
  }

  // Built once: building it for every symbol made lexing several times slower.
  private static let oneCharacterSymbols: [Character: TokenKind] = [
    "(": .leftParen, ")": .rightParen, "[": .leftBracket, "]": .rightBracket,
    "{": .leftBrace, "}": .rightBrace, ",": .comma, ":": .colon, ".": .dot,
    ";": .semicolon, "+": .plus, "-": .minus, "*": .star, "/": .slash, "%": .percent,
    "=": .assign, "<": .less, ">": .greater,
  ]

  private mutating func trackBrackets(_ kind: TokenKind, _ span: Span) {
    switch kind {
    case .leftParen, .leftBracket, .leftBrace:
      openBrackets.append((kind, span))
    case .rightParen, .rightBracket, .rightBrace:
      let opener: TokenKind =
        kind == .rightParen ? .leftParen : kind == .rightBracket ? .leftBracket : .leftBrace
      if openBrackets.last?.kind == opener {
        openBrackets.removeLast()
      } else if !openBrackets.isEmpty {
        closesMismatched = true
      }
    default:
      break
    }
  }
}

extension Lexer {
  /// Whether `text` looks unfinished: an open bracket or string, or a last
  /// line ending in an operator or comma. The REPL then asks for more lines.
  /// A mismatched closer is never unfinished: the parser reports it at once.
  static func needsMoreInput(_ text: String) -> Bool {
    var lexer = Lexer(file: SourceFile(name: "", text: text), text: text)
    do {
      let tokens = try lexer.run()
      if lexer.closesMismatched { return false }
      if !lexer.openBrackets.isEmpty { return true }
      let last = tokens.last { $0.kind != .newline && $0.kind != .end }
      return last?.kind.continuesLine ?? false
    } catch {
      return lexer.endsInsideString && !lexer.closesMismatched
    }
  }
}

/// The character classes the lexer asks about, answered at once for ASCII, which nearly all
/// source is; other characters go to their Unicode properties, which are slow to look up and
/// were asked for every character.
extension Character {
  /// `isNewline`: a line feed, carriage return, vertical tab or form feed in ASCII.
  var isLineBreak: Bool {
    guard let ascii = asciiValue else { return isNewline }
    return (10...13).contains(ascii)
  }

  /// 0 to 9, and no other digit.
  var isASCIIDigit: Bool {
    guard let ascii = asciiValue else { return false }
    return (48...57).contains(ascii)
  }

  /// What a name may start with: a letter or `_`.
  var isWordStart: Bool {
    guard let ascii = asciiValue else { return isLetter }
    return ascii == 95 || (65...90).contains(ascii) || (97...122).contains(ascii)
  }

  /// What a name may go on with: a letter, a number or `_`.
  var isWordPart: Bool {
    guard asciiValue != nil else { return isLetter || isNumber }
    return isWordStart || isASCIIDigit
  }
}
