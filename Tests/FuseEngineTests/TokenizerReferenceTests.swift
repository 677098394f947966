import Foundation
import Testing

@testable import FuseEngine

/// Where the tokenizer tests find the model files and the reference generator.
enum TokenizerTestPaths {
  /// `<repo root>/data/minilm`, written by scripts/fetch-minilm.
  static let minilm = DataTestPaths.repositoryRoot.appendingPathComponent("data/minilm")

  static var minilmAvailable: Bool {
    ["vocab.txt", "tokenizer.json"].allSatisfy {
      FileManager.default.fileExists(atPath: minilm.appendingPathComponent($0).path)
    }
  }

  static let minilmMissing: Comment = "needs data/minilm; run scripts/fetch-minilm"

  static let generator = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/make_token_ids.py")

  /// Whether `python3` can import Hugging Face `tokenizers` (scripts/setup installs it).
  static let referenceAvailable: Bool = {
    (try? runPython(["-c", "import tokenizers"])) == 0
  }()

  static var everythingAvailable: Bool {
    minilmAvailable && DataTestPaths.meldAvailable && referenceAvailable
  }

  static var whatIsMissing: Comment {
    var missing: [String] = []
    if !minilmAvailable { missing.append("data/minilm (run scripts/fetch-minilm)") }
    if !DataTestPaths.meldAvailable { missing.append("../shared/data/meld") }
    if !referenceAvailable {
      missing.append("python3 with tokenizers (scripts/setup; data/python/bin first on PATH)")
    }
    return "needs \(missing.joined(separator: ", "))"
  }

  /// Runs python3 with these arguments; returns its exit status. Output goes to the test log.
  @discardableResult
  static func runPython(_ arguments: [String], quiet: Bool = true) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    process.currentDirectoryURL = DataTestPaths.repositoryRoot
    if quiet {
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
    }
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }
}

/// The ids `tokenizers` gave for every MELD utterance (see Fixtures/make_token_ids.py).
private struct ReferenceIDs: Decodable {
  struct Utterance: Decodable {
    var text: String
    var ids: [Int32]
  }

  struct Split: Decodable {
    var name: String
    var file: String
    var utterances: [Utterance]
  }

  var tokenizers: String
  var maxLength: Int
  var splits: [Split]
}

@Suite("WordPiece tokenizer against Hugging Face tokenizers on MELD")
struct TokenizerReferenceTests {
  @Test(
    "every MELD utterance gets the same ids as the model's own tokenizer",
    .enabled(if: TokenizerTestPaths.everythingAvailable, TokenizerTestPaths.whatIsMissing))
  func allOfMELD() throws {
    let tokenizer = try WordPieceTokenizer(folder: TokenizerTestPaths.minilm.path)
    let reference = try generateReference(maxLength: tokenizer.configuration.maximumLength)

    var total = 0
    var agreeing = 0
    var firstMismatch: String? = nil
    for split in reference.splits {
      let table = try readCSV(path: split.file)
      let column = try #require(table.columnIndex("Utterance"))
      try #require(
        table.rows.count == split.utterances.count,
        "\(split.name): Swift read \(table.rows.count) rows, Python \(split.utterances.count)")

      for (row, expected) in zip(table.rows.indices, split.utterances) {
        total += 1
        let text = table.rows[row][column]
        let found = tokenizer.encode(text)
        if found.ids == expected.ids {
          agreeing += 1
        } else if firstMismatch == nil {
          firstMismatch = describe(
            split: split.name, line: table.lineNumbers[row], text: text, expected: expected,
            tokenizer: tokenizer)
        }
      }
    }

    print(
      "tokenizer: \(agreeing) of \(total) MELD utterances identical to tokenizers "
        + "\(reference.tokenizers) (max length \(reference.maxLength))")
    #expect(total == 13_708)
    #expect(
      agreeing == total, "\(agreeing) of \(total) agree; first mismatch:\n\(firstMismatch ?? "")")
  }

  @Test(
    "tokenizing all of MELD is fast",
    .enabled(
      if: TokenizerTestPaths.minilmAvailable && DataTestPaths.meldAvailable,
      "needs data/minilm and ../shared/data/meld"))
  func speed() throws {
    let tokenizer = try WordPieceTokenizer(folder: TokenizerTestPaths.minilm.path)
    var texts: [String] = []
    for name in ["train", "dev", "test"] {
      let path = DataTestPaths.sharedData.appendingPathComponent("meld/\(name)_sent_emo.csv").path
      let table = try readCSV(path: path)
      let column = try #require(table.columnIndex("Utterance"))
      texts += table.rows.map { $0[column] }
    }

    let clock = ContinuousClock()
    var count = 0
    let elapsed = clock.measure {
      for text in texts { count += tokenizer.encode(text).ids.count }
    }
    print("tokenizer: \(texts.count) MELD utterances, \(count) tokens in \(elapsed)")
    #expect(count > texts.count * 2)
    #if !DEBUG
      #expect(elapsed < .seconds(2))
    #endif
  }

  private func generateReference(maxLength: Int) throws -> ReferenceIDs {
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-token-ids-\(UUID().uuidString).json")
    defer { try? FileManager.default.removeItem(at: output) }
    let status = try TokenizerTestPaths.runPython(
      [
        TokenizerTestPaths.generator.path,
        "--tokenizer", TokenizerTestPaths.minilm.appendingPathComponent("tokenizer.json").path,
        "--meld", DataTestPaths.sharedData.appendingPathComponent("meld").path,
        "--max-length", String(maxLength), "--output", output.path,
      ], quiet: false)
    try #require(status == 0, "make_token_ids.py exited with status \(status)")

    let decoder = JSONDecoder()
    decoder.keyDecodingStrategy = .convertFromSnakeCase
    return try decoder.decode(ReferenceIDs.self, from: Data(contentsOf: output))
  }

  /// Both sides of a mismatch: the texts (in case the CSV readers differ), ids and tokens.
  private func describe(
    split: String, line: Int, text: String, expected: ReferenceIDs.Utterance,
    tokenizer: WordPieceTokenizer
  ) -> String {
    let found = tokenizer.encode(text, includeTokens: true)
    let expectedTokens = expected.ids.map { tokenizer.vocabulary.token(for: $0) ?? "?" }
    let scalars = { (s: String) in
      s.unicodeScalars.filter { !$0.isASCII }.map { String($0.value, radix: 16) }
    }
    var lines = ["\(split) line \(line): \(text.debugDescription)"]
    if text.unicodeScalars.elementsEqual(expected.text.unicodeScalars) {
      lines.append("  same text on both sides; non-ASCII scalars: \(scalars(text))")
    } else {
      lines.append("  Python read a different text: \(expected.text.debugDescription)")
    }
    lines.append("  Swift:  \(found.ids) \(found.tokens ?? [])")
    lines.append("  Python: \(expected.ids) \(expectedTokens)")
    return lines.joined(separator: "\n")
  }
}
