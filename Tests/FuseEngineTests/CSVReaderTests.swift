import Foundation
import Testing

@testable import FuseEngine

@Suite("CSV reader")
struct CSVReaderTests {
  private func read(_ text: String) throws -> CSVTable {
    try parseCSV(text: text, path: "inline.csv")
  }

  private func failure(_ text: String) throws -> (line: Int, column: Int, reason: String) {
    let error = try #require(throws: DataError.self) { try read(text) }
    guard case .malformedCSV(let path, let line, let column, let reason) = error else {
      Issue.record("expected malformedCSV, got \(error)")
      return (0, 0, "")
    }
    #expect(path == "inline.csv")
    return (line, column, reason)
  }

  @Test("quoted fields hold commas, doubled quotes and line breaks")
  func quoting() throws {
    let table = try read("id,text\n1,\"a, b\"\n2,\"she said \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\n")
    #expect(table.header == ["id", "text"])
    #expect(table.rows.map { $0[1] } == ["a, b", "she said \"hi\"", "two\nlines", ""])
    // The third row spans lines 4 and 5, so the fourth starts on line 6.
    #expect(table.lineNumbers == [2, 3, 4, 6])
  }

  @Test("CRLF line ends, a byte order mark and no final line break")
  func crlfAndBOM() throws {
    let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a,b\r\n1,\"x\r\ny\"\r\n2,3".utf8)
    let table = try parseCSV(bytes: bytes, path: "inline.csv")
    #expect(table.header == ["a", "b"])
    #expect(table.rows == [["1", "x\r\ny"], ["2", "3"]])
    #expect(table.encoding == .utf8)
  }

  @Test("blank lines are skipped, empty fields kept, text not trimmed")
  func blanksAndSpaces() throws {
    let table = try read("a,b,c\n\n ,x , \n,,\n\n")
    #expect(table.rows == [[" ", "x ", " "], ["", "", ""]])
    #expect(table.lineNumbers == [3, 4])
  }

  @Test("non-ASCII text survives, and columns count characters, not bytes")
  func unicode() throws {
    let table = try read("name,q\n“Olá”,’\n")
    #expect(table.rows == [["“Olá”", "’"]])
    let found = try failure("a,b\n“Olá”,x,extra\n")
    #expect(found.line == 2 && found.column == 9)
  }

  @Test("bytes that are not UTF-8 are read as Windows-1252")
  func windows1252() throws {
    // 0x92 is a right single quote and 0xE9 is é in Windows-1252.
    let bytes = Array("text\nit".utf8) + [0x92] + Array("s caf".utf8) + [0xE9, 0x0A]
    let table = try parseCSV(bytes: bytes, path: "inline.csv")
    #expect(table.rows == [["it’s café"]])
    #expect(table.encoding == .windows1252)
  }

  @Test("an unterminated quote names the line and column where it opened")
  func unterminatedQuote() throws {
    let found = try failure("a,b\n1,2\n3,\"never\nclosed\n")
    #expect(found.line == 3 && found.column == 3)
    #expect(found.reason.contains("never closed"))
  }

  @Test("text after a closing quote")
  func textAfterQuote() throws {
    let found = try failure("a,b\n1,\"x\"y\n")
    #expect(found.line == 2 && found.column == 6)
    #expect(found.reason.contains("closing quote"))
  }

  @Test("ragged rows name the line and the column of the first extra or missing field")
  func raggedRows() throws {
    let long = try failure("a,b\n1,2\n3,4,5\n")
    #expect(long.line == 3 && long.column == 5 && long.reason.contains("3 fields"))
    let short = try failure("a,b,c\r\n1,2\r\n")
    #expect(short.line == 2 && short.column == 4 && short.reason.contains("missing 'c'"))
  }

  @Test("an empty file, and a missing file")
  func emptyAndMissing() throws {
    #expect(try failure("").line == 1)
    let error = try #require(throws: DataError.self) { try readCSV(path: "/nonexistent/x.csv") }
    #expect(error.description == "/nonexistent/x.csv: cannot read: no such file")
  }

  @Test("the error message reads file:line:column")
  func message() throws {
    let error = try #require(throws: DataError.self) { try read("a\n\"x\n") }
    #expect(error.description == "inline.csv:2:1: the quoted field opened here is never closed")
  }
}

@Suite("CSV reader on MELD")
struct CSVMeldTests {
  // Expected values from Python's csv module:
  //   python3 -c "import csv; r=list(csv.reader(open('train_sent_emo.csv',
  //     encoding='utf-8', newline=''))); print(len(r)-1, r[0], r[1], r[2], r[104], r[6], r[9989])"
  @Test(
    "train_sent_emo.csv matches Python's csv module",
    .enabled(if: DataTestPaths.meldAvailable, "needs ../shared/data (MELD); absent here"))
  func meldTrain() throws {
    let table = try readCSV(path: DataTestPaths.meldTrain)
    #expect(table.encoding == .utf8)
    #expect(table.rows.count == 9989)
    #expect(
      table.header == [
        "Sr No.", "Utterance", "Speaker", "Emotion", "Sentiment", "Dialogue_ID",
        "Utterance_ID", "Season", "Episode", "StartTime", "EndTime",
      ])
    #expect(
      table.rows[0] == [
        "1",
        "also I was the point person on my company’s transition from the KL-5 to GR-6 system.",
        "Chandler", "neutral", "neutral", "0", "0", "8", "21", "00:16:16,059", "00:16:21,731",
      ])
    #expect(table.rows[1][1] == "You must’ve had your hands full.")
    #expect(table.rows[1][2] == "The Interviewer")
    #expect(
      table.rows[5][1] == "Now you’ll be heading a whole division, so you’ll have a lot of duties.")
    #expect(table.rows[103][0] == "107" && table.rows[103][2] == "Ross")
    #expect(
      table.rows[103][1]
        == "Even though you do do a good Bob impression, I'm thinkin' when she sees you tomorow,"
        + " she's probably gonna realize, \"Hey, you're not Bob.\"")
    #expect(
      table.rows[9988] == [
        "10478", "That was a good one. For a second there, I was like, \"whoa.\"", "Joey",
        "joy", "positive", "1038", "17", "2", "3", "00:01:08,401", "00:01:12,071",
      ])

    // Counter(row[3]) in Python: joy 1743, neutral 4710, fear 268.
    let emotions = table.rows.map { $0[3] }
    #expect(emotions.filter { $0 == "neutral" }.count == 4710)
    #expect(emotions.filter { $0 == "joy" }.count == 1743)
    #expect(emotions.filter { $0 == "fear" }.count == 268)
  }
}
