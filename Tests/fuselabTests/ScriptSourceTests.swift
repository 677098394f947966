import Testing

@testable import fuselab

/// A script that is not UTF-8 is an error at its first bad byte, counted as the lexer counts.
@Suite struct ScriptSourceTests {
  @Test(
    arguments: [
      ([UInt8](), nil),
      (Array("print(\"é\")\n".utf8), nil),
      ([0xFF], 0),
      (Array("ab".utf8) + [0xC3], 2),
      (Array("é".utf8) + [0xE2, 0x82, 0x41], 2),
      ([0xED, 0xA0, 0x80], 0),
    ] as [([UInt8], Int?)])
  func firstInvalidByte(bytes: [UInt8], expected: Int?) {
    #expect(firstInvalidUTF8Offset(bytes) == expected)
  }

  @Test func theDiagnosticPointsAtTheByte() throws {
    let bytes = Array("x = 1\r\ns = \"é".utf8) + [0xFF] + Array("z\"\nprint(s)\n".utf8)
    let offset = try #require(firstInvalidUTF8Offset(bytes))
    let diagnostic = encodingDiagnostic(bytes, badOffset: offset, file: "bad.fuse")
    #expect(
      diagnostic.rendered()
        == "bad.fuse:2:7: error: invalid UTF-8 byte 0xFF; scripts must be UTF-8 text\n"
        + "s = \"é\u{FFFD}z\"\n" + "      ^")
    #expect(diagnostic.kind == .lexing)
  }

  @Test func utf16IsNamed() {
    let bytes: [UInt8] = [0xFF, 0xFE, 0x78, 0x00]
    let diagnostic = encodingDiagnostic(bytes, badOffset: 0, file: "wide.fuse")
    #expect(diagnostic.message.contains("UTF-16"))
    #expect(diagnostic.location.line == 1 && diagnostic.location.column == 1)
  }
}
