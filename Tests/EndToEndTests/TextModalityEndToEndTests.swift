import Foundation
import Testing

/// A CSV text column encoded by MiniLM through the built binary: trained on, cached for the
/// next run, and loaded back beside a checkpoint made from it.
@Suite("Text columns encoded by MiniLM, end to end")
struct TextModalityEndToEndTests {
  static let minilm = FuselabProcess.repositoryRoot.appendingPathComponent("data/minilm")

  static var minilmAvailable: Bool {
    FileManager.default.fileExists(atPath: minilm.appendingPathComponent("model.safetensors").path)
  }

  /// Twenty short reviews of each sentiment, in file order alternating, so that the
  /// stratified split gives 24 train, 8 dev and 8 test reviews.
  static let reviews: [(String, String)] = [
    ("The pasta was perfect and the waiter remembered our names.", "positive"),
    ("We waited forty minutes for a cold pizza.", "negative"),
    ("Lovely little bakery, the croissants are still warm at nine.", "positive"),
    ("The room smelled of smoke and the sheets were stained.", "negative"),
    ("A friendly crew and a view of the harbour, what more could you want?", "positive"),
    ("Rude staff, sticky tables, and the music far too loud.", "negative"),
    ("Honestly the best curry I have had outside of Delhi.", "positive"),
    ("My steak came back raw twice and nobody apologised.", "negative"),
    ("Quiet, clean and cheap: we will stay here again.", "positive"),
    ("The coffee tasted burnt and the milk had gone sour.", "negative"),
    ("Kind people, fresh bread and a garden full of roses.", "positive"),
    ("Overpriced, bland and served on a chipped plate.", "negative"),
    ("The tour guide was funny and knew every story of the old town.", "positive"),
    ("The bus never came and the ticket office was closed.", "negative"),
    ("Our kids loved the pool and the ice cream even more.", "positive"),
    ("Broken shower, no hot water, and a noisy road outside.", "negative"),
    ("A wonderful evening; the dessert alone was worth the trip.", "positive"),
    ("The manager shouted at a guest in front of everyone.", "negative"),
    ("Great value, generous portions and a warm welcome.", "positive"),
    ("I found a hair in my soup and they still charged me.", "negative"),
    ("Such a charming café, the owner even drew us a map.", "positive"),
    ("The bed was hard, the pillows flat, and the walls thin.", "negative"),
    ("Superb fish, caught that morning and grilled simply.", "positive"),
    ("Dirty glasses and a waiter who ignored us all night.", "negative"),
    ("We laughed all evening; the staff made it feel like home.", "positive"),
    ("The flight was delayed six hours with no explanation.", "negative"),
    ("Beautiful rooms with fresh flowers and soft towels.", "positive"),
    ("The food arrived late, lukewarm and wrong.", "negative"),
    ("An excellent museum with kind, patient guides.", "positive"),
    ("Never again: the worst service I have ever had.", "negative"),
    ("The soup was rich and the bread was baked in house.", "positive"),
    ("They lost our booking and gave the table away.", "negative"),
    ("A peaceful spot by the river, perfect for a long lunch.", "positive"),
    ("The air conditioning broke and the room was stifling.", "negative"),
    ("Delicious tapas and a lively, happy crowd.", "positive"),
    ("The fries were soggy and the burger was dry.", "negative"),
    ("Spotless apartment, helpful host, great location.", "positive"),
    ("We were overcharged and the manager refused to fix it.", "negative"),
    ("The concert was magical and the sound was clear.", "positive"),
    ("Cramped seats, a broken screen and cold tea.", "negative"),
  ]

  static func writeReviews(in folder: URL) throws {
    var lines = ["review,sentiment"]
    for (text, label) in reviews {
      lines.append("\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\",\(label)")
    }
    try (lines.joined(separator: "\n") + "\n").write(
      to: folder.appendingPathComponent("reviews.csv"), atomically: true, encoding: .utf8)
  }

