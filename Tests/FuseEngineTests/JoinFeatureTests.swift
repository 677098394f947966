import Foundation
import Testing

@testable import FuseEngine

@Suite("Joining feature files to split tables")
struct JoinFeatureTests {
  // Three utterances of two dialogues; the feature file lists them in another order.
  static let table = """
    Utterance,Emotion,Dialogue_ID,Utterance_ID
    "Hi, you.",joy,0,0
    Bye.,neutral,0,1
    What?!,surprise,1,0

    """

  static let ids = """
    row,Dialogue_ID,Utterance_ID
    0,1,0
    1,0,0
    2,0,1

    """

  /// Feature row i is [10 i, 10 i + 1].
  static let features = Matrix(rows: 3, columns: 2, values: [0, 1, 10, 11, 20, 21])

  func table(_ text: String = table, path: String = "dev.csv") throws -> CSVTable {
    try parseCSV(text: text, path: path)
  }

  @Test("a row join keeps the feature rows as they are")
  func rowJoin() throws {
    let joined = try joinFeatures(
      Self.features, featurePath: "dev.npy", to: try table(), split: "dev", join: .row)
    #expect(joined == Self.features)
  }

  @Test("a key join reorders feature rows to the table's keys")
  func keyJoin() throws {
    let joined = try joinFeatures(
      Self.features, featurePath: "dev.npy", to: try table(), split: "dev",
      join: .keys(["Dialogue_ID", "Utterance_ID"]), ids: try table(Self.ids, path: "dev_ids.csv"))
    // Table keys (0,0), (0,1), (1,0) sit on ids rows 1, 2, 0.
    #expect(joined.values == [10, 11, 20, 21, 0, 1])
  }

  @Test("a key join ignores ids rows the table does not have")
  func keyJoinExtraIDs() throws {
    let ids = Self.ids + "3,5,9\n"
    let features = Matrix(rows: 4, columns: 1, values: [0, 1, 2, 3])
    let joined = try joinFeatures(
      features, featurePath: "dev.npy", to: try table(), split: "dev",
      join: .keys(["Dialogue_ID", "Utterance_ID"]), ids: try table(ids, path: "dev_ids.csv"))
    #expect(joined.values == [1, 2, 0])
  }

  @Test("a row join with too few feature rows names the split and both counts")
  func rowCountMismatch() throws {
    let short = Matrix(rows: 2, columns: 2, values: [0, 1, 2, 3])
    #expect(throws: DataError.self) {
      try joinFeatures(short, featurePath: "dev.npy", to: try table(), split: "dev", join: .row)
    }
    do {
      _ = try joinFeatures(short, featurePath: "dev.npy", to: try table(), split: "dev", join: .row)
    } catch let error as DataError {
      #expect(
        error.description
          == "dev.npy: split 'dev': has 2 rows but dev.csv has 3 data rows"
          + " (a row join needs one feature row per table row)")
    }
  }

  func joinMessage(features: Matrix = features, table: String = table, ids: String) throws
    -> String
  {
    do {
      _ = try joinFeatures(
        features, featurePath: "dev.npy", to: try self.table(table), split: "dev",
        join: .keys(["Dialogue_ID", "Utterance_ID"]), ids: try self.table(ids, path: "dev_ids.csv"))
    } catch let error as DataError {
      return error.description
    }
    return "no error"
  }

  @Test("an ids file whose row count differs from the feature file names both counts")
  func idsCountMismatch() throws {
    let message = try joinMessage(ids: Self.ids + "3,2,0\n")
    #expect(
      message == "dev.npy: split 'dev': has 3 rows but its ids file dev_ids.csv has 4 data rows")
  }

  @Test("a table key missing from the ids file is named with its line")
  func missingKey() throws {
    let ids = """
      row,Dialogue_ID,Utterance_ID
      0,1,0
      1,0,0
      2,0,7

      """
    let message = try joinMessage(ids: ids)
    #expect(
      message
        == "dev_ids.csv: split 'dev': has no row for key (Dialogue_ID=0, Utterance_ID=1)"
        + " of dev.csv line 3")
  }

  @Test("several missing keys: the first is named and the rest counted")
  func missingKeys() throws {
    let ids = """
      row,Dialogue_ID,Utterance_ID
      0,4,0
      1,0,0
      2,0,7

      """
    let message = try joinMessage(ids: ids)
    #expect(
      message
        == "dev_ids.csv: split 'dev': has no row for key (Dialogue_ID=0, Utterance_ID=1)"
        + " of dev.csv line 3; 2 table keys are missing in all")
  }

  @Test("a key twice in the ids file is named with both lines")
  func duplicateIDKey() throws {
    let ids = """
      row,Dialogue_ID,Utterance_ID
      0,1,0
      1,0,0
      2,1,0

      """
    let message = try joinMessage(ids: ids)
    #expect(
      message
        == "dev_ids.csv: split 'dev': key (Dialogue_ID=1, Utterance_ID=0) appears twice,"
        + " on lines 2 and 4")
  }

  @Test("a key twice in the table is named with both lines")
  func duplicateTableKey() throws {
    let table = Self.table + "Again.,joy,0,1\n"
    let ids = Self.ids + "3,9,9\n"
    let features = Matrix(rows: 4, columns: 1, values: [0, 1, 2, 3])
    let message = try joinMessage(features: features, table: table, ids: ids)
    #expect(
      message
        == "dev.csv: split 'dev': key (Dialogue_ID=0, Utterance_ID=1) appears twice,"
        + " on lines 3 and 5")
  }

  @Test("a key column missing from the ids file is named")
  func missingKeyColumn() throws {
    let ids = "row,Dialogue_ID\n0,1\n1,0\n2,0\n"
    let message = try joinMessage(ids: ids)
    #expect(message.hasPrefix("dev_ids.csv: no column 'Utterance_ID'"))
  }
}
