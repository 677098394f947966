import Foundation
import Testing

@testable import FuseEngine

/// A little-endian float32 `.npy` file (format 1.0, C order) of the given shape.
func npyBytes(shape: [Int], values: [Float]) -> [UInt8] {
  let dims =
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
  var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(dims), }"
  while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
  header += "\n"
  let length = UInt16(header.utf8.count)
  var bytes: [UInt8] =
    [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(length & 0xFF), UInt8(length >> 8)]
  bytes += Array(header.utf8)
  for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
  return bytes
}

@Suite("Data set loading: one CSV file")
struct DatasetCSVTests {
  // Row r has x_1 = r, so each split's rows can be named. Class "cat" holds
  // rows 0, 1, 3, 5, 6, 8 and class "ant" rows 2, 4, 7, 9, 10, 11.
  static let table = """
    label,x_1,x_2,y_1,note
    cat,0,0.5,-1,a
    cat,1,1.5,-1,b
    ant,2,2.5,-1,c
    cat,3,3.5,-1,d
    ant,4,4.5,-1,e
    cat,5,5.5,-1,f
    cat,6,6.5,-1,g
    ant,7,7.5,-1,h
    cat,8,8.5,-1,i
    ant,9,9.5,-1,j
    ant,10,10.5,-1,k
    ant,11,11.5,-1,l

    """

  private func rowIDs(_ split: DataSplit) -> [Int] {
    (0..<split.count).map { Int(split.features[0][$0, 0]) }
  }

  @Test("a manifest's stratified rule puts exactly the expected rows in each split")
  func manifestStratified() throws {
    let folder = try DataTestPaths.temporaryFolder()
    try DataTestPaths.write(Self.table, to: "table.csv", in: folder)
    try DataTestPaths.write(
      """
      { "name": "Tiny", "file": "table.csv", "label": "label",
        "modalities": [ {"name": "x", "columns": "x_*"}, {"name": "y", "columns": ["y_?"]} ],
        "split": {"rule": "stratified", "folds": 3, "dev": 1, "test": 2} }
      """, to: "dataset.json", in: folder)

    let data = try loadDataset(at: folder.path)
    #expect(data.name == "Tiny")
    #expect(data.classNames == ["ant", "cat"])
    #expect(
      data.modalities == [Modality(name: "x", dimension: 2), Modality(name: "y", dimension: 1)])

    // cat k = 0..5 -> rows 0,1,3,5,6,8; ant k = 0..5 -> rows 2,4,7,9,10,11.
    // k % 3 == 1 -> dev, k % 3 == 2 -> test, otherwise train; file order kept.
    let train = try #require(data.splits["train"])
    let dev = try #require(data.splits["dev"])
    let test = try #require(data.splits["test"])
    #expect(rowIDs(train) == [0, 2, 5, 9])
    #expect(rowIDs(dev) == [1, 4, 6, 10])
    #expect(rowIDs(test) == [3, 7, 8, 11])
    #expect(train.labels == [1, 0, 1, 0])
    #expect(train.features[0][1, 1] == 2.5 && train.features[1].values == [-1, -1, -1, -1])
    #expect(
      data.splitRule
        == "stratified by class in file order: within each class the k-th sample (k from 0)"
        + " goes to dev when k % 3 == 1, to test when k % 3 == 2, otherwise to train")
  }

  @Test("a direct .csv path uses prefixes as modalities and the 5/3/4 rule")
  func directCSV() throws {
    let folder = try DataTestPaths.temporaryFolder()
    var lines = ["class,a_1,b_1,b_2"]
    for row in 0..<20 { lines.append("\(row % 2 == 0 ? "even" : "odd"),\(row),\(-row),1") }
    let path = try DataTestPaths.write(lines.joined(separator: "\n"), to: "toy.csv", in: folder)

    let data = try loadDataset(at: path)
    #expect(data.name == "toy" && data.source == path)
    #expect(
      data.modalities.map(\.name) == ["a", "b"] && data.modalities.map(\.dimension) == [1, 2])
    // Each class has 10 rows; its k-th row is row 2k (even) or 2k + 1 (odd).
    #expect(rowIDs(data.splits["dev"]!) == [6, 7, 16, 17])
    #expect(rowIDs(data.splits["test"]!) == [8, 9, 18, 19])
    #expect(data.splits["train"]!.count == 12)
    #expect(data.splitRule.contains("k % 5 == 3, to test when k % 5 == 4"))
  }

  @Test("a split column decides the split of each row")
  func splitColumn() throws {
    let folder = try DataTestPaths.temporaryFolder()
    let path = try DataTestPaths.write(
      "label,split,f_1\nb,train,0\na,Dev,1\nb,test,2\na,train,3\nb,validation,4\n",
      to: "s.csv", in: folder)
    let data = try loadDataset(at: path)
    #expect(rowIDs(data.splits["train"]!) == [0, 3])
    #expect(rowIDs(data.splits["dev"]!) == [1, 4])
    #expect(rowIDs(data.splits["test"]!) == [2])
    #expect(data.splits["dev"]!.labels == [0, 1])
  }

  @Test("integer class names sort as numbers")
  func integerClasses() {
    let (names, labels) = classIndices(for: ["10", "9", "2", "10"])
    #expect(names == ["2", "9", "10"] && labels == [2, 1, 0, 2])
  }

  @Test("column patterns: * and ?")
  func globs() {
    #expect(globMatches("v1_*", "v1_mfcc12") && !globMatches("v1_*", "v2_meanX"))
    #expect(globMatches("y_?", "y_1") && !globMatches("y_?", "y_12"))
    #expect(globMatches("*_mean*", "v2_meanDif") && globMatches("*", ""))
  }
}

