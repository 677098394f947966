import Foundation
import Testing

@testable import FuseEngine

@Suite("Column features: numbers, categories, durations, text cues")
struct ColumnFeaturesTests {
  static let train = """
    Speaker,Start,End,Turn,Text
    Ann,"00:00:01,000","00:00:03,500",0,Hi!
    Bob,"00:00:04,000","00:00:04,250",1,"Why, Ann?"
    Ann,"00:01:00,000","00:01:02,000",2,NO way...
    Cy,"01:00:00,000","01:00:00,100",3,ok

    """

  static let dev = """
    Speaker,Start,End,Turn,Text
    Dee,"00:00:00,000","00:00:01,000",0,Who?
    Bob,"0:00:02,5","0:00:03,75",5,x

    """

  func tables() throws -> (CSVTable, CSVTable) {
    (
      try parseCSV(text: Self.train, path: "train.csv"),
      try parseCSV(text: Self.dev, path: "dev.csv")
    )
  }

  @Test(
    "times read as hours:minutes:seconds,fraction",
    arguments: [
      ("00:16:16,059", 976.059), ("0:12:32,632", 752.632), ("00:06:47,28", 407.28),
      ("01:00:00", 3600.0), ("10:00:00.5", 36000.5), ("123:00:01,001", 442801.001),
    ])
  func timeParsing(text: String, seconds: Double) {
    #expect(abs(parseTime(text)! - seconds) < 1e-9)
  }

  @Test(
    "malformed times are refused",
    arguments: [
      "", "16:16", "00:16:16,", "00:60:00,000", "00:00:61,000", "a0:00:00", "00:16:16,05x",
      "00:16:16;059", "1:2:3:4", "-1:00:00",
    ])
  func badTimes(text: String) {
    #expect(parseTime(text) == nil)
  }

