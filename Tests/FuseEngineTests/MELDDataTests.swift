import Foundation
import Testing

@testable import FuseEngine

/// MELD as shipped in `<repo root>/../shared/data`: the official CSVs and MiniLM embeddings.
///
/// Expected counts come from Python, independently of FuseLab:
///
///     cd ../shared/data && python3 -c "import csv, collections
///     for s in ['train', 'dev', 'test']:
///         rows = list(csv.DictReader(open(f'meld/{s}_sent_emo.csv', encoding='utf-8', newline='')))
///         print(s, len(rows), sorted(collections.Counter(r['Emotion'] for r in rows).items()),
///               sorted(collections.Counter(r['Sentiment'] for r in rows).items()))"
@Suite(
  "MELD from its official layout",
  .enabled(if: DataTestPaths.meldAvailable, "needs ../shared/data (MELD); absent here"))
struct MELDDataTests {
  static let root = DataTestPaths.sharedData.path

  static let emotion: Dataset? = try? MELD.load(root: root, label: "Emotion")

  func classCounts(_ data: Dataset, _ split: String) -> [Int] {
    var counts = Array(repeating: 0, count: data.classNames.count)
    for label in data.splits[split]!.labels { counts[label] += 1 }
    return counts
  }

  @Test("Emotion: 7 classes, official split sizes and per-class counts match Python")
  func emotionCounts() throws {
    let data = try #require(Self.emotion)
    #expect(
      data.classNames == ["anger", "disgust", "fear", "joy", "neutral", "sadness", "surprise"])
    #expect(data.splits.mapValues(\.count) == ["train": 9989, "dev": 1109, "test": 2610])
    #expect(classCounts(data, "train") == [1109, 271, 268, 1743, 4710, 683, 1205])
    #expect(classCounts(data, "dev") == [153, 22, 40, 163, 470, 111, 150])
    #expect(classCounts(data, "test") == [345, 68, 50, 402, 1256, 208, 281])
    #expect(
      data.modalities == [
        Modality(name: "text", dimension: 384), Modality(name: "context", dimension: 18),
      ])
  }

  @Test("Sentiment: 3 classes with Python's counts")
  func sentimentCounts() throws {
    let data = try MELD.load(root: Self.root, label: "sentiment", text: nil, context: true)
    #expect(data.classNames == ["negative", "neutral", "positive"])
    #expect(classCounts(data, "train") == [2945, 4710, 2334])
    #expect(classCounts(data, "dev") == [406, 470, 233])
    #expect(classCounts(data, "test") == [833, 1256, 521])
    #expect(data.modalities.map(\.name) == ["context"])
  }

  @Test("text rows are the MiniLM rows, and a key join gives the same matrix as a row join")
  func textJoin() throws {
    let data = try #require(Self.emotion)
    let keyed = try MELD.load(
      root: Self.root, text: "minilm", context: false, join: .keys(MELD.key))
    for split in splitNames {
      let path = DataTestPaths.sharedData.appendingPathComponent("meld_minilm/\(split)_minilm.npy")
      let raw = try readNumpy(path: path.path).matrix()
      #expect(data.splits[split]!.features[0] == raw)
      #expect(keyed.splits[split]!.features[0] == raw)
    }
  }

  @Test("the context vocabulary is the 10 most frequent train speakers, then other")
  func contextNames() throws {
    let train = try readCSV(path: DataTestPaths.meldTrain)
    let block = try ColumnFeatureBlock.fit(MELD.contextFeatures, on: train)
    let speakers = [
      "Joey", "Ross", "Rachel", "Phoebe", "Monica", "Chandler", "Janice", "Carol",
      "Emily", "Tag", "other",
    ]
    #expect(
      block.featureNames == speakers.map { "Speaker=\($0)" } + [
        "EndTime-StartTime", "Utterance_ID", "Utterance:?", "Utterance:!", "Utterance:...",
        "Utterance:upper_share", "Utterance:words",
      ])
  }

  // Each row: split, row, speaker index (10 = other), duration, Utterance_ID, the five cues.
  // Values from Python: the time as h*3600 + m*60 + s + float("0." + fraction); cues
  // s.count("?"), s.count("!"), runs of three dots plus "…", upper/letters, len(s.split()).
  @Test(
    "context features of chosen rows match values computed in Python",
    arguments: [
      // "also I was the point person on my company’s transition from the KL-5 to GR-6 system."
      ("train", 0, 5, 5.672, 0, [0, 0, 0, 0.079365, 16]),
      // The Interviewer: not in the top 10.
      ("train", 3, 10, 2.752, 3, [0, 0, 0, 0.028571, 9]),
      // "Dude! What are yo—you trying to kill me?!", EndTime "00:06:47,28" (two digits).
      ("train", 4048, 0, 1.791, 2, [1, 2, 0, 0.066667, 8]),
      // "What?! What is with everybody? It’s Thanksgiving, not...Truth-Day!"
      ("train", 85, 1, -1, -1, [2, 2, 1, 0.122449, 8]),
      ("dev", 5, 5, 1.375, 3, [0, 0, 0, 0.052632, 4]),
      // "Oh my God.", StartTime equal to EndTime ("0:12:32,632").
      ("test", 1440, 2, 0.0, 3, [0, 0, 0, 0.285714, 3]),
      // A 304.94-second utterance: MELD's own time stamps, kept as they are.
      ("test", 348, 10, 304.94, 4, [0, 0, 0, 0.05, 7]),
    ] as [(String, Int, Int, Double, Int, [Double])])
  func contextRows(
    split: String, row: Int, speaker: Int, duration: Double, utterance: Int, cues: [Double]
  ) throws {
    let data = try #require(Self.emotion)
    let context = data.splits[split]!.features[1]
    let values = (0..<18).map { Double(context[row, $0]) }
    #expect(values[0..<11] == ArraySlice((0..<11).map { $0 == speaker ? 1.0 : 0.0 }))
    if duration >= 0 { #expect(abs(values[11] - duration) < 1e-4) }
    if utterance >= 0 { #expect(values[12] == Double(utterance)) }
    for (index, cue) in cues.enumerated() { #expect(abs(values[13 + index] - cue) < 1e-5) }
  }

  @Test("examples/meld.json loads the same data set as MELD.load with a key join")
  func exampleManifest() throws {
    let manifest = DataTestPaths.repositoryRoot.appendingPathComponent("examples/meld.json").path
    let fromManifest = try loadDataset(at: manifest)
    let data = try #require(Self.emotion)
    #expect(fromManifest.classNames == data.classNames)
    #expect(fromManifest.modalities == data.modalities)
    for split in splitNames {
      #expect(fromManifest.splits[split]!.labels == data.splits[split]!.labels)
      #expect(fromManifest.splits[split]!.features == data.splits[split]!.features)
    }
  }

  @Test("an unknown label and a folder without MELD are refused with a reason")
  func refusals() throws {
    #expect(
      throws: DataError.unrecognizedLayout(
        path: Self.root,
        reason: "MELD's labels are Emotion (7 classes) and Sentiment (3), not 'Mood'")
    ) {
      try MELD.load(root: Self.root, label: "Mood")
    }
    let empty = try DataTestPaths.temporaryFolder().path
    #expect(
      throws: DataError.unrecognizedLayout(
        path: empty, reason: "no meld/train_sent_emo.csv (MELD's official CSVs) here")
    ) {
      try MELD.load(root: empty)
    }
  }
}