@Suite("Data set loading: errors")
struct DatasetErrorTests {
  private func loadError(
    csv: String, manifest: String? = nil
  ) throws -> DataError {
    let folder = try DataTestPaths.temporaryFolder()
    let path = try DataTestPaths.write(csv, to: "t.csv", in: folder)
    if let manifest { try DataTestPaths.write(manifest, to: "dataset.json", in: folder) }
    return try #require(throws: DataError.self) {
      try loadDataset(at: manifest == nil ? path : folder.path)
    }
  }

  private static let rows = (0..<10).map { "c\($0 % 2),\($0),\($0)" }.joined(separator: "\n")

  @Test("a value that is not a number names file, line and column")
  func notANumber() throws {
    let error = try loadError(csv: "label,m_1,m_2\nc0,1,2\nc1,3,x3\n")
    guard case .notANumber(let path, let line, let column, let name, let text) = error else {
      Issue.record("got \(error)")
      return
    }
    #expect(path.hasSuffix("t.csv") && line == 3 && column == 3 && name == "m_2" && text == "x3")
    #expect(
      error.description.hasSuffix(
        "t.csv:3: column 3 ('m_2'): 'x3' is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"
      ))
  }

  @Test("a number beyond 32-bit floats is refused where it is written")
  func beyondFloatRange() throws {
    let error = try loadError(csv: "label,m_1,m_2\nc0,1,2\nc1,3,1e39\n")
    #expect(
      error.description.hasSuffix(
        "t.csv:3: column 3 ('m_2'): '1e39' is beyond the range of 32-bit floats (about ±3.4e38)"))
  }

  @Test("a modality whose patterns match no column")
  func emptyModality() throws {
    let error = try loadError(
      csv: "label,a_1,a_2\n" + Self.rows,
      manifest:
        #"{"file": "t.csv", "label": "label", "modalities": [{"name": "b", "columns": "b_*"}]}"#)
    guard case .emptyModality(_, let modality, let patterns) = error else {
      Issue.record("got \(error)")
      return
    }
    #expect(modality == "b" && patterns == ["b_*"])
  }

  /// A broad pattern ("*") beside another modality silently took the other modality's
  /// columns, and the id or split column beside them.
  @Test(
    "a column claimed by two modalities, or the label or split column, names both and the file",
    arguments: [
      (
        #"[{"name": "a", "columns": "a_*"}, {"name": "all", "columns": ["b_*", "a_2"]}]"#,
        "modalities 'a' (pattern 'a_*') and 'all' (pattern 'a_2') both claim column 'a_2' of"
          + " t.csv; give each column to one modality"
      ),
      (
        #"[{"name": "a", "columns": "*"}, {"name": "b", "columns": "b_*"}]"#,
        "modality 'a' (pattern '*') claims column 'label' of t.csv, which is the label column;"
          + " narrow the modality's column patterns"
      ),
      (
        #"[{"name": "a", "columns": ["a_*", "s*"]}]"#,
        "modality 'a' (pattern 's*') claims column 'split' of t.csv, which is the split column;"
          + " narrow the modality's column patterns"
      ),
    ])
  func overlappingColumns(modalities: String, message: String) throws {
    let rows = (0..<10).map { "c\($0 % 2),\($0),\($0),\($0),\(["train", "dev", "test"][$0 % 3])" }
    let error = try loadError(
      csv: "label,a_1,a_2,b_1,split\n" + rows.joined(separator: "\n"),
      manifest: """
        {"file": "t.csv", "label": "label", "split": {"column": "split"},
         "modalities": \(modalities)}
        """)
    guard case .badManifest(let path, let reason) = error else {
      Issue.record("got \(error)")
      return
    }
    #expect(path.hasSuffix("/dataset.json"))
    #expect(reason == message)
  }

  @Test("a label column that is not there")
  func missingLabel() throws {
    let error = try loadError(
      csv: "label,a_1,a_2\n" + Self.rows,
      manifest:
        #"{"file": "t.csv", "label": "Emotion", "modalities": [{"name": "a", "columns": "a_*"}]}"#)
    guard case .missingColumn(_, let column, let available) = error else {
      Issue.record("got \(error)")
      return
    }
    #expect(column == "Emotion" && available == ["label", "a_1", "a_2"])
  }

  @Test("a target column without task regression is pointed out")
  func targetWithoutRegression() throws {
    let error = try loadError(csv: "a_1,a_2,target\n1,2,0.5\n3,4,1.5\n")
    #expect(
      error.description.hasSuffix(
        "no column 'class' or 'label' (columns: a_1, a_2, target); 'target' is a regression "
          + "target: load the file with task \"regression\""), "\(error)")
    let plain = try loadError(csv: "a_1,a_2,y\n1,2,0.5\n")
    #expect(!plain.description.contains("regression"))
  }

  @Test("a split left empty by the rule")
  func emptySplit() throws {
    // Four samples per class: k % 5 == 4 never happens, so test is empty.
    let csv = "class,a_1\n" + (0..<8).map { "c\($0 % 2),\($0)" }.joined(separator: "\n")
    let error = try loadError(csv: csv)
    guard case .emptySplit(_, let split, let rule) = error else {
      Issue.record("got \(error)")
      return
    }
    #expect(split == "test" && rule.contains("k % 5 == 4"))
  }

  @Test("manifest mistakes name the key")
  func badManifest() throws {
    let noLabel = try loadError(
      csv: "label,a_1\n" + Self.rows,
      manifest: #"{"file": "t.csv", "modalities": [{"name": "a", "columns": "a_*"}]}"#)
    #expect(noLabel.description.contains("no 'label'"))
    let badFolds = try loadError(
      csv: "label,a_1\n" + Self.rows,
      manifest: """
        {"file": "t.csv", "label": "label", "modalities": [{"name": "a", "columns": "a_*"}],
         "split": {"folds": 5, "dev": 3, "test": 3}}
        """)
    #expect(badFolds.description.contains("dev 3 and test 3"))
    let notJSON = try loadError(csv: "label,a_1\n" + Self.rows, manifest: "{ name: ")
    #expect(notJSON.description.contains("not valid JSON"))
    let placed = try loadError(
      csv: "label,a_1\n" + Self.rows, manifest: "{\n  \"file\": \"t.csv\",,\n}")
    #expect(
      placed.description.hasSuffix("dataset.json: not valid JSON: line 2, column 19: invalid value")
    )
  }

  @Test("a column without a modality prefix in a plain CSV")
  func noPrefix() throws {
    let error = try loadError(csv: "class,a_1,weight\n" + Self.rows)
    #expect(error.description.contains("column 'weight' has no modality prefix"))
  }
}

