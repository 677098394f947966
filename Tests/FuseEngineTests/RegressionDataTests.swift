import Foundation
import Testing

@testable import FuseEngine

/// Loading regression data sets: a number per sample from every layout, the split rule
/// that ranks by target, and the errors for targets that are not finite numbers.
@Suite("Data set loading: regression")
struct RegressionDataTests {
  // Row r has x_1 = r; the targets are in no particular order.
  static let table = """
    x_1,x_2,y_1,target
    0,0.5,-1,2.5
    1,1.5,-1,-1
    2,2.5,-1,0
    3,3.5,-1,7
    4,4.5,-1,-3.25
    5,5.5,-1,1e-1
    6,6.5,-1,0
    7,7.5,-1,4
    8,8.5,-1,-2
    9,9.5,-1,3

    """

  private func rowIDs(_ split: DataSplit) -> [Int] {
    (0..<split.count).map { Int(split.features[0][$0, 0]) }
  }

  @Test func aCSVFileWithTaskRegressionReadsTheTargetColumnAsNumbers() throws {
    let folder = try DataTestPaths.temporaryFolder()
    let file = try DataTestPaths.write(Self.table, to: "scores.csv", in: folder)
    let data = try loadDataset(at: file, task: .regression)
    #expect(data.task == .regression && data.classNames.isEmpty && data.outputCount == 1)
    #expect(data.modalities.map(\.name) == ["x", "y"])

    // Ranked by target (ties in file order): rows 4 -3.25, 8 -2, 1 -1, 2 0, 6 0, 5 0.1,
    // 0 2.5, 9 3, 7 4, 3 7. With 5 folds, dev 3 and test 4, ranks 3 and 8 (rows 2 and 7)
    // go to dev, ranks 4 and 9 (rows 6 and 3) to test; each split keeps file order.
    #expect(rowIDs(data.splits["dev"]!) == [2, 7])
    #expect(rowIDs(data.splits["test"]!) == [3, 6])
    #expect(rowIDs(data.splits["train"]!) == [0, 1, 4, 5, 8, 9])
    #expect(data.splits["dev"]!.targets == [0, 4])
    #expect(data.splits["train"]!.targets == [2.5, -1, -3.25, 0.1, -2, 3])
    #expect(data.splits["train"]!.labels.isEmpty)
    #expect(data.splitRule.hasPrefix("stratified by target: with the samples ranked by target"))

    // Without the task, the same file is read as classes: "target" is not a label column.
    #expect(throws: DataError.self) { try loadDataset(at: file) }
  }

  @Test func aManifestSaysTheTask() throws {
    let folder = try DataTestPaths.temporaryFolder()
    try DataTestPaths.write(Self.table, to: "table.csv", in: folder)
    try DataTestPaths.write(
      """
      { "file": "table.csv", "label": "target", "task": "regression",
        "modalities": [ {"name": "x", "columns": "x_*"}, {"name": "y", "columns": "y_1"} ],
        "split": {"rule": "stratified", "folds": 5, "dev": 3, "test": 4} }
      """, to: "dataset.json", in: folder)
    let data = try loadDataset(at: folder.path)
    #expect(data.task == .regression)
    #expect(rowIDs(data.splits["dev"]!) == [2, 7])
    #expect(data.splits.values.map(\.count).reduce(0, +) == 10)

    // The argument replaces the manifest's task: the targets are then class names, nine
    // of them in ten rows, too few to stratify into three splits.
    #expect {
      try loadDataset(at: folder.path, task: .classification)
    } throws: { error in
      "\(error)".contains("split 'dev' has no samples (stratified by class in file order")
    }

