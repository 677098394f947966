import Foundation
import Testing

/// The quickstart through the built binary, on the real HTAD data fetched by scripts/setup.
@Suite(
  "Quickstart end to end",
  .enabled(
    if: FuselabProcess.htadAvailable,
    "needs data/htad: run scripts/setup to fetch HTAD"))
struct QuickstartTests {
  /// One run shared by the tests below; the script trains for a few seconds.
  static let outcome: Result<FuselabProcess.Outcome, Error> = Result {
    try FuselabProcess.run(["run", "examples/quickstart.fuse"])
  }

  /// A report row such as "fused   0.898  0.893  0.897": its accuracy, macro F1, weighted F1.
  static func scores(_ row: Substring) -> [Double] {
    row.split(separator: " ").compactMap { Double($0) }
  }

  /// The test-split reports: one per trained model, each with its fused and branch rows.
  static func testReports(_ output: String) -> [[String: [Double]]] {
    var reports: [[String: [Double]]] = []
    for line in output.split(separator: "\n") {
      if line.hasPrefix("test split") {
        reports.append([:])
      } else if !reports.isEmpty,
        let name = ["fused", "audio alone", "accel alone"].first(where: { line.hasPrefix($0 + "  ") })
      {
        reports[reports.count - 1][name] = scores(line.dropFirst(name.count))
      }
    }
    return reports
  }

  @Test func exitsCleanlyAndDescribesTheData() throws {
    let run = try Self.outcome.get()
    #expect(run.status == 0, "stderr: \(run.standardError)")
    let output = run.standardOutput
    #expect(output.contains("dataset HTAD: 1386 samples"))
    #expect(output.contains("audio  36 features"))
    #expect(output.contains("accel  16 features"))
    #expect(output.contains("classes (7): brush_teeth, eat_chips, mop_floor, sweep,"))
    #expect(output.contains("splits: train 835, dev 276, test 275"))
  }

  @Test func sweepShowsEveryRateOfEveryModality() throws {
    let run = try Self.outcome.get()
    let sweepLines = run.standardError.split(separator: "\n").filter { $0.hasPrefix("sweep: ") }
    // 7 rates for each of 2 modalities, one progress line each.
    #expect(sweepLines.count == 14)
    #expect(run.standardOutput.contains("dev accuracy of each modality alone, by learning rate"))
    // The chart marks one chosen rate per modality.
    let marks = run.standardOutput.components(separatedBy: "← best").count - 1
    let asciiMarks = run.standardOutput.components(separatedBy: "<- best").count - 1
    #expect(marks + asciiMarks == 2)
  }

  @Test func trainingShowsRatesAndEveryEpoch() throws {
    let run = try Self.outcome.get()
    let errors = run.standardError
    #expect(errors.contains("rates keep"))
    #expect(errors.contains("rates global("))
    // The rates in force are shown per parameter group at the start of each run.
    let groupLines = errors.split(separator: "\n").filter { $0.hasPrefix("train: group ") }
    #expect(groupLines.count == 4)
    #expect(groupLines.filter { $0.hasPrefix("train: group audio  rate ") }.count == 2)
    let epochLines = errors.split(separator: "\n").filter { $0.hasPrefix("train: epoch ") }
    #expect(epochLines.count == 60)
  }

  @Test func fusedModelBeatsEveryModalityOnTest() throws {
    let run = try Self.outcome.get()
    let reports = Self.testReports(run.standardOutput)
    #expect(reports.count == 2)
    for report in reports {
      let fused = try #require(report["fused"])
      let audio = try #require(report["audio alone"])
      let accel = try #require(report["accel alone"])
      #expect(fused.count == 3 && audio.count == 3 && accel.count == 3)
      #expect(fused[0] > audio[0])
      #expect(fused[0] > accel[0])
      // The reference runs reach about 0.9 fused on this split; far below means a broken engine.
      #expect(fused[0] > 0.85)
      for score in fused + audio + accel { #expect(score >= 0 && score <= 1) }
    }
  }

  @Test func secondRunRepeatsTheFirstExactly() throws {
    let first = try Self.outcome.get()
    let second = try FuselabProcess.run(["run", "examples/quickstart.fuse"])
    #expect(second.standardOutput == first.standardOutput)
  }
}