@Suite("Data set loading: train/dev/test folders")
struct DatasetFolderTests {
  /// Writes split folders with an `audio.npy` (2 features) and a `text.csv` (1 feature).
  private func makeFolder(devAudioColumns: Int = 2) throws -> URL {
    let folder = try DataTestPaths.temporaryFolder()
    let labels = [
      "train": ["walk", "sit", "walk"], "dev": ["sit", "run"], "test": ["walk", "sit"],
    ]
    for (split, names) in labels {
      let splitFolder = folder.appendingPathComponent(split)
      let columns = split == "dev" ? devAudioColumns : 2
      let values = (0..<(names.count * columns)).map { Float($0) + (split == "test" ? 100 : 0) }
      try DataTestPaths.write(
        npyBytes(shape: [names.count, columns], values: values), to: "audio.npy", in: splitFolder)
      let text = "t\n" + names.indices.map { "\(Double($0) / 2)" }.joined(separator: "\n")
      try DataTestPaths.write(text, to: "text.csv", in: splitFolder)
      if split == "dev" {
        try DataTestPaths.write("id,label\n0,sit\n1,run\n", to: "labels.csv", in: splitFolder)
      } else {
        try DataTestPaths.write(
          names.joined(separator: "\r\n") + "\r\n", to: "labels.txt", in: splitFolder)
      }
    }
    return folder
  }

