import Foundation
import Testing

@testable import FuseEngine

/// Hand-checked cases on the real all-MiniLM-L6-v2 vocabulary. Each expected id
/// is the token's line number in data/minilm/vocab.txt, counted from 0.
@Suite(
  "WordPiece tokenizer on the MiniLM vocabulary",
  .enabled(if: TokenizerTestPaths.minilmAvailable, TokenizerTestPaths.minilmMissing))
struct TokenizerMiniLMTests {
  static let tokenizer = Result { try WordPieceTokenizer(folder: TokenizerTestPaths.minilm.path) }

  // [CLS], [SEP] and [UNK] in vocab.txt.
  private let cls: Int32 = 101, sep: Int32 = 102, unk: Int32 = 100

  private func encode(_ text: String) throws -> TokenizedText {
    try Self.tokenizer.get().encode(text, includeTokens: true)
  }

  @Test("settings come from the model folder")
  func settings() throws {
    let tokenizer = try Self.tokenizer.get()
    #expect(tokenizer.vocabulary.count == 30522)
    #expect(tokenizer.configuration.maximumLength == 256)
    #expect(tokenizer.configuration.maxInputCharactersPerWord == 100)
    #expect(tokenizer.configuration.normalizer == BertNormalizer())
    #expect(tokenizer.configuration.normalizer.stripAccents)
    #expect(tokenizer.vocabulary.continuingSubwordPrefix == "##")
  }

  @Test("accents are stripped and letters lower-cased: Café becomes cafe")
  func accents() throws {
    #expect(try encode("Café").ids == [cls, 7668, sep])
    #expect(try encode("CAFE\u{301}").ids == [cls, 7668, sep])
    #expect(try encode("naïve").tokens == ["[CLS]", "naive", "[SEP]"])
  }

  @Test("punctuation is split off: don't! becomes don ' t !")
  func punctuation() throws {
    let result = try encode("don't!")
    #expect(result.tokens == ["[CLS]", "don", "'", "t", "!", "[SEP]"])
    #expect(result.ids == [cls, 2123, 1005, 1056, 999, sep])
  }

  @Test("a word is split into the longest pieces, later ones with ##")
  func pieces() throws {
    #expect(try encode("tokenization").ids == [cls, 19204, 3989, sep])
    #expect(try encode("tokenization").tokens == ["[CLS]", "token", "##ization", "[SEP]"])
    // Longest match first: the whole word is in the vocabulary.
    #expect(try encode("unbelievable").ids == [cls, 23653, sep])
  }

  @Test("a word longer than 100 characters, or with an unmatched part, is [UNK]")
  func unknown() throws {
    let long = String(repeating: "a", count: 101)
    #expect(try encode("hello \(long) world").ids == [cls, 7592, unk, 2088, sep])
    #expect(try encode(String(repeating: "a", count: 100)).ids.contains(unk) == false)
    // Fullwidth letters are not in the vocabulary and have no decomposition.
    #expect(try encode("ｆｕｌｌ").ids == [cls, unk, sep])
  }

  @Test("CJK ideographs become words of their own")
  func chinese() throws {
    #expect(try encode("日本").ids == [cls, 1864, 1876, sep])
    #expect(try encode("a日b").ids == [cls, 1037, 1864, 1038, sep])
  }

  @Test("control characters are removed and whitespace separates words")
  func controlCharacters() throws {
    // BEL and zero-width space are removed; tab and no-break space separate words.
    #expect(try encode("Hello,\tworld\u{7}!").ids == [cls, 7592, 1010, 2088, 999, sep])
    #expect(
      try encode("a\u{B}b\u{85}c\u{200B}d\u{A0}x").tokens == [
        "[CLS]", "abc", "##d", "x", "[SEP]",
      ])
    #expect(try encode("a\u{0}b\u{FFFD}c").ids == [cls, 5925, sep])
  }

  @Test("capital sigma lower-cases to σ even at the end of a word")
  func sigma() throws {
    #expect(try encode("ΣΑΣ").ids == [cls, 1173, 14608, 29733, sep])
  }

  @Test("special tokens written in the text stay whole; lower-case ones do not")
  func specialTokens() throws {
    #expect(try encode("x[SEP]y").ids == [cls, 1060, sep, 1061, sep])
    #expect(try encode("[unk]").tokens == ["[CLS]", "[", "un", "##k", "]", "[SEP]"])
  }

  @Test("empty text and text with only spaces give [CLS] [SEP]")
  func empty() throws {
    #expect(try encode("").ids == [cls, sep])
    #expect(try encode(" \n\t ").ids == [cls, sep])
  }

  @Test("truncation keeps [CLS] and [SEP] around the first pieces")
  func truncation() throws {
    let short = try Self.tokenizer.get().withMaximumLength(5)
    let result = short.encode("a b c x y", includeTokens: true)
    #expect(result.ids == [cls, 1037, 1038, 1039, sep])
    #expect(result.wasTruncated)
    #expect(short.encode("a b c").wasTruncated == false)

    let words = Array(repeating: "hello", count: 300).joined(separator: " ")
    let full = try encode(words)
    #expect(full.ids.count == 256)
    #expect(full.ids.first == cls && full.ids.last == sep)
  }
}

