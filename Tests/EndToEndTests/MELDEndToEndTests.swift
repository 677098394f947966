import Foundation
import Testing

private let sharedData = FuselabProcess.sharedData

private var meldAvailable: Bool { FuselabProcess.meldAvailable }

@Suite("MELD and column features through the fuselab binary")
struct MELDEndToEndTests {
  @Test(
    "examples/meld.fuse loads MELD, trains and reports a sane fused weighted F1",
    .enabled(if: meldAvailable, "needs ../shared/data (MELD); absent here"))
  func example() throws {
    let outcome = try FuselabProcess.run(["run", "examples/meld.fuse"])
    #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
    let output = outcome.standardOutput
    for line in [
      "dataset MELD Emotion: 13708 samples from ../shared/data",
      "    text     384 features",
      "    context  18 features",
      "  classes (7): anger, disgust, fear, joy, neutral, sadness, surprise",
      "  splits: train 9989, dev 1109, test 2610",
      "class      train     dev    test",
      "neutral     4710     470    1256",
      "total       9989    1109    2610",
      "test split, 2610 samples; rates keep: text ",
    ] {
      #expect(output.contains(line), "missing: \(line)")
    }
    let reportRows = output.split(separator: "\n").filter {
      $0.hasPrefix("fused  ") || $0.hasPrefix("text alone") || $0.hasPrefix("context alone")
    }
    #expect(reportRows.count == 3)
    for row in reportRows {
      let scores = row.split(separator: " ").suffix(3).compactMap { Double($0) }
      #expect(scores.count == 3 && scores.allSatisfy { (0...1).contains($0) }, "\(row)")
    }

    let marker = "fused test weighted F1: "
    let line = try #require(output.split(separator: "\n").first { $0.hasPrefix(marker) })
    let weightedF1 = try #require(Double(line.dropFirst(marker.count)))
    // Always guessing neutral gives 0.32 on test; published text-only models reach about 0.6.
    #expect(weightedF1 > 0.4 && weightedF1 < 0.8, "fused weighted F1 \(weightedF1)")
  }

  /// A MELD-shaped folder: meld/<split>_sent_emo.csv and meld_tiny/ with embeddings and ids.
  func tinyMELD(devIDs: String? = nil) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-meld-\(UUID().uuidString)")
    let header =
      "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,"
      + "Episode,StartTime,EndTime\n"
    let rows = [
      "1,\"Hi, Ross!\",Rachel,joy,positive,0,0,1,1,\"00:00:01,000\",\"00:00:02,500\"\n",
      "2,What?,Ross,surprise,negative,0,1,1,1,\"00:00:03,000\",\"00:00:03,250\"\n",
    ]
    for split in ["train", "dev", "test"] {
      try write(
        header + rows.joined(), to: folder.appendingPathComponent("meld/\(split)_sent_emo.csv"))
      try write(
        "row,Dialogue_ID,Utterance_ID\n0,0,0\n1,0,1\n",
        to: folder.appendingPathComponent("meld_tiny/\(split)_ids.csv"))
      try write(
        "a,b\n1,2\n3,4\n", to: folder.appendingPathComponent("meld_tiny/\(split)_tiny.csv"))
    }
    if let devIDs {
      try write(devIDs, to: folder.appendingPathComponent("meld_tiny/dev_ids.csv"))
    }
    return folder
  }

  func write(_ text: String, to url: URL) throws {
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try text.write(to: url, atomically: true, encoding: .utf8)
  }

  @Test("meld() and counts() on a MELD-shaped folder")
  func tinyLoad() throws {
    let root = try tinyMELD()
    let script = try FuselabProcess.script(
      """
      d = meld("\(root.path)", label: "Sentiment", text: "tiny", join: "key")
      print(d.dims)
      print(counts(d).dev)
      """)
    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status == 0, "stderr: \(outcome.standardError)")
    // Two speakers in train: Rachel, Ross and other, then 1 + 1 + 5 more context features.
    #expect(outcome.standardOutput == "{text: 2, context: 10}\n{negative: 1, positive: 1}\n")
  }

  @Test("a duplicate key stops the script with the split, the key and the lines")
  func duplicateKey() throws {
    let root = try tinyMELD(devIDs: "row,Dialogue_ID,Utterance_ID\n0,0,1\n1,0,1\n")
    let script = try FuselabProcess.script(
      "d = meld(\"\(root.path)\", text: \"tiny\", join: \"key\")\n")
    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status != 0)
    let ids = root.appendingPathComponent("meld_tiny/dev_ids.csv").path
    #expect(
      outcome.standardError.contains(
        "\(script.path):1:5: error: \(ids): split 'dev': key (Dialogue_ID=0, Utterance_ID=1)"
          + " appears twice, on lines 2 and 3"), "stderr: \(outcome.standardError)")
  }

  @Test("columns() turns chosen columns of any CSV into a modality")
  func columnsOfAnyCSV() throws {
    let csv = try FuselabProcess.script(
      """
      name,kind,start,end,note,split
      a,x,"0:00:01,000","0:00:03,000",Hi!,train
      b,y,"0:00:01,000","0:00:02,000",hm?,train
      c,x,"0:00:00,000","0:00:04,000",HEY...,dev
      d,z,"0:00:00,000","0:00:01,000",ok,test

      """, named: "talk.csv")
    let script = try FuselabProcess.script(
      """
      d = columns("\(csv.path)", label: "kind", name: "talk",
                  features: [{from: ["start", "end"], as: "duration"},
                             {column: "note", as: "text-cues"}, {column: "name", as: "category", top: 1}])
      show(d)
      show(counts(d))
      bad = columns("\(csv.path)", label: "kind", features: [{from: ["start", "note"], as: "duration"}])
      """)
    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status != 0)
    #expect(outcome.standardOutput.contains("    talk  8 features"))
    #expect(outcome.standardOutput.contains("  splits: train 2, dev 1, test 1"))
    #expect(
      outcome.standardOutput.contains(
        "class   train     dev    test\nx           1       1       0"))
    #expect(
      outcome.standardError.contains(
        "\(csv.path):2: column 5 ('note'): 'Hi!' is not a time hours:minutes:seconds,milliseconds"),
      "stderr: \(outcome.standardError)")
  }

  @Test("meld() with a label MELD does not have says which labels it has")
  func badLabel() throws {
    let root = try tinyMELD()
    let script = try FuselabProcess.script(
      "d = meld(\"\(root.path)\", label: \"Mood\", text: \"tiny\")\n")
    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status != 0)
    #expect(
      outcome.standardError.contains(
        "MELD's labels are Emotion (7 classes) and Sentiment (3), not 'Mood'"))
  }
}