  /// A new, empty temporary folder whose name starts with `prefix`; the caller removes it.
  static func temporaryFolder(_ prefix: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(prefix)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A temporary folder holding reviews.csv and the scripts given, by file name.
  static func reviewsFolder(_ prefix: String, scripts: [String: String] = [:]) throws -> URL {
    let folder = try temporaryFolder(prefix)
    try writeReviews(in: folder)
    for (name, text) in scripts {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return folder
  }

  /// The line a script loads the reviews with, encoded by this repository's MiniLM.
  static let loadReviews = """
    data = columns("reviews.csv", label: "sentiment", text: "review", encoder: "\(minilm.path)")
    """

  /// The number printed after `label` on a line of its own.
  static func number(after label: String, in output: String) -> Double? {
    output.split(separator: "\n").first { $0.hasPrefix(label + " ") }
      .flatMap { Double($0.dropFirst(label.count + 1)) }
  }

  @Test(
    "a script trains on a CSV text column, and its next run reads the cache and the checkpoint",
    .enabled(if: minilmAvailable, "needs data/minilm (scripts/setup or scripts/fetch-minilm)"))
  func trainsOnATextColumn() throws {
    let load = Self.loadReviews
    let train = """
      \(load)
      show(data)
      m = model(data, hidden: [32], dropout: 0.1, seed: 3)
      h = train(m, epochs: 30, batch: 8, rates: 0.01, momentum: 0.9, seed: 3)
      report(m, "test")
      print("accuracy", evaluate(m, "test").acc)
      print("dev_accuracy", evaluate(m, "dev").acc)
      save(m, "run.safetensors")
      """
    let again = """
      \(load)
      m = load_model("run.safetensors", data)
      print("accuracy", evaluate(m, "test").acc)
      """
    let folder = try Self.reviewsFolder(
      "fuselab-text-e2e", scripts: ["train.fuse": train, "again.fuse": again])
    defer { try? FileManager.default.removeItem(at: folder) }

    let first = try FuselabProcess.run(["run", "train.fuse"], in: folder)
    #expect(first.status == 0, "\(first.standardError)")
    #expect(
      first.standardOutput.contains(
        "    text  384 features  ('review' encoded by \(Self.minilm.path), unit length, at most"
          + " 256 tokens)\n"))
    #expect(first.standardOutput.contains("  splits: train 24, dev 8, test 8\n"))
    #expect(first.standardError.contains("text: encoded 40 texts, cached in data/cache/minilm-"))
    let accuracy = try #require(Self.number(after: "accuracy", in: first.standardOutput))
    let devAccuracy = try #require(Self.number(after: "dev_accuracy", in: first.standardOutput))
    // Eight reviews in each, whose sentiment is plain to read; guessing gets half of them.
    #expect(accuracy >= 0.75 && devAccuracy >= 0.75, "test \(accuracy), dev \(devAccuracy)")

    let second = try FuselabProcess.run(["run", "again.fuse"], in: folder)
    #expect(second.status == 0, "\(second.standardError)")
    #expect(second.standardError.contains("text: 40 texts read from the cache data/cache/minilm-"))
    #expect(!second.standardError.contains("reading the encoder"))
    #expect(Self.number(after: "accuracy", in: second.standardOutput) == accuracy)
  }

  /// The encoder itself trains inside the fused model: by block, the embeddings and the
  /// first layer frozen, the upper layers at 2e-5 beside a head at 1e-3, for one epoch.
  @Test(
    "a script fine-tunes MiniLM inside the fused model, by block, with its lower blocks frozen",
    .enabled(if: minilmAvailable, "needs data/minilm (scripts/setup or scripts/fetch-minilm)"))
  func fineTunesTheEncoder() throws {
    let load = Self.loadReviews
    let tune = """
      \(load)
      m = model(data, hidden: [32], dropout: 0.1, finetune: {text: "blocks"}, seed: 3)
      show(m)
      frozen = {frozen: true}
      h = train(m, epochs: 1, batch: 8, optimizer: "adamw", rates: 0.00002, seed: 3,
                groups: {text: {lr: 0.001}, "text.embeddings": frozen, "text.layer.0": frozen})
      print("loss", h.loss[0])
      print("encoder_rate", h.groups.rates["text.layer.5"][0])
      print("head_rate", h.groups.rates.text[0])
      print("frozen_ratio", h.groups.update_ratio["text.embeddings"][0])
      print("moved_ratio", h.groups.update_ratio["text.layer.5"][0])
      report(m, "test")
      print("accuracy", evaluate(m, "test").acc)
      save(m, "tuned.safetensors")
      write_history(h, "tuned.csv")
      """
    let again = """
      \(load)
      m = load_model("tuned.safetensors", data)
      show(m)
      print("accuracy", evaluate(m, "test").acc)
      low = {}
      for g in ["text.embeddings", "text.layer.0", "text.layer.1", "text.layer.2", "text.layer.3",
                "text.layer.4"] { low[g] = {frozen: true} }
      train(m, epochs: 1, batch: 8, rates: 0.01, groups: low, seed: 3)
      """
    let folder = try Self.reviewsFolder(
      "fuselab-finetune-e2e", scripts: ["tune.fuse": tune, "again.fuse": again])
    defer { try? FileManager.default.removeItem(at: folder) }

    let first = try FuselabProcess.run(["run", "tune.fuse"], in: folder)
    #expect(first.status == 0, "\(first.standardError)")
    let output = first.standardOutput
    #expect(
      output.contains(
        "  text  384 -> 32 -> 2  (dropout 0.1, standardised, fine-tunes its encoder by block)\n"),
      "\(output)")
    // Two classes: a loss near log 2 = 0.69, not one blown up by the encoder's gradient.
    let loss = try #require(Self.number(after: "loss", in: output))
    #expect(loss < 0.8, "train loss \(loss)")
    #expect(Self.number(after: "encoder_rate", in: output) == 0.00002)
    #expect(Self.number(after: "head_rate", in: output) == 0.001)
    #expect(Self.number(after: "frozen_ratio", in: output) == 0)
    let moved = try #require(Self.number(after: "moved_ratio", in: output))
    #expect(moved > 0 && moved < 1e-3, "layer 5 moved by \(moved)")
    // The progress lines list every group with its rate; the frozen ones say so.
    #expect(first.standardError.contains("text.layer.5"), "\(first.standardError)")
    #expect(first.standardError.contains("frozen"))
    #expect(!first.standardError.contains("warning"), "\(first.standardError)")
    let accuracy = try #require(Self.number(after: "accuracy", in: output))
    // The export has every group's columns, the frozen embeddings' update ratio 0.
    let exported = try String(
      contentsOf: folder.appendingPathComponent("tuned.csv"), encoding: .utf8
    ).split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
    let header = try #require(exported.first)
    let groupColumns = header.filter { $0.hasPrefix("group.") }
    #expect(groupColumns.count == 3 * 8, "\(header)")  // the head, then 7 encoder blocks
    let frozenColumn = try #require(header.firstIndex(of: "group.text.embeddings_update_ratio"))
    #expect(exported[1][frozenColumn] == "0")
    let rateColumn = try #require(header.firstIndex(of: "group.text.layer.5_lr"))
    #expect(exported[1][rateColumn] == "2e-05")

    let second = try FuselabProcess.run(["run", "again.fuse"], in: folder)
    #expect(second.status == 0, "\(second.standardError)")
    #expect(second.standardOutput.contains("fine-tunes its encoder by block"))
    #expect(Self.number(after: "accuracy", in: second.standardOutput) == accuracy)
    // A head's rate on the one block still training draws a warning naming that block only.
    let warnings = second.standardError.split(separator: "\n").filter { $0.contains("warning") }
    let expected: String =
      "train: warning: group text.layer.5 fine-tunes a pretrained encoder at 0.01; above"
      + " about 0.001 an encoder's pretrained weights are soon lost (fine-tuning uses 1e-5"
      + " to 1e-4); give it a rate of its own, as in groups: {\"text.layer.5\": {lr:"
      + " 0.00002}}"
    #expect(warnings.map(String.init) == [expected], "\(second.standardError)")
  }

