import Foundation
import Testing

@testable import FuseEngine

/// Small text data sets for the text modality tests, and a slice of real MELD.
enum TextFixtures {
  static var encoderReady: Bool { EncoderTestPaths.minilmAvailable }

  static let skipMessage: Comment = "needs data/minilm (scripts/setup or scripts/fetch-minilm)"

  /// The encoder settings of the tests: data/minilm, with the cache in `cache` or none.
  static func options(cache: URL?, normalize: Bool? = nil, maximumLength: Int? = nil)
    -> SentenceEncoderOptions
  {
    SentenceEncoderOptions(
      folder: EncoderTestPaths.minilm.path, normalize: normalize, maximumLength: maximumLength,
      cacheFolder: cache?.path)
  }

  /// A CSV file's text with every field quoted, so that any text survives.
  static func csv(header: [String], rows: [[String]]) -> String {
    let quote = { (field: String) in
      "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return ([header] + rows).map { $0.map(quote).joined(separator: ",") + "\n" }.joined()
  }

  /// Short reviews with a sentiment, some long, some with curly quotes and accents.
  static let reviews: [(text: String, label: String)] = [
    ("The soup was wonderful and the staff were kind.", "positive"),
    ("I waited an hour and the food arrived cold.", "negative"),
    ("Best café in town; I’ll be back next week!", "positive"),
    ("Terrible. The table was sticky and nobody cared.", "negative"),
    ("A lovely evening, the dessert alone was worth it.", "positive"),
    ("Overpriced, bland, and the music was far too loud.", "negative"),
    ("Friendly service and a warm, quiet room.", "positive"),
    ("My order was wrong twice and the manager shrugged.", "negative"),
    ("Fresh bread, good coffee, fair prices.", "positive"),
    ("The fish smelled off, so we left before the main course.", "negative"),
    ("Delightful little place with a garden at the back.", "positive"),
    ("Never again: rude waiters and a forty-minute wait.", "negative"),
    ("Crêpes as good as in Brittany, really.", "positive"),
    ("Cold coffee, stale croissant, and a dirty cup.", "negative"),
    ("We celebrated a birthday here and everyone loved it.", "positive"),
    ("The portions were tiny and the bill was huge.", "negative"),
  ]

  /// Three split tables of `reviews` (train 8, dev 4, test 4) in a fresh folder, with the
  /// text in `review` and the sentiment in `label`; returns the layout over them.
  static func reviewLayout(
    options: SentenceEncoderOptions, in folder: URL? = nil
  ) throws -> SplitFilesLayout {
    let folder = try folder ?? DataTestPaths.temporaryFolder()
    let parts = ["train": 0..<8, "dev": 8..<12, "test": 12..<16]
    var tables: [String: String] = [:]
    for (split, range) in parts {
      let rows = reviews[range].map { [$0.text, $0.label] }
      tables[split] = try DataTestPaths.write(
        csv(header: ["review", "label"], rows: rows), to: "\(split).csv", in: folder)
    }
    return SplitFilesLayout(
      name: "reviews", tables: tables, label: "label",
      modalities: [
        NamedModalitySource(name: "text", source: .text(column: "review", encoder: options))
      ])
  }

  /// The first `rows` data rows of each MELD split, as a MELD folder of its own in a fresh
  /// temporary folder (never in the repository).
  static func meldSlice(rows: Int) throws -> URL {
    let root = try DataTestPaths.temporaryFolder()
    for split in splitNames {
      let table = try readCSV(
        path: DataTestPaths.sharedData.appendingPathComponent("meld/\(split)_sent_emo.csv").path)
      try DataTestPaths.write(
        csv(header: table.header, rows: Array(table.rows.prefix(rows))),
        to: "meld/\(split)_sent_emo.csv", in: root)
    }
    return root
  }
}
