import Foundation
import FuseFormat
import Testing

/// `jsonQuoted`, which checkpoints, exported notebooks and `fuselab bench --json` share.
@Suite("JSON string literals")
struct JSONQuotedTests {
  @Test(arguments: [
    ("plain", #""plain""#),
    ("say \"hi\"", #""say \"hi\"""#),
    ("a\\b", #""a\\b""#),
    ("line\nnext\ttab\rret", #""line\nnext\ttab\rret""#),
    ("\u{0}\u{1b}\u{1f}", #""\u0000\u001b\u001f""#),
    ("caf\u{e9} \u{201c}q\u{201d} \u{1f600}", "\"caf\u{e9} \u{201c}q\u{201d} \u{1f600}\""),
  ])
  func escapesWhatJSONRequires(text: String, expected: String) {
    #expect(jsonQuoted(text) == expected)
  }

  /// Foundation's JSON reader gives back the original text, for every control character.
  @Test func foundationReadsItBack() throws {
    let text = String(String.UnicodeScalarView((0..<0x80).compactMap(Unicode.Scalar.init)))
    let data = Data("[\(jsonQuoted(text))]".utf8)
    let parsed = try #require(try JSONSerialization.jsonObject(with: data) as? [String])
    #expect(parsed == [text])
  }
}
