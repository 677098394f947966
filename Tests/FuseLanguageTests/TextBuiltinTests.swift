import Foundation
import FuseEngine
import Testing

@testable import FuseLanguage

/// `meld(text: "utterance")` and `columns(text:)`: text columns encoded by a sentence
/// encoder, their arguments, their errors and their progress lines.
@Suite struct TextBuiltinTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let minilm = root.appendingPathComponent("data/minilm")
  static var minilmAvailable: Bool {
    FileManager.default.fileExists(atPath: minilm.appendingPathComponent("model.safetensors").path)
  }

  /// A fresh folder holding `reviews.csv` (10 rows of a `review` text column, a number `n`
  /// and a `label`) and a MELD-shaped `meld/` folder; returns the folder.
  static func fixtures() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: folder.appendingPathComponent("meld"), withIntermediateDirectories: true)
    let reviews = [
      "review,n,label", "\"Lovely food, kind staff.\",1,good", "Cold soup and a long wait.,2,bad",
      "Best café in town!,3,good", "Never again.,4,bad", "A warm and quiet room.,5,good",
      "The bill was wrong twice.,6,bad", "Fresh bread and fair prices.,7,good",
      "Rude waiters and a sticky table.,8,bad", "We loved the garden.,9,good",
      "Tiny portions and a huge bill.,10,bad",
    ]
    try (reviews.joined(separator: "\n") + "\n").write(
      to: folder.appendingPathComponent("reviews.csv"), atomically: true, encoding: .utf8)
    let meld =
      "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,"
      + "StartTime,EndTime\n"
      + "1,\"Hi, Ross!\",Rachel,joy,positive,0,0,1,1,\"00:00:01,000\",\"00:00:02,500\"\n"
      + "2,What?,Ross,surprise,negative,0,1,1,1,\"00:00:03,000\",\"00:00:03,250\"\n"
    for split in ["train", "dev", "test"] {
      try meld.write(
        to: folder.appendingPathComponent("meld/\(split)_sent_emo.csv"), atomically: true,
        encoding: .utf8)
    }
    return folder
  }

  /// Runs `marked` with `FOLDER` standing for the fixtures' folder and `MINILM` for
  /// data/minilm; the error must be `message` at the marked place.
  func expectError(_ marked: String, _ message: String) throws {
    let folder = try Self.fixtures()
    let source = MarkedSource(
      marked.replacingOccurrences(of: "FOLDER", with: folder.path)
        .replacingOccurrences(of: "MINILM", with: Self.minilm.path))
    expectEngineError(source, message.replacingOccurrences(of: "FOLDER", with: folder.path))
  }

  @Test func aTextColumnTheFileLacksIsNamedWithTheClosestColumn() throws {
    try expectError(
      "d = columns(\"FOLDER/reviews.csv\", label: \"label\", 1️⃣text: \"Reveiw\")",
      "FOLDER/reviews.csv: no column 'Reveiw' (columns: review, n, label); did you mean"
        + " 'review'?")
  }

  @Test func aMissingEncoderFolderSaysHowToFetchIt() throws {
    let absolute = URL(fileURLWithPath: "no/such/minilm").standardized.path
    try expectError(
      "d = meld(\"FOLDER\", text: \"utterance\", 1️⃣encoder: \"no/such/minilm\")",
      "no/such/minilm (\(absolute)): no such folder; run scripts/setup (or"
        + " scripts/fetch-minilm) at the repository root to fetch all-MiniLM-L6-v2 into"
        + " data/minilm, or give the folder of another BERT sentence encoder")
  }

  @Test(arguments: [
    (
      "d = meld(\"FOLDER\", text: \"minilm\", 1️⃣encoder: \"x\")",
      "argument 'encoder' to meld applies to text encoded by a sentence encoder; give text:"
        + " \"utterance\" to encode MELD's utterances"
    ),
    (
      "d = meld(\"FOLDER\", text: none, 1️⃣cache: none)",
      "argument 'cache' to meld applies to text encoded by a sentence encoder; give text:"
        + " \"utterance\" to encode MELD's utterances"
    ),
    (
      "d = columns(\"FOLDER/reviews.csv\", label: \"label\", features: [\"n\"], 1️⃣normalize: true)",
      "argument 'normalize' to columns applies to text encoded by a sentence encoder; give"
        + " text: a text column's name"
    ),
    (
      "d = meld(\"FOLDER\", text: \"utterance\", 1️⃣join: \"key\")",
      "argument 'join' to meld joins embedding files to the CSV rows; text: \"utterance\""
        + " encodes each row's own utterance, so there is nothing to join"
    ),
    (
      "d = columns(\"FOLDER/reviews.csv\", label: \"label\", features: [\"n\"], 1️⃣name: \"text\","
        + " text: \"review\")",
      "argument 'name' to columns is 'text', the name of the text modality; give the column"
        + " features another name"
    ),
    (
      "d = 1️⃣columns(\"FOLDER/reviews.csv\", label: \"label\")",
      "columns needs features: (column features), text: (a text column) or both"
    ),
    (
      "d = meld(\"FOLDER\", text: \"utterance\", 1️⃣encoder: \"\")",
      "argument 'encoder' to meld is an empty path; give a sentence encoder's model folder"
        + " (scripts/setup fetches all-MiniLM-L6-v2)"
    ),
  ])
  func textArgumentsAreCheckedWhereTheyAreWritten(marked: String, message: String) throws {
    try expectError(marked, message)
  }

  @Test(.enabled(if: minilmAvailable, "needs data/minilm (scripts/setup or scripts/fetch-minilm)"))
  func aTextColumnIsEncodedOnceASession() throws {
    let folder = try Self.fixtures()
    var printed = ""
    var progress: [String] = []
    let interpreter = Interpreter { printed += $0 }
    interpreter.registerEngineBuiltins(
      host: EngineHost(threads: 1, showsTransientProgress: false) { update in
        if case .line(let text) = update { progress.append(text) }
      })
    let call =
      "columns(\"\(folder.path)/reviews.csv\", label: \"label\", features: [\"n\"], name: \"n\","
      + " text: \"review\", encoder: \"\(Self.minilm.path)\", cache: none)"
    try interpreter.run(source: "d = \(call)\nshow(d)\ne = \(call)\nprint(e.dims)", file: "t")
    #expect(
      printed.contains(
        "    text  384 features  ('review' encoded by \(Self.minilm.path), unit length, at most"
          + " 256 tokens)\n"))
    #expect(printed.contains("    n     1 feature\n"))
    #expect(printed.hasSuffix("{n: 1, text: 384}\n"))
    #expect(
      progress == [
        "text: reading the encoder in \(Self.minilm.path)", "text: encoded 10 texts",
        "text: 10 texts reused from this session",
      ])
  }

  /// docs/data.md shows each data builtin's signature as help gives it, and every parameter.
  @Test(arguments: ["meld", "columns"])
  func theDataDocumentationAgreesWithHelp(name: String) throws {
    let interpreter = Interpreter { _ in }
    interpreter.registerEngineBuiltins(host: EngineHost(threads: 1))
    let builtin = try #require(interpreter.builtin(named: name))
    let docs = try String(
      contentsOf: Self.root.appendingPathComponent("docs/data.md"), encoding: .utf8)
    #expect(docs.contains("`\(builtin.signature)`"), "docs/data.md lacks \(builtin.signature)")
    for parameter in builtin.parameters {
      #expect(
        docs.contains("`\(parameter.name)`"), "docs/data.md lacks \(name)'s \(parameter.name)")
    }
  }
}
