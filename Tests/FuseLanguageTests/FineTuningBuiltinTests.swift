import Foundation
import FuseEngine
import Testing

@testable import FuseLanguage

/// `model(..., finetune:)` and what train() makes of a fine-tuning model: its groups in
/// `groups:` and `freeze:`, and the mistakes a script can make, on ten short reviews
/// encoded by all-MiniLM-L6-v2.
@Suite(
  "finetune: in the language",
  .enabled(if: TextBuiltinTests.minilmAvailable, "needs data/minilm (scripts/setup)"))
struct FineTuningBuiltinTests {
  /// A script that loads the reviews' text column with a number column beside it.
  static func load(_ folder: URL) -> String {
    """
    data = columns("\(folder.path)/reviews.csv", label: "label", text: "review", \
    features: ["n"], encoder: "\(TextBuiltinTests.minilm.path)", cache: none)

    """
  }

  /// The progress lines (standard error's, in the executable) of a script run after the
  /// reviews are loaded.
  static func progressLines(_ source: String) throws -> [String] {
    let folder = try TextBuiltinTests.fixtures()
    var lines: [String] = []
    let interpreter = Interpreter { _ in }
    interpreter.registerEngineBuiltins(
      host: EngineHost(threads: 1) { update in
        if case .line(let text) = update { lines.append(text) }
      })
    try interpreter.run(source: load(folder) + source, file: "w.fuse")
    return lines
  }

  func expectError(_ marked: String, _ message: String) throws {
    let folder = try TextBuiltinTests.fixtures()
    let source = MarkedSource(Self.load(folder) + marked)
    expectEngineError(source, message)
  }

  @Test func fineTuningAModalityThatIsNotTextNamesTheTextModalities() throws {
    try expectError(
      "m = model(data, 1️⃣finetune: \"columns\")",
      "finetune names 'columns', which is not a text modality (its features do not come from "
        + "a text encoder, so there is none to fine-tune); the text modalities are text")
    try expectError(
      "m = model(data, 1️⃣finetune: [\"txt\"])",
      "finetune names 'txt', which is not a modality of the data set (columns, text); did "
        + "you mean 'text'?")
    try expectError(
      "m = model(data, 1️⃣finetune: {text: \"layers\"})",
      "finetune.text must be \"whole\" (one group, <modality>.encoder) or \"blocks\", got the "
        + "string \"layers\"")
  }

  @Test func aMisspelledGroupListsTheEncoderGroups() throws {
    try expectError(
      """
      m = model(data, hidden: [8], finetune: {text: "blocks"})
      train(m, epochs: 1, 1️⃣groups: {"text.layer.9": {frozen: true}})
      """,
      "groups names 'text.layer.9', but there is no such group; this model's groups are "
        + "columns, text, text.embeddings, text.layer.0, text.layer.1, text.layer.2, "
        + "text.layer.3, text.layer.4, text.layer.5, fusion; did you mean 'text.layer.0'?")
  }

  /// Adam's betas and eps are read by an encoder group that uses AdamW under SGD heads, and
  /// an SGD encoder group's own eps is an error: the encoder's groups are checked like the
  /// branches' (they were left out, so the first was refused and the second ignored).
  @Test func adamSettingsAreCheckedAgainstTheEncoderGroupsToo() throws {
    try expectError(
      """
      m = model(data, hidden: [8], finetune: "text")
      train(m, epochs: 1, optimizer: "adamw", 1️⃣groups: {"text.encoder": {optimizer: "sgd", eps: 1e-6}})
      """,
      "groups.text.encoder.eps is a setting of Adam and AdamW, but this group's optimizer is "
        + "sgd; leave it out, or give the group optimizer: \"adam\" or \"adamw\"")
    let folder = try TextBuiltinTests.fixtures()
    let read = engineRun(
      Self.load(folder) + """
        m = model(data, hidden: [8], finetune: "text")
        train(m, epochs: 1, optimizer: "sgd", betas: [0.9, 0.98],
              groups: {"text.encoder": {optimizer: "adamw", lr: 0.00002}})
        """)
    #expect(read.diagnostic == nil, "\(read.diagnostic?.message ?? "")")
  }

  /// A sweep that fine-tunes the encoder at a head's rate warns at each such rate, with
  /// advice for a sweep (a grid of its own); the encoder's own rates draw nothing.
  @Test func aSweepAtAHeadsRateWarnsOfTheEncoder() throws {
    let lines = try Self.progressLines(
      """
      m = model(data, hidden: [8], finetune: "text")
      best = sweep(m, rates: {text: [0.00002, 0.01], columns: [0.01]}, epochs: 1, seed: 1)
      """)
    let warnings = lines.filter { $0.contains("warning") }
    #expect(
      warnings == [
        "sweep: warning: group text.encoder fine-tunes a pretrained encoder at 0.01; above about"
          + " 0.001 an encoder's pretrained weights are soon lost (fine-tuning uses 1e-5 to"
          + " 1e-4); keep its modality's grid to encoder rates, as in rates: {text:"
          + " [0.00002, 0.0001], ...}"
      ], "\(lines)")
  }

  /// A schedule that raises the encoder's rate above the limit after the start is warned of
  /// at the epoch that trained at it, once.
  @Test func aScheduleThatRaisesTheEncodersRateWarnsAtThatEpoch() throws {
    let lines = try Self.progressLines(
      """
      m = model(data, hidden: [8], finetune: "text")
      h = train(m, epochs: 3, optimizer: "adamw", rates: {text: 0.0005, columns: 0.01},
                schedule: exponential(10), seed: 1)
      """)
    let warnings = lines.filter { $0.contains("warning") }
    #expect(
      warnings == [
        "train: warning: epoch 2 trained group text.encoder, a pretrained encoder, at 0.005: its"
          + " schedule or rule raised it above about 0.001, where an encoder's pretrained"
          + " weights are soon lost"
      ], "\(lines)")
  }

  @Test func showSaysHowTheEncoderTrainsAndFreezingTheModalityFreezesIt() throws {
    let folder = try TextBuiltinTests.fixtures()
    let run = engineRun(
      Self.load(folder) + """
        m = model(data, hidden: [8], finetune: "text", seed: 1)
        show(m)
        print(m.branches.text.finetune)
        h = train(m, epochs: 1, batch: 4, freeze: "text")
        print(keys(h.groups.rates))
        print(h.groups.update_ratio["text.encoder"])
        """)
    #expect(run.diagnostic == nil, "\(run.diagnostic?.message ?? "")")
    #expect(
      run.output.contains(
        "  text     384 -> 8 -> 2  (dropout 0.1, standardised, fine-tunes its encoder as one "
          + "group)\n"), "\(run.output)")
    #expect(run.output.contains("\nwhole\n"))
    #expect(run.output.contains("[\"columns\", \"text\", \"text.encoder\"]\n"), "\(run.output)")
    #expect(run.output.hasSuffix("[0]\n"), "\(run.output)")
  }
}
