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
        let name = ["fused", "audio alone", "accel alone"].first(where: {
          line.hasPrefix($0 + "  ")
        })
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

  @Test func outputHasEverySectionInOrderAndProgressOnlyOnStandardError() throws {
    let run = try Self.outcome.get()
    let output = run.standardOutput
    let sections = [
      "dataset HTAD:", "model: additive late fusion of 2 branches",
      "dev accuracy of each modality alone, by learning rate", "best rate per modality: {audio: ",
      "fused model: dev accuracy per epoch", "update ratio ||dW|| / ||W|| per epoch, keep",
      "test split, 275 samples; rates keep", "test split, 275 samples; rates global(",
    ]
    let positions = sections.map { output.range(of: $0)?.lowerBound }
    #expect(positions.allSatisfy { $0 != nil }, "\(zip(sections, positions).filter { $1 == nil })")
    let found = positions.compactMap { $0 }
    #expect(found == found.sorted())
    let lines = output.split(separator: "\n")
    #expect(!lines.contains { $0.hasPrefix("sweep: ") || $0.hasPrefix("train: ") })
  }

  /// The sweep chart's rows of one modality: rate, dev accuracy, whether marked best.
  static func sweepRows(_ output: String, modality: String) -> [(Double, Double, Bool)] {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    guard let start = lines.firstIndex(where: { $0 == Substring(modality) }) else { return [] }
    var rows: [(Double, Double, Bool)] = []
    for line in lines[(start + 1)...] {
      let parts = line.split(whereSeparator: { $0 == " " || $0 == "│" || $0 == "|" })
      guard let rate = parts.first.flatMap({ Double($0) }) else { break }
      let numbers = parts.dropFirst().compactMap { Double($0) }
      guard let score = numbers.last else { break }
      rows.append((rate, score, line.contains("best")))
    }
    return rows
  }

  @Test func chosenRatesAreTheBestOfTheSweepAndReachTraining() throws {
    let output = try Self.outcome.get().standardOutput
    let line = try #require(output.split(separator: "\n").first { $0.hasPrefix("best rate per") })
    // A record by modality: "{audio: 0.1, accel: 0.03}".
    let inside = line.drop { $0 != "{" }.dropFirst().prefix { $0 != "}" }
    let fields = inside.split(separator: ",").map {
      $0.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    #expect(fields.map { $0.first ?? "" } == ["audio", "accel"])
    let best = fields.compactMap { $0.count == 2 ? Double($0[1]) : nil }
    #expect(best.count == 2)
    for (m, modality) in ["audio", "accel"].enumerated() where best.count == 2 {
      let rows = Self.sweepRows(output, modality: modality)
      #expect(rows.map(\.0) == [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3], "\(modality)")
      let marked = rows.filter(\.2)
      #expect(marked.count == 1 && marked.first?.0 == best[m], "\(modality)")
      #expect(marked.first.map { chosen in rows.allSatisfy { $0.1 <= chosen.1 } } == true)
    }
    guard best.count == 2 else { return }
    #expect(output.contains("rates keep: audio \(best[0]), accel \(best[1])"))
    let shared = best.min()!
    #expect(output.contains("rates global(\(shared)): audio \(shared), accel \(shared)"))
  }

  @Test func eachReportHasItsHeaderAndAConsistentGap() throws {
    let lines = try Self.outcome.get().standardOutput.split(separator: "\n")
    let starts = lines.indices.filter { lines[$0].hasPrefix("test split") }
    #expect(starts.count == 2)
    for start in starts where start + 5 < lines.count {
      let header = lines[start + 1].split(separator: " ")
      #expect(header == ["accuracy", "macro", "F1", "weighted", "F1"])
      #expect(lines[start + 2].hasPrefix("fused "))
      #expect(lines[start + 3].hasPrefix("audio alone "))
      #expect(lines[start + 4].hasPrefix("accel alone "))
      // "fused minus best branch: +0.084 accuracy": the rounded scores above give it to 0.0015.
      let accuracies = (2...4).compactMap { Self.scores(lines[start + $0]).first }
      let gapLine = lines[start + 5]
      #expect(gapLine.hasPrefix("fused minus best branch: "))
      let gap = gapLine.split(separator: " ").compactMap { Double($0) }.first
      if accuracies.count == 3, let gap {
        #expect(abs(gap - (accuracies[0] - max(accuracies[1], accuracies[2]))) < 0.0015)
      } else {
        Issue.record("unreadable report: \(lines[start...(start + 5)])")
      }
    }
  }

  @Test func updateRatioHistogramCountsEveryEpochOfEachModality() throws {
    let output = try Self.outcome.get().standardOutput
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    let title = try #require(lines.firstIndex { $0.hasPrefix("update ratio ||dW||") })
    var counts: [String: Int] = [:]
    var modality = ""
    for line in lines[(title + 1)...] {
      if line == "audio" || line == "accel" {
        modality = String(line)
      } else if line.contains("│") || line.contains("|"), !line.contains("└"), !modality.isEmpty,
        let count = line.split(separator: " ").last.flatMap({ Int($0) })
      {
        counts[modality, default: 0] += count
      } else if !modality.isEmpty {
        break
      }
    }
    #expect(counts == ["audio": 30, "accel": 30])
  }

  @Test func secondRunRepeatsTheFirstExactly() throws {
    let first = try Self.outcome.get()
    let second = try FuselabProcess.run(["run", "examples/quickstart.fuse"])
    #expect(second.standardOutput == first.standardOutput)
  }
}
