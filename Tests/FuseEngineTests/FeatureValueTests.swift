import Foundation
import Testing

@testable import FuseEngine

@Suite("Data set loading: feature values and labels")
struct FeatureValueTests {
  /// The error of loading ten rows of two classes, then `row` as line 12, and the file's path.
  private func loadError(row: String) throws -> (error: DataError, path: String) {
    let rows = (0..<10).map { "c\($0 % 2),\($0),\($0)" }
    let csv = "label,m_1,m_2\n" + (rows + [row]).joined(separator: "\n") + "\n"
    let folder = try DataTestPaths.temporaryFolder()
    let path = try DataTestPaths.write(csv, to: "t.csv", in: folder)
    return (try #require(throws: DataError.self) { try loadDataset(at: path) }, path)
  }

  @Test(
    "plain decimals are read as numbers",
    arguments: [
      ("12", 12), ("-0.5", -0.5), ("+3", 3), (".5", 0.5), ("5.", 5), ("2.5e-3", 0.0025),
      ("1E+2", 100), ("007", 7),
    ] as [(String, Double)])
  func plainDecimals(text: String, value: Double) {
    #expect(plainDecimal(text) == value)
  }

  /// `Double(_:)` reads every one of these as a number.
  @Test(
    "anything but a plain decimal is not a number",
    arguments: [
      "0x10", "0x1p3", "1\u{0}garbage", "nan", "-inf", "infinity", "1e", "e5", ".", "-", "1.2.3",
      "1e5.5", "1_000", "١", "",
    ])
  func notPlainDecimals(text: String) {
    #expect(plainDecimal(text) == nil)
  }

  @Test(
    "a feature that is not a plain decimal names the file, line, column and text",
    arguments: [
      ("0x10", "'0x10' is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"),
      ("0x1p3", "'0x1p3' is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"),
      ("1\u{0}garbage", "'1\\0garbage' is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"),
      ("", "an empty field is not a plain decimal number (such as 12, -0.5 or 2.5e-3)"),
      ("nan", "'nan' is not a finite number; NaN or infinite features would make the loss NaN"),
      ("-Inf", "'-Inf' is not a finite number; NaN or infinite features would make the loss NaN"),
    ])
  func refusedFeature(text: String, message: String) throws {
    let (error, path) = try loadError(row: "c0,\(text),1")
    #expect(
      error == DataError.notANumber(path: path, line: 12, column: 2, columnName: "m_1", text: text))
    #expect(error.description == "\(path):12: column 2 ('m_1'): \(message)")
  }

  @Test("an empty label names the file, line and column")
  func emptyLabel() throws {
    let (error, path) = try loadError(row: " ,3,4")
    #expect(
      error.description
        == "\(path):12: column 1 ('label'): the label is empty;"
        + " every sample needs a class name")
  }

  /// Split folders whose train labels.txt holds `trainLabels`; the features are one column.
  private func splitFolders(trainLabels: String) throws -> URL {
    let folder = try DataTestPaths.temporaryFolder()
    for split in ["train", "dev", "test"] {
      let splitFolder = folder.appendingPathComponent(split)
      try DataTestPaths.write("x\n1\n2\n3\n", to: "a.csv", in: splitFolder)
      let labels = split == "train" ? trainLabels : "sit\nrun\nsit\n"
      try DataTestPaths.write(labels, to: "labels.txt", in: splitFolder)
    }
    return folder
  }

  @Test(
    "labels.txt: a final line break, or none, is the end of the last label",
    arguments: ["sit\nrun\nwalk\n", "sit\r\nrun\r\nwalk\r\n", "sit\nrun\nwalk"])
  func labelLines(text: String) throws {
    let data = try loadDataset(at: try splitFolders(trainLabels: text).path)
    #expect(data.classNames == ["run", "sit", "walk"])
    #expect(data.splits["train"]!.labels == [1, 0, 2])
  }

  @Test(
    "labels.txt: a blank line is refused where it is",
    arguments: [("sit\n\nrun\nwalk\n", 2), ("sit\nrun\n  \nwalk\n", 3), ("sit\nrun\nwalk\n\n", 4)])
  func blankLabelLine(text: String, line: Int) throws {
    let folder = try splitFolders(trainLabels: text)
    let error = try #require(throws: DataError.self) { try loadDataset(at: folder.path) }
    let path = folder.appendingPathComponent("train/labels.txt").path
    #expect(error == DataError.blankLabelLine(path: path, line: line))
    #expect(
      error.description
        == "\(path):\(line): the line is blank; every sample needs a class name, one per line,"
        + " with no blank lines")
  }

  @Test("labels.csv: an empty label names the file and line")
  func emptyLabelInLabelsCSV() throws {
    let folder = try splitFolders(trainLabels: "sit\nrun\nwalk\n")
    let dev = folder.appendingPathComponent("dev")
    try FileManager.default.removeItem(at: dev.appendingPathComponent("labels.txt"))
    let path = try DataTestPaths.write("label\nsit\n\"\"\nrun\n", to: "labels.csv", in: dev)
    let error = try #require(throws: DataError.self) { try loadDataset(at: folder.path) }
    #expect(error == DataError.emptyLabel(path: path, line: 3, column: 1, columnName: "label"))
  }
}