  @Test("without data/minilm the error names the folder and how to fetch it")
  func missingDefaultEncoder() throws {
    let folder = try Self.reviewsFolder(
      "fuselab-text-e2e",
      scripts: [
        "s.fuse": "data = columns(\"reviews.csv\", label: \"sentiment\", text: \"review\")\n"
      ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let outcome = try FuselabProcess.run(["run", "s.fuse"], in: folder)
    #expect(outcome.status == 70)
    let absolute = folder.appendingPathComponent("data/minilm").standardized.path
    #expect(
      outcome.standardError.hasPrefix(
        "s.fuse:1:8: error: data/minilm (\(absolute)): no such folder; run scripts/setup (or"
          + " scripts/fetch-minilm) at the repository root"), "\(outcome.standardError)")
  }

  /// examples/meld-text.fuse encodes all 13,708 utterances, about a minute in an optimised
  /// build, so it runs only when asked; its copy caches in a temporary folder.
  @Test(
    "examples/meld-text.fuse encodes MELD, trains, and its second run reads the cache",
    .enabled(
      if: minilmAvailable && FuselabProcess.meldAvailable
        && ProcessInfo.processInfo.environment["FUSELAB_MELD_FULL"] == "1",
      "set FUSELAB_MELD_FULL=1 to encode all of MELD (needs data/minilm and ../shared/data)"))
  func meldTextExample() throws {
    let folder = try Self.temporaryFolder("fuselab-meld-text")
    defer { try? FileManager.default.removeItem(at: folder) }
    let example = try String(
      contentsOf: FuselabProcess.repositoryRoot.appendingPathComponent("examples/meld-text.fuse"),
      encoding: .utf8)
    let cache = folder.appendingPathComponent("cache").path
    let script = example.replacingOccurrences(
      of: "meld(\"../shared/data\", label: \"Emotion\", text: \"utterance\", context: true)",
      with: "meld(\"\(FuselabProcess.sharedData.path)\", label: \"Emotion\", text: \"utterance\","
        + " context: true, encoder: \"\(Self.minilm.path)\", cache: \"\(cache)\")")
    #expect(script != example, "the example no longer loads MELD as this test expects")
    try script.write(
      to: folder.appendingPathComponent("meld-text.fuse"), atomically: true, encoding: .utf8)

    let first = try FuselabProcess.run(["run", "meld-text.fuse"], in: folder)
    #expect(first.status == 0, "\(first.standardError)")
    #expect(first.standardOutput.contains("  splits: train 9989, dev 1109, test 2610\n"))
    #expect(first.standardOutput.contains("    text     384 features  ('Utterance' encoded by"))
    #expect(first.standardError.contains("text train: encoded 9989 texts, cached in \(cache)/"))
    let marker = "fused test weighted F1: "
    let line = try #require(
      first.standardOutput.split(separator: "\n").first { $0.hasPrefix(marker) })
    let weightedF1 = try #require(Double(line.dropFirst(marker.count)))
    // Always guessing neutral gives 0.32 on test; published text-only models reach about 0.6.
    #expect(weightedF1 > 0.4 && weightedF1 < 0.8, "fused weighted F1 \(weightedF1)")

    let second = try FuselabProcess.run(["run", "meld-text.fuse"], in: folder)
    #expect(second.status == 0, "\(second.standardError)")
    #expect(second.standardError.contains("text train: 9989 texts read from the cache \(cache)/"))
    #expect(second.standardOutput == first.standardOutput)
  }
}
