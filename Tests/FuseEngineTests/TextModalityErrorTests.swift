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

  @Test("the label column cannot be the text column, encoder or not")
  func labelAsText() throws {
    let file = try table("note,label\nhello there,a\nbye now,b\n")
    let options = SentenceEncoderOptions(folder: "no/such/minilm", cacheFolder: nil)
    #expect(
      message { _ = try load(file, column: "label", options: options) }
        == "\(file): not a data set: the text column 'label' is the label column; a modality fed the label would"
        + " learn the answer, so name the column that holds the text")
  }

  @Test(
    "a nan weight in the model file is refused when the encoder loads, naming the tensor",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage))
  func nanWeight() throws {
    let folder = try modelFolder([:])
    let weights = folder.appendingPathComponent("model.safetensors")
    var bytes = try Data(contentsOf: weights)
    let name = "embeddings.word_embeddings.weight"
    let entry = try #require(try SafeTensorsFile(path: weights.path).entries[name])
    let headerSize = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.1) << (8 * $1.0) }
    // Token 101 ([CLS]) begins every text; its row's third number becomes a quiet nan.
    let start = 8 + headerSize + entry.dataRange.lowerBound + (101 * 384 + 2) * 4
    bytes.replaceSubrange(start..<start + 4, with: [0, 0, 0xc0, 0x7f])
    try FileManager.default.removeItem(at: weights)
    try bytes.write(to: weights)

    let rows = (0..<10).map { "note \($0) here,\($0 % 2 == 0 ? "a" : "b")\n" }
    let file = try table("note,label\n" + rows.joined())
    let options = SentenceEncoderOptions(folder: folder.path, cacheFolder: nil)
    #expect(
      message { _ = try load(file, options: options) }
        == "\(weights.path): tensor '\(name)' holds nan at element \(101 * 384 + 2); an"
        + " encoder's weights must be finite numbers (fetch the model again with"
        + " scripts/fetch-minilm)")
  }

  @Test(
    "one table counts the texts it truncates, as split files do",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage))
  func truncationIsCounted() throws {
    let long = Array(repeating: "word", count: 400).joined(separator: " ")
    let rows = (0..<10).map { "\($0 == 3 ? long : "note \($0)"),\($0 % 2 == 0 ? "a" : "b")\n" }
    let data = try load(try table("note,label\n" + rows.joined()))
    #expect(data.textModalities["text"]?.truncated == 1)
  }

  @Test(
    "a vocabulary that does not fit the model, or a bad max_seq_length, names its file",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage))
  func vocabularyAndLengthErrors() throws {
    let words = try String(
      contentsOf: EncoderTestPaths.minilm.appendingPathComponent("vocab.txt"), encoding: .utf8)
    let short = try modelFolder(["vocab.txt": "[PAD]\n[CLS]\n[SEP]\nhello\n"])
    #expect(
      message { _ = try SentenceEncoder(folder: short.path) }
        == "\(short.path)/vocab.txt: the vocabulary has no '[UNK]' token, which a BERT"
        + " tokenizer needs")
    let long = try modelFolder(["vocab.txt": words + "extra1\nextra2\n"])
    #expect(
      message { _ = try SentenceEncoder(folder: long.path) }
        == "\(long.path)/vocab.txt: it has 30524 tokens, but config.json gives the model 30522"
        + " (vocab_size); the two files are not of one model")
    let zero = try modelFolder(["sentence_bert_config.json": "{\"max_seq_length\": 0}"])
    #expect(
      message { _ = try SentenceEncoder(folder: zero.path) }
        == "\(zero.path)/sentence_bert_config.json: max_seq_length is 0; a model's maximum"
        + " length needs room for the class and separator tokens (at least 2)")
  }

  /// A model folder whose files link to data/minilm's, beside the settings files given.
  func modelFolder(_ settings: [String: String]) throws -> URL {
    let folder = try DataTestPaths.temporaryFolder()
    // A file given is written instead of linked: writing through a link would change
    // data/minilm itself.
    for name in ["config.json", "vocab.txt", "tokenizer.json", "model.safetensors"]
    where settings[name] == nil {
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

  let meanPooling = "{\"word_embedding_dimension\": 384, \"pooling_mode_mean_tokens\": true}"

  @Test(
    "a broken config.json is placed by line and column; a listed Pooling module needs its config",
    .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage))
  func settingsFileErrors() throws {
    let broken = try modelFolder(["config.json": "{\"vocab_size\": 30522,\n  \"hidden_size\": }\n"])
    #expect(
      message { _ = try SentenceEncoder(folder: broken.path) }
        == "\(broken.path)/config.json: not valid JSON: line 2, column 18: invalid value")

    let unlisted = try modelFolder([
      "modules.json": modules(["Transformer", "Pooling"])
    ])
    #expect(
      message { _ = try SentenceEncoder(folder: unlisted.path) }
        == "\(unlisted.path)/modules.json: it lists a Pooling module in '1_Pooling', but"
        + " \(unlisted.path)/1_Pooling/config.json is missing; FuseLab reads it to check that"
        + " the pooling is the mean of the tokens")

    let wide = try modelFolder([
      "1_Pooling/config.json":
        "{\"word_embedding_dimension\": 385, \"pooling_mode_mean_tokens\": true}"
    ])
    #expect(
      message { _ = try SentenceEncoder(folder: wide.path) }
        == "\(wide.path)/1_Pooling/config.json: word_embedding_dimension is 385, but the"
        + " transformer's hidden size is 384")
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
    let plain = try modelFolder([
      "modules.json": modules(["Transformer", "Pooling"]), "1_Pooling/config.json": meanPooling,
    ])
    #expect(try !SentenceEncoder(folder: plain.path).normalizesByDefault)
    let normalised = try modelFolder([
      "modules.json": modules(["Transformer", "Pooling", "Normalize"]),
      "1_Pooling/config.json": meanPooling,
    ])
    #expect(try SentenceEncoder(folder: normalised.path).normalizesByDefault)
  }
}