  @Test("features per modality and labels per split")
  func loads() throws {
    let folder = try makeFolder()
    let data = try loadDataset(at: folder.path)
    #expect(
      data.modalities == [
        Modality(name: "audio", dimension: 2), Modality(name: "text", dimension: 1),
      ])
    #expect(data.classNames == ["run", "sit", "walk"])
    #expect(data.splits["train"]!.labels == [2, 1, 2])
    #expect(data.splits["dev"]!.labels == [1, 0])
    #expect(data.splits["test"]!.features[0].values == [100, 101, 102, 103])
    #expect(data.splits["train"]!.features[1].values == [0, 0.5, 1])
    #expect(data.splitRule == "given by the train/, dev/ and test/ folders")
  }

  @Test("a split whose features disagree with train's width")
  func widthMismatch() throws {
    let folder = try makeFolder(devAudioColumns: 3)
    let error = try #require(throws: DataError.self) { try loadDataset(at: folder.path) }
    #expect(error.description.contains("has 3 features per sample, but train/ has 2"))
  }

  @Test("a feature file with no features per sample")
  func noFeatures() throws {
    let folder = try makeFolder()
    let train = folder.appendingPathComponent("train")
    try DataTestPaths.write(npyBytes(shape: [3, 0], values: []), to: "audio.npy", in: train)
    let error = try #require(throws: DataError.self) { try loadDataset(at: folder.path) }
    #expect(error.description.hasSuffix("audio.npy: has no features per sample (shape [3, 0])"))
  }

  @Test("a float64 feature beyond 32-bit floats names the element")
  func float64BeyondFloatRange() throws {
    let folder = try makeFolder()
    var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }"
    while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
    header += "\n"
    var bytes: [UInt8] =
      [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count), 0] + Array(header.utf8)
    for value in [1, 2, 3, 1e300, 5, 6] as [Double] {
      withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 }
    }
    let train = folder.appendingPathComponent("train")
    try DataTestPaths.write(bytes, to: "audio.npy", in: train)
    let error = try #require(throws: DataError.self) { try loadDataset(at: folder.path) }
    #expect(
      error.description.hasSuffix(
        "audio.npy: element 3 (row-major) is 1e300, beyond the range of 32-bit floats"
          + " (about ±3.4e38)"))
  }

  @Test("integer labels from labels.npy")
  func numpyLabels() throws {
    let folder = try makeFolder()
    for split in ["train", "dev", "test"] {
      let splitFolder = folder.appendingPathComponent(split)
      try? FileManager.default.removeItem(at: splitFolder.appendingPathComponent("labels.txt"))
      try? FileManager.default.removeItem(at: splitFolder.appendingPathComponent("labels.csv"))
      let count = split == "train" ? 3 : 2
      let labels = (0..<count).map { Float(($0 * 5) % 11) }  // 0, 5, 10
      try DataTestPaths.write(
        npyBytes(shape: [count], values: labels), to: "labels.npy", in: splitFolder)
    }
    let data = try loadDataset(at: folder.path)
    #expect(data.classNames == ["0", "5", "10"])
    #expect(data.splits["train"]!.labels == [0, 1, 2])
  }
}

@Suite("Data set loading: HTAD")
struct DatasetHTADTests {
  // Expected split sizes, computed independently in Python:
  //   python3 -c "import csv,collections; s=collections.Counter(); o=collections.Counter()
  //   for x in csv.DictReader(open('data/htad/htad.csv')):
  //     k=s[x['class']]; s[x['class']]+=1; o['dev' if k%5==3 else 'test' if k%5==4 else 'train']+=1
  //   print(o)"   ->  train 835, dev 276, test 275
  @Test(
    "1386 samples, audio 36-d and accel 16-d, 7 classes, fixed split",
    .enabled(if: DataTestPaths.htadAvailable, "needs data/htad; run scripts/setup"))
  func htad() throws {
    let data = try loadDataset(at: DataTestPaths.htad.path)
    #expect(data.name == "HTAD")
    #expect(
      data.modalities == [
        Modality(name: "audio", dimension: 36), Modality(name: "accel", dimension: 16),
      ])
    #expect(
      data.classNames == [
        "brush_teeth", "eat_chips", "mop_floor", "sweep", "type_on_keyboard", "wash_hands",
        "watch_tv",
      ])
    #expect(data.splits["train"]!.count == 835)
    #expect(data.splits["dev"]!.count == 276)
    #expect(data.splits["test"]!.count == 275)
    #expect(data.splits.values.map(\.count).reduce(0, +) == 1386)

    // File rows 0, 3 and 4 are watch_tv samples k = 0, 3, 4: the first of train, dev, test.
    let train = data.splits["train"]!
    #expect(train.labels[0] == 6)
    #expect(train.features[0][0, 0] == Float(120.0788862))
    #expect(train.features[1][0, 15] == Float(-0.000363964))
    #expect(data.splits["dev"]!.features[0][0, 0] == Float(122.6095661))
    #expect(data.splits["test"]!.features[1][0, 15] == Float(-8.34e-05))
    // Python: 56 eat_chips samples in test, 41 watch_tv samples in dev.
    #expect(data.splits["test"]!.labels.filter { $0 == 1 }.count == 56)
    #expect(data.splits["dev"]!.labels.filter { $0 == 6 }.count == 41)
  }
}
