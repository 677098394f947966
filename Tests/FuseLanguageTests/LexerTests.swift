import Testing

@testable import FuseLanguage

@Suite struct LexerTests {
  /// Each token as its kind and "line:column+length".
  func lexed(_ text: String) throws -> [String] {
    try Lexer.tokens(of: text, file: "t.fuse").map { token in
      "\(token.kind) \(token.span.line):\(token.span.column)+\(token.span.length)"
    }
  }

  @Test func tokensAndSpans() throws {
    #expect(
      try lexed("x = 1e-3 # rate\nprint(\"a\\n\", x)") == [
        "name(\"x\") 1:1+1", "assign 1:3+1", "number(0.001) 1:5+4", "newline 1:16+1",
        "name(\"print\") 2:1+5", "leftParen 2:6+1", "string(\"a\\n\") 2:7+5", "comma 2:12+1",
        "name(\"x\") 2:14+1", "rightParen 2:15+1", "newline 2:16+1", "end 2:16+1",
      ])
  }

  @Test func operatorsAndKeywords() throws {
    let kinds = try Lexer.tokens(of: "a ** -b <= c != d and not e", file: "t").map(\.kind)
    #expect(
      kinds == [
        .name("a"), .power, .minus, .name("b"), .lessEqual, .name("c"), .notEqual, .name("d"),
        .keyword(.and), .keyword(.not), .name("e"), .newline, .end,
      ])
  }

  @Test func newlinesInsideParenthesesAreIgnored() throws {
    let kinds = try Lexer.tokens(of: "f(1,\n  2)\n\n\ng", file: "t").map(\.kind)
    #expect(
      kinds == [
        .name("f"), .leftParen, .number(1), .comma, .number(2), .rightParen, .newline,
        .name("g"), .newline, .end,
      ])
  }

  @Test(arguments: [
    ("42", 42.0), ("3.25", 3.25), ("1e3", 1000.0), ("2.5E-2", 0.025), ("1_000", 1000.0),
  ])
  func numbers(text: String, expected: Double) throws {
    let tokens = try Lexer.tokens(of: text, file: "t")
    #expect(tokens.first?.kind == .number(expected))
  }

  @Test func unterminatedStringPointsAtItsQuote() throws {
    #expect(throws: Diagnostic.self) { try Lexer.tokens(of: "x = \"abc", file: "t") }
    do {
      _ = try Lexer.tokens(of: "x = \"abc", file: "t")
    } catch let diagnostic as Diagnostic {
      #expect(diagnostic.kind == .lexing)
      #expect(diagnostic.location == SourceLocation(file: "t", line: 1, column: 5, length: 1))
    }
  }

  /// The lexer's quick character classes answer as the Unicode properties they stand for.
  @Test func characterClassesAgreeWithUnicode() {
    let ascii = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }
    let others: [Character] = [
      "\r\n", "é", "e\u{301}", "1\u{301}", "٣", "½", "\u{85}", "\u{2028}", "Ω", "_",
    ]
    for character in ascii + others {
      let shown = character.unicodeScalars.map { String($0.value, radix: 16) }
      #expect(character.isLineBreak == character.isNewline, "\(shown)")
      #expect(character.isASCIIDigit == (character.isASCII && character.isNumber), "\(shown)")
      #expect(character.isWordStart == (character.isLetter || character == "_"), "\(shown)")
      #expect(
        character.isWordPart == (character.isLetter || character.isNumber || character == "_"),
        "\(shown)")
    }
  }
}
