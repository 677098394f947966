import Foundation
import Testing

@testable import FuseEngine

/// Official split files described by a manifest, on small handmade files.
@Suite("Split-file manifests: feature files joined by row or key, column features")
struct JoinManifestTests {
  /// Writes three split tables, a feature file per split (row r of split s is
  /// [100 s + r]) and an ids file per split listing the rows in reverse order.
  static func writeFolder(manifest: String) throws -> URL {
    let folder = try DataTestPaths.temporaryFolder()
    let tables = [
      "train": "Who,Mood,D,U\nAnn,up,0,0\nBob,down,0,1\nAnn,up,1,0\n",
      "dev": "Who,Mood,D,U\nBob,up,0,0\nCy,down,0,1\n",
      "test": "Who,Mood,D,U\nAnn,down,0,0\n",
    ]
    for (index, split) in splitNames.enumerated() {
      let table = tables[split]!
      try DataTestPaths.write(table, to: "csv/\(split).csv", in: folder)
      let count = table.split(separator: "\n").count - 1
      let values = (0..<count).map { Float(100 * index + $0) }
      try DataTestPaths.write(
        npyBytes(shape: [count, 1], values: values), to: "feat/\(split)_row.npy", in: folder)
      try DataTestPaths.write(
        npyBytes(shape: [count, 1], values: values.reversed()), to: "feat/\(split)_key.npy",
        in: folder)
      let rows = try parseCSV(text: table, path: split).rows
      let ids = "D,U\n" + rows.reversed().map { "\($0[2]),\($0[3])\n" }.joined()
      try DataTestPaths.write(ids, to: "feat/\(split)_ids.csv", in: folder)
    }
    try DataTestPaths.write(manifest, to: "meta/small.json", in: folder)
    return folder
  }

  static let manifest = """
    { "label": "Mood", "splits": "../csv/{split}.csv",
      "modalities": [
        {"name": "byrow", "file": "../feat/{split}_row.npy", "join": "row"},
        {"name": "bykey", "file": "../feat/{split}_key.npy", "join": ["D", "U"],
         "ids": {"train": "../feat/train_ids.csv", "dev": "../feat/dev_ids.csv",
                 "test": "../feat/test_ids.csv"}},
        {"name": "who", "columns": [{"column": "Who", "as": "category"}]} ] }
    """

  @Test("row and key joins give the same rows; columns one-hot from train")
  func loads() throws {
    let folder = try Self.writeFolder(manifest: Self.manifest)
    let data = try loadDataset(at: folder.appendingPathComponent("meta/small.json").path)
    #expect(data.name == "small")
    #expect(data.classNames == ["down", "up"])
    #expect(data.modalities.map(\.dimension) == [1, 1, 2])
    #expect(data.splits["train"]!.features[0].values == [0, 1, 2])
    #expect(data.splits["train"]!.features[1].values == [0, 1, 2])
    #expect(data.splits["dev"]!.features[1].values == [100, 101])
    #expect(data.splits["test"]!.features[1].values == [200])
    // Train vocabulary: Ann (twice), Bob; Cy in dev is all zeros.
    #expect(data.splits["dev"]!.features[2].values == [0, 1, 0, 0])
    #expect(data.splits["dev"]!.labels == [1, 0])
  }

  @Test("a key missing in one split's ids file names that split and the key")
  func missingKeyInDev() throws {
    let folder = try Self.writeFolder(manifest: Self.manifest)
    let ids = try DataTestPaths.write("D,U\n0,1\n0,5\n", to: "feat/dev_ids.csv", in: folder)
    do {
      _ = try loadDataset(at: folder.appendingPathComponent("meta/small.json").path)
      Issue.record("expected an error")
    } catch let error as DataError {
      #expect(
        error.description
          == "\(ids): split 'dev': has no row for key (D=0, U=0) of"
          + " \(folder.path)/csv/dev.csv line 2")
    }
  }

  @Test("a feature file with a row too many names the split and both counts")
  func rowCount() throws {
    let folder = try Self.writeFolder(manifest: Self.manifest)
    let path = try DataTestPaths.write(
      npyBytes(shape: [2, 1], values: [0, 1]), to: "feat/test_row.npy", in: folder)
    do {
      _ = try loadDataset(at: folder.appendingPathComponent("meta/small.json").path)
      Issue.record("expected an error")
    } catch let error as DataError {
      #expect(
        error.description
          == "\(path): split 'test': has 2 rows but \(folder.path)/csv/test.csv has 1 data row"
          + " (a row join needs one feature row per table row)")
    }
  }

  @Test(
    "manifest mistakes are named",
    arguments: [
      (
        "{\"label\": \"Mood\", \"splits\": 3, \"modalities\": [{\"name\": \"who\", \"columns\": [\"U\"]}]}",
        "'splits' must be a path with {split} or an object {\"train\": ..., \"dev\": ..., \"test\": ...}"
      ),
      (
        "{\"label\": \"Mood\", \"splits\": {\"train\": \"a.csv\"}, \"modalities\": [{\"name\": \"who\", \"columns\": [\"U\"]}]}",
        "'splits' has no dev path"
      ),
      (
        "{\"label\": \"Mood\", \"splits\": \"x\", \"modalities\": [{\"name\": \"t\", \"file\": \"f\", \"join\": \"rows\"}]}",
        "modality 't': 'join' must be \"row\" or a list of key columns"
      ),
      (
        "{\"label\": \"Mood\", \"splits\": \"x\", \"modalities\": [{\"name\": \"t\", \"file\": \"f\", \"join\": [\"D\"]}]}",
        "modality 't': a key join needs 'ids', an ids file per split"
      ),
      (
        "{\"label\": \"Mood\", \"splits\": \"x\", \"modalities\": [{\"name\": \"t\", \"columns\": [{\"column\": \"W\", \"as\": \"date\"}]}]}",
        "modality 't': column 'W': unknown kind 'date'; use number, category, duration or text-cues"
      ),
      (
        "{\"label\": \"Mood\", \"splits\": \"x\", \"modalities\": [{\"name\": \"t\"}]}",
        "modality 't' needs 'file' (a feature file per split) or 'columns'"
      ),
    ])
  func mistakes(manifest: String, reason: String) throws {
    let folder = try DataTestPaths.temporaryFolder()
    let path = try DataTestPaths.write(manifest, to: "bad.json", in: folder)
    #expect(throws: DataError.badManifest(path: path, reason: reason)) {
      try loadDataset(at: path)
    }
  }
}