    try DataTestPaths.write(
      """
      { "file": "table.csv", "label": "target", "task": "ordinal",
        "modalities": [ {"name": "x", "columns": "x_*"} ] }
      """, to: "dataset.json", in: folder)
    #expect(
      throws: DataError.badManifest(
        path: folder.appendingPathComponent("dataset.json").path,
        reason: "'task' must be \"classification\" or \"regression\"")
    ) { try loadDataset(at: folder.path) }
  }

  @Test(arguments: [
    ("abc", "is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"),
    ("nan", "is not a finite number"), ("-inf", "is not a finite number"),
    ("1e39", "is beyond the range of 32-bit floats (about ±3.4e38)"),
    ("", "is empty; every sample needs a number"),
  ])
  func aTargetThatIsNotAFiniteNumberNamesFileLineAndColumn(text: String, problem: String) throws {
    let folder = try DataTestPaths.temporaryFolder()
    let bad = Self.table.replacingOccurrences(of: "5,5.5,-1,1e-1", with: "5,5.5,-1,\(text)")
    let file = try DataTestPaths.write(bad, to: "scores.csv", in: folder)
    let shown = text.isEmpty ? "" : " '\(text)'"
    #expect {
      try loadDataset(at: file, task: .regression)
    } throws: { error in
      "\(error)" == "\(file):7: column 4 ('target'): the regression target\(shown) \(problem)"
    }
  }

  @Test func splitFoldersReadTargetsFromLabelsCSVTextOrNumPy() throws {
    let folder = try DataTestPaths.temporaryFolder()
    let layouts: [(String, String, [UInt8]?)] = [
      ("train", "score\n1.5\n-2\n", nil), ("dev", "", npyBytes(shape: [2], values: [0.25, -1])),
      ("test", "3\n-0.5", nil),
    ]
    for (split, text, numpy) in layouts {
      let splitFolder = folder.appendingPathComponent(split)
      try FileManager.default.createDirectory(at: splitFolder, withIntermediateDirectories: true)
      try DataTestPaths.write("f1,f2\n1,2\n3,4\n", to: "a.csv", in: splitFolder)
      if let numpy {
        try DataTestPaths.write(numpy, to: "labels.npy", in: splitFolder)
      } else if split == "train" {
        try DataTestPaths.write(text, to: "labels.csv", in: splitFolder)
      } else {
        try DataTestPaths.write(text, to: "labels.txt", in: splitFolder)
      }
    }
    let data = try loadDataset(at: folder.path, task: .regression)
    #expect(data.splits["train"]!.targets == [1.5, -2])
    #expect(data.splits["dev"]!.targets == [0.25, -1])
    #expect(data.splits["test"]!.targets == [3, -0.5])
    #expect(data.splitRule == "given by the train/, dev/ and test/ folders")

    let text = folder.appendingPathComponent("test/labels.txt")
    try "3\nhigh\n".write(to: text, atomically: true, encoding: .utf8)
    #expect {
      try loadDataset(at: folder.path, task: .regression)
    } throws: { error in
      "\(error)"
        == "\(text.path):2: column 1: the regression target 'high' is not a plain decimal number"
        + " (such as 12, -0.5 or 2.5e-3)"
    }

    try "3\n\n".write(to: text, atomically: true, encoding: .utf8)
    #expect {
      try loadDataset(at: folder.path, task: .regression)
    } throws: { error in
      "\(error)".hasSuffix("the regression target is empty; every sample needs a number")
        || "\(error)".contains("the line is blank")
    }
  }

  @Test func aSplitFilesManifestReadsEachTablesTargets() throws {
    let folder = try DataTestPaths.temporaryFolder()
    for (split, rows) in [("train", "1,0.5\n2,1.5\n"), ("dev", "3,-1\n"), ("test", "4,2\n")] {
      try DataTestPaths.write("Turn,Intensity\n" + rows, to: "\(split).csv", in: folder)
    }
    let manifest = try DataTestPaths.write(
      """
      { "label": "Intensity", "task": "regression", "splits": "{split}.csv",
        "modalities": [ {"name": "turn", "columns": ["Turn"]} ] }
      """, to: "scores.json", in: folder)
    let data = try loadDataset(at: manifest)
    #expect(data.task == .regression)
    #expect(data.splits["train"]!.targets == [0.5, 1.5])
    #expect(data.splits["dev"]!.targets == [-1] && data.splits["test"]!.targets == [2])
    #expect(data.splits["train"]!.features[0].values == [1, 2])
  }

  @Test func aSplitColumnStillDecides() throws {
    let folder = try DataTestPaths.temporaryFolder()
    let file = try DataTestPaths.write(
      "a_1,target,split\n1,0.5,train\n2,1.5,dev\n3,-1,test\n4,2,train\n", to: "s.csv", in: folder)
    let data = try loadDataset(at: file, task: .regression)
    #expect(data.splits["train"]!.targets == [0.5, 2])
    #expect(data.splits["test"]!.targets == [-1])
  }

  @Test func targetSummaryIsThePopulationSpread() {
    let summary = TargetSummary([1, 2, 3, 6])
    #expect(summary.minimum == 1 && summary.maximum == 6 && summary.mean == 3)
    // Deviations -2, -1, 0, 3: squares 14 over 4 samples.
    #expect(summary.standardDeviation == (14.0 / 4).squareRoot())
  }
}
