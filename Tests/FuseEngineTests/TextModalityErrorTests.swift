import Foundation
import Testing

@testable import FuseEngine

/// Bad input to a text modality: each error names the file, line and column, or the folder.
@Suite("Text modality errors")
struct TextModalityErrorTests {
  /// A one-table data set of `text` rows with a label each, written to a fresh folder.
  func table(_ body: String, name: String = "notes.csv") throws -> String {
    try DataTestPaths.write(body, to: name, in: try DataTestPaths.temporaryFolder())
  }

  func load(_ file: String, column: String = "note", options: SentenceEncoderOptions? = nil)
    throws -> Dataset
  {
    try tableDataset(
      file: file, label: "label",
      modalities: [
        NamedModalitySource(
          name: "text",
          source: .text(column: column, encoder: options ?? TextFixtures.options(cache: nil)))
      ])
  }

  func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test("a missing model folder names the path and how to fetch the model")
  func missingFolder() throws {
    let text = message { _ = try SentenceEncoder(folder: "no/such/minilm") }
    let absolute = URL(fileURLWithPath: "no/such/minilm").standardized.path
    #expect(
      text == "no/such/minilm (\(absolute)): no such folder; run scripts/setup (or"
        + " scripts/fetch-minilm) at the repository root to fetch all-MiniLM-L6-v2 into"
        + " data/minilm, or give the folder of another BERT sentence encoder")
  }

  @Test("a folder without the model's files names the files")
  func folderWithoutModel() throws {
    let folder = try DataTestPaths.temporaryFolder()
    try DataTestPaths.write("{}", to: "config.json", in: folder)
    let text = message { _ = try SentenceEncoder(folder: folder.path) }
    #expect(
      text.hasPrefix(
        "\(folder.path): is not a text encoder folder: no model.safetensors, vocab.txt; run"
          + " scripts/setup"))
  }

  @Test("a text column the file lacks is named with the columns it has, encoder or not")
  func missingColumn() throws {
    let file = try table("note,label\nhello there,a\nbye now,b\n")
    let options = SentenceEncoderOptions(folder: "no/such/minilm", cacheFolder: nil)
    #expect(
      throws: DataError.missingColumn(path: file, column: "text", available: ["note", "label"])
    ) {
      _ = try load(file, column: "text", options: options)
    }
  }

  @Test("a file that is not UTF-8 is refused at its first bad byte, encoder or not")
  func notUTF8() throws {
    // 0x92 is a right single quote in Windows-1252, on line 3 after "it" (column 3).
    let bytes = Array("note,label\nfine,a\nit".utf8) + [0x92] + Array("s odd,b\n".utf8)
    let file = try DataTestPaths.write(
      bytes, to: "notes.csv", in: try DataTestPaths.temporaryFolder())
    let options = SentenceEncoderOptions(folder: "no/such/minilm", cacheFolder: nil)
    let text = message { _ = try load(file, options: options) }
    #expect(
      text == "\(file):3:3: byte 0x92 is not UTF-8; the text column 'note' goes to a sentence"
        + " encoder, which reads UTF-8 only: save the file as UTF-8")
  }

  @Test(
    "lines and columns of bad bytes count characters and line breaks as the CSV reader does",
    arguments: [
      (Array("ab\r\ncé".utf8) + [0xFF], 2, 3), (Array("a\rb\nc".utf8) + [0xC0, 0x80], 3, 2),
      ([0xEF, 0xBB, 0xBF] + Array("x".utf8) + [0xED, 0xA0, 0x80], 1, 2),
      (Array("€".utf8) + [0xE2, 0x82], 1, 2),
    ])
  func badBytePlaces(bytes: [UInt8], line: Int, column: Int) {
    let place = firstInvalidUTF8(bytes)
    #expect(place?.line == line && place?.column == column)
  }

  @Test("valid UTF-8, four-byte characters included, has no bad byte")
  func validUTF8() {
    #expect(firstInvalidUTF8(Array("naïve 😀 text\r\n€".utf8)) == nil)
  }

  @Test(
    "an empty text, or one with nothing the tokenizer keeps, names its line and column",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage),
    arguments: [
      ("\"\"", "the text is empty"), ("\"   \"", "the text is empty"),
      ("\"\u{7}\u{7}\"", "the text '\\u{7}\\u{7}' holds nothing the tokenizer keeps"),
    ])
  func emptyText(field: String, problem: String) throws {
    let file = try table("label,note\na,\"first,\nspans two lines\"\nb,\(field)\n")
    let text = message { _ = try load(file) }
    #expect(
      text.hasPrefix("\(file):4: column 2 ('note'): \(problem)"), "\(text)")
    #expect(text.hasSuffix("; every sample of a text modality needs words to encode"))
  }

  @Test(
    "a maximum length the model cannot take is refused",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage), arguments: [1, 513])
  func badMaximumLength(length: Int) throws {
    let file = try table("note,label\nhello there,a\nbye now,b\nok then,a\n")
    let text = message {
      _ = try load(file, options: TextFixtures.options(cache: nil, maximumLength: length))
    }
    #expect(
      text.contains("the model takes 2 (the [CLS] and [SEP] tokens) to 512 tokens"), "\(text)")
  }

  /// A model folder whose files link to data/minilm's, beside the settings files given.
  func modelFolder(_ settings: [String: String]) throws -> URL {
    let folder = try DataTestPaths.temporaryFolder()
    for name in ["config.json", "vocab.txt", "tokenizer.json", "model.safetensors"] {
      try FileManager.default.createSymbolicLink(
        at: folder.appendingPathComponent(name),
        withDestinationURL: EncoderTestPaths.minilm.appendingPathComponent(name))
    }
    for (name, text) in settings { try DataTestPaths.write(text, to: name, in: folder) }
    return folder
  }

  /// A `modules.json` listing sentence-transformers modules of these kinds, in order.
  func modules(_ kinds: [String]) -> String {
    let entries = kinds.enumerated().map { index, kind in
      "{\"idx\": \(index), \"path\": \"\(index)_\(kind)\","
        + " \"type\": \"sentence_transformers.models.\(kind)\"}"
    }
    return "[" + entries.joined(separator: ", ") + "]"
  }

  @Test(
    "a pooling other than the mean, or another module, is refused, naming the file",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage))
  func otherPipelines() throws {
    let pooling = try modelFolder([
      "1_Pooling/config.json":
        "{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": true}"
    ])
    #expect(
      message { _ = try SentenceEncoder(folder: pooling.path) }
        == "\(pooling.path)/1_Pooling/config.json: pooling is pooling_mode_cls_token; FuseLab"
        + " pools by the mean of the tokens only (pooling_mode_mean_tokens)")

    let dense = try modelFolder(["modules.json": modules(["Transformer", "Pooling", "Dense"])])
    #expect(
      message { _ = try SentenceEncoder(folder: dense.path) }
        == "\(dense.path)/modules.json: module 'sentence_transformers.models.Dense' is not"
        + " supported; FuseLab encodes with a Transformer, mean Pooling and an optional"
        + " Normalize module only")
  }

  @Test(
    "modules.json decides the normalisation; without it all-MiniLM-L6-v2's (unit length) holds",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage))
  func modulesDecideNormalisation() throws {
    #expect(try SentenceEncoder(folder: EncoderTestPaths.minilm.path).normalizesByDefault)
    let plain = try modelFolder(["modules.json": modules(["Transformer", "Pooling"])])
    #expect(try !SentenceEncoder(folder: plain.path).normalizesByDefault)
    let normalised = try modelFolder([
      "modules.json": modules(["Transformer", "Pooling", "Normalize"])
    ])
    #expect(try SentenceEncoder(folder: normalised.path).normalizesByDefault)
  }
}