  @Test("a malformed time names the file, line, column and text")
  func malformedTimeMessage() throws {
    let text = "Start,End\n\"00:00:01,000\",\"00:00:02,000\"\n\"00:00:01,000\",\"00:0x:02\"\n"
    let table = try parseCSV(text: text, path: "talk.csv")
    let block = try ColumnFeatureBlock.fit([.duration(from: "Start", to: "End")], on: table)
    do {
      _ = try block.encode(table)
      Issue.record("expected an error")
    } catch let error as DataError {
      #expect(
        error.description
          == "talk.csv:3: column 2 ('End'): '00:0x:02' is not a time"
          + " hours:minutes:seconds,milliseconds such as 00:16:16,059")
    }
  }

  @Test("categories one-hot over the train vocabulary; unseen values are all zeros")
  func categoryWithoutTop() throws {
    let (train, dev) = try tables()
    let block = try ColumnFeatureBlock.fit([.category("Speaker", top: nil)], on: train)
    // Ann twice, then Bob and Cy once each (ties by name).
    #expect(block.featureNames == ["Speaker=Ann", "Speaker=Bob", "Speaker=Cy"])
    #expect(try block.encode(train).values == [1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1])
    #expect(try block.encode(dev).values == [0, 0, 0, 0, 1, 0])
  }

  @Test("with top, rarer and unseen values share the 'other' feature")
  func categoryWithTop() throws {
    let (train, dev) = try tables()
    let block = try ColumnFeatureBlock.fit([.category("Speaker", top: 2)], on: train)
    #expect(block.featureNames == ["Speaker=Ann", "Speaker=Bob", "Speaker=other"])
    #expect(try block.encode(train).values == [1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1])
    #expect(try block.encode(dev).values == [0, 0, 1, 0, 1, 0])
  }

  @Test("text cues count ?, ! and ellipses, the upper-case share and words")
  func textCues() {
    #expect(
      TextCues("What?! What is with everybody? It’s not...Truth-Day!").values
        == [2, 2, 1, Float(5) / Float(37), 7])
    #expect(TextCues("So… So…here’s a key......").values == [0, 0, 4, Float(2) / Float(13), 4])
    #expect(TextCues("NO WAY").values == [0, 0, 0, 1, 2])
    #expect(TextCues("").values == [0, 0, 0, 0, 0])
    #expect(TextCues("  .. 42  ").values == [0, 0, 0, 0, 2])
  }

  @Test("a block of every kind gives the columns in order, with exact values")
  func wholeBlock() throws {
    let (train, dev) = try tables()
    let block = try ColumnFeatureBlock.fit(
      [
        .number("Turn"), .category("Speaker", top: 1), .duration(from: "Start", to: "End"),
        .textCues("Text"),
      ], on: train)
    #expect(
      block.featureNames == [
        "Turn", "Speaker=Ann", "Speaker=other", "End-Start", "Text:?", "Text:!", "Text:...",
        "Text:upper_share", "Text:words",
      ])
    let matrix = try block.encode(dev)
    #expect(matrix.rows == 2 && matrix.columns == 9)
    #expect(Array(matrix.values[0..<9]) == [0, 0, 1, 1, 1, 0, 0, Float(1) / Float(3), 1])
    #expect(Array(matrix.values[9..<18]) == [5, 0, 1, 1.25, 0, 0, 0, 0, 1])
    let trainMatrix = try block.encode(train)
    #expect(trainMatrix[2, 3] == 2 && abs(trainMatrix[3, 3] - 0.1) < 1e-6)
    #expect(Array(trainMatrix.values[18..<27]) == [2, 1, 0, 2, 0, 0, 1, Float(2) / Float(5), 2])
  }

  @Test("a time too large for a 32-bit duration is refused where it is written")
  func hugeTimeIsNotATime() throws {
    let hours = String(repeating: "9", count: 40)
    let text = "Start,End\n00:00:01,\(hours):00:01\n"
    let table = try parseCSV(text: text, path: "talk.csv")
    let block = try ColumnFeatureBlock.fit([.duration(from: "Start", to: "End")], on: table)
    #expect(
      throws: DataError.notATime(
        path: "talk.csv", line: 2, column: 2, columnName: "End", text: "\(hours):00:01")
    ) {
      try block.encode(table)
    }
  }

  @Test("a missing column and a non-number are named")
  func badColumns() throws {
    let (train, _) = try tables()
    #expect(
      throws: DataError.missingColumn(path: "train.csv", column: "Nope", available: train.header)
    ) {
      try ColumnFeatureBlock.fit([.number("Nope")], on: train)
    }
    let block = try ColumnFeatureBlock.fit([.number("Speaker")], on: train)
    #expect(
      throws: DataError.notANumber(
        path: "train.csv", line: 2, column: 1, columnName: "Speaker", text: "Ann")
    ) {
      try block.encode(train)
    }
  }

  @Test(
    "feature descriptions in JSON form",
    arguments: [
      ("\"Turn\"", ColumnFeature.number("Turn")),
      (
        "{\"column\": \"Speaker\", \"as\": \"category\", \"top\": 10}",
        .category("Speaker", top: 10)
      ),
      ("{\"column\": \"Speaker\", \"as\": \"category\"}", .category("Speaker", top: nil)),
      (
        "{\"from\": [\"Start\", \"End\"], \"as\": \"duration\"}",
        .duration(from: "Start", to: "End")
      ),
      ("{\"column\": \"Text\", \"as\": \"text-cues\"}", .textCues("Text")),
    ])
  func parsing(json: String, expected: ColumnFeature) throws {
    let value =
      try JSONSerialization.jsonObject(
        with: Data("[\(json)]".utf8)) as! [Any]
    #expect(try columnFeature(fromJSON: value[0]) == expected)
  }

  @Test(
    "bad feature descriptions say what is wrong",
    arguments: [
      (
        "{\"column\": \"S\", \"as\": \"colour\"}",
        "column 'S': unknown kind 'colour'; use number, category, duration or text-cues"
      ),
      (
        "{\"column\": \"S\", \"as\": \"category\", \"top\": 0}",
        "category 'S': 'top' must be a whole number of at least 1"
      ),
      (
        "{\"from\": [\"Start\"], \"as\": \"duration\"}",
        "a duration needs \"from\": [start column, end column]"
      ),
      ("{\"as\": \"number\"}", "a 'number' feature needs \"column\": a column name"),
      ("3", "a column feature is a column name or an object with 'column' and 'as'"),
    ])
  func badParsing(json: String, message: String) throws {
    let value = try JSONSerialization.jsonObject(with: Data("[\(json)]".utf8)) as! [Any]
    #expect(throws: ColumnSpecError.self) { try columnFeature(fromJSON: value[0]) }
    do {
      _ = try columnFeature(fromJSON: value[0])
    } catch let error as ColumnSpecError {
      #expect(error.message == message)
    }
  }

  @Test("one CSV with a split column: vocabulary from its train rows only")
  func oneFileDataset() throws {
    let folder = try DataTestPaths.temporaryFolder()
    let path = try DataTestPaths.write(
      "who,y,split\nAnn,a,train\nAnn,b,train\nBob,a,train\nCy,b,dev\nBob,a,test\n",
      to: "t.csv", in: folder)
    let data = try columnFeatureDataset(
      file: path, label: "y", modality: "who", features: [.category("who", top: nil)])
    #expect(data.modalities == [Modality(name: "who", dimension: 2)])
    #expect(data.splits["train"]!.features[0].values == [1, 0, 1, 0, 0, 1])
    #expect(data.splits["dev"]!.features[0].values == [0, 0])
    #expect(data.splits["test"]!.features[0].values == [0, 1])
    #expect(data.splits["dev"]!.labels == [1])
  }
}