/// Cases on small made-up vocabularies, needing no downloaded files.
@Suite("WordPiece tokenizer internals")
struct TokenizerInternalsTests {
  private let tokens = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "unaff", "!", "é",
  ]

  private func tokenizer(_ tokens: [String]? = nil) throws -> WordPieceTokenizer {
    try WordPieceTokenizer(vocabulary: WordPieceVocabulary(tokens: tokens ?? self.tokens))
  }

  @Test("greedy longest match first, not the best split overall")
  func greedy() throws {
    // "unaff" is taken first; "##able" then completes the word.
    #expect(try tokenizer().encode("unaffable").ids == [2, 8, 7, 3])
    // After "unaff", "##ab" has no match, so the whole word is unknown.
    #expect(try tokenizer().encode("unaffab").ids == [2, 1, 3])
  }

  @Test("tokens are compared scalar by scalar, not by canonical equivalence")
  func scalarComparison() throws {
    let vocabulary = WordPieceVocabulary(tokens: ["é", "e\u{301}"])
    #expect(vocabulary.id(of: "é") == 0)
    #expect(vocabulary.id(of: "e\u{301}") == 1)
  }

  @Test("a repeated token is found under its later id")
  func duplicates() throws {
    #expect(WordPieceVocabulary(tokens: ["a", "b", "a"]).id(of: "a") == 2)
  }

  @Test("the normaliser alone: cleaning, CJK spacing, accents, lower case")
  func normalizer() {
    let bert = BertNormalizer()
    #expect(bert.normalize("Crème\tBRÛLÉE\u{7}") == "creme brulee")
    #expect(bert.normalize("日本") == " 日  本 ")
    #expect(BertNormalizer(stripAccents: false).normalize("Café") == "café")
    #expect(BertNormalizer(stripAccents: true, lowercase: false).normalize("Café") == "Cafe")
    // Accent stripping follows lower-casing unless set.
    #expect(BertNormalizer(lowercase: false).normalize("Café") == "Café")
  }

  @Test("a vocabulary without the needed tokens, or a bad length, is refused")
  func refused() throws {
    #expect(throws: TokenizerError.missingToken("[UNK]")) {
      try WordPieceTokenizer(vocabulary: WordPieceVocabulary(tokens: ["a"]))
    }
    #expect(throws: TokenizerError.self) { try tokenizer().withMaximumLength(1) }
  }

  @Test("a missing model folder names the file")
  func missingFolder() throws {
    let error = try #require(throws: TokenizerError.self) {
      try WordPieceTokenizer(folder: "/nonexistent/minilm")
    }
    #expect(error.description.contains("/nonexistent/minilm/vocab.txt"))
  }

  @Test("vocab.txt with CRLF line ends and a final line break")
  func vocabularyFile() throws {
    let folder = try DataTestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = try DataTestPaths.write(
      "[UNK]\r\n[CLS]\r\n[SEP]\r\nhi\r\n", to: "vocab.txt", in: folder)
    let vocabulary = try WordPieceVocabulary.read(path: path)
    #expect(vocabulary.tokens == ["[UNK]", "[CLS]", "[SEP]", "hi"])
    let tokenizer = try WordPieceTokenizer(folder: folder.path)
    #expect(tokenizer.encode("Hi").ids == [1, 3, 2])
    #expect(tokenizer.configuration.maximumLength == 512)
  }

  @Test("an unsupported tokenizer.json is refused with the component named")
  func unsupportedFile() throws {
    let folder = try DataTestPaths.temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try DataTestPaths.write("[UNK]\n[CLS]\n[SEP]\n", to: "vocab.txt", in: folder)
    let json = """
      {"normalizer": {"type": "NFKC"}, "pre_tokenizer": {"type": "BertPreTokenizer"},
       "model": {"type": "WordPiece"}}
      """
    try DataTestPaths.write(json, to: "tokenizer.json", in: folder)
    let error = try #require(throws: TokenizerError.self) {
      try WordPieceTokenizer(folder: folder.path)
    }
    #expect(error.description.contains("NFKC"))
  }
}
