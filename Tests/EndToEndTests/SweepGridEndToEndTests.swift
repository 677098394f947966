import Foundation
import Testing

/// `sweep(m, rates: {audio: [...], accel: [...]})` through the built binary on a subset of
/// HTAD: the table with `-` where a modality did not try a rate, `best.grid` as a record,
/// `fuse(m, rates: "keep")` at each modality's own best, and the grids it refuses.
@Suite(
  "Sweeps with a grid per modality, end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct SweepGridEndToEndTests {
  static let htad = FuselabProcess.repositoryRoot.appendingPathComponent("data/htad").path

  /// The record names accel first; the grids still follow the model's modality order. The
  /// second sweep tries every rate of both grids on the same model, with the same seeds.
  static let script = """
    data = load("\(htad)")
    small = subset(data, train: 300, dev: 120, seed: 1)
    m = model(small, hidden: [16], seed: 3)
    best = sweep(m, rates: {accel: [0.3, 0.01, 0.03], audio: [0.001, 0.1]}, epochs: 2, seed: 2)
    show(best)
    print("grid", best.grid)
    print("types", type(best.grid), type(best.grid.audio))
    print("acc", best.acc)
    print("best", best.rates)
    hist(best)
    k = fuse(m, rates: "keep")
    print("keep", k.rates)
    h = train(k, epochs: 1, seed: 2)
    print("trained", h.rates)
    all = sweep(model(small, hidden: [16], seed: 3), rates: [0.001, 0.01, 0.03, 0.1, 0.3],
                epochs: 2, seed: 2)
    show(all)
    print("shared", all.grid)
    """

  /// The rows of a sweep table after its header line, each split at spaces: the rates,
  /// then one row per modality (its name, a cell per rate, its best rate).
  static func table(after header: Int, in lines: [String]) -> [[String]] {
    lines[(header + 1)...(header + 3)].map { $0.split(separator: " ").map(String.init) }
  }

  /// The value printed after `label ` on a line of its own.
  static func printed(_ label: String, in lines: [String]) -> String? {
    lines.first { $0.hasPrefix(label + " ") }.map { String($0.dropFirst(label.count + 1)) }
  }

  @Test func eachModalitySweepsItsOwnGridAndKeepsItsOwnBest() throws {
    let file = try FuselabProcess.script(Self.script)
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n").map(String.init)
    let headers = lines.indices.filter { lines[$0].hasPrefix("sweep: dev accuracy") }
    try #require(headers.count == 2, "\(run.standardOutput)")

    // A column per rate either modality tried, ascending; "-" where a modality did not.
    let own = Self.table(after: headers[0], in: lines)
    #expect(own[0] == ["0.001", "0.01", "0.03", "0.1", "0.3", "best"])
    try #require(own.map(\.count) == [6, 7, 7], "\(own)")
    #expect(own[1].first == "audio" && own[2].first == "accel")
    #expect(own[1][1...5].map { $0 == "-" } == [false, true, true, false, true])
    #expect(own[2][1...5].map { $0 == "-" } == [true, false, false, true, false])

    // Each modality trained alone at its own rates only, in its grid's order; then the
    // second sweep at every rate.
    let points = run.standardError.split(separator: "\n").filter { $0.hasPrefix("sweep: ") }
      .map { $0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces) }
    #expect(
      points.prefix(5) == [
        "audio alone at rate 0.001", "audio alone at rate 0.1", "accel alone at rate 0.3",
        "accel alone at rate 0.01", "accel alone at rate 0.03",
      ])
    #expect(points.count == 15)

    #expect(Self.printed("grid", in: lines) == "{audio: [0.001, 0.1], accel: [0.3, 0.01, 0.03]}")
    #expect(Self.printed("types", in: lines) == "record list")

    // best.acc.audio[i] is the score of best.grid.audio[i], as the table shows it.
    let acc = try #require(Self.printed("acc", in: lines))
    let scores = Self.scoreLists(acc)
    #expect(scores.map(\.count) == [2, 3], "\(acc)")
    guard scores.map(\.count) == [2, 3] else { return }
    #expect([own[1][1], own[1][4]] == scores[0].map { String(format: "%.3f", $0) })
    #expect([own[2][5], own[2][2], own[2][3]] == scores[1].map { String(format: "%.3f", $0) })

    // The best rate of each modality is the top of its own grid, and keep trains at it.
    let grids: [[String]] = [["0.001", "0.1"], ["0.3", "0.01", "0.03"]]
    let chosen = zip(grids, scores).map { grid, score in grid[score.firstIndex(of: score.max()!)!] }
    #expect(own[1].last == chosen[0] && own[2].last == chosen[1])
    let best = "{audio: \(chosen[0]), accel: \(chosen[1])}"
    #expect(Self.printed("best", in: lines) == best)
    #expect(Self.printed("keep", in: lines) == best)
    #expect(Self.printed("trained", in: lines) == "{audio: [\(chosen[0])], accel: [\(chosen[1])]}")
    #expect(run.standardError.contains("train: group audio  rate \(chosen[0])  sgd("))
    #expect(run.standardError.contains("train: group accel  rate \(chosen[1])  sgd("))

    // The bars of each modality are the rates of its own grid.
    let bars = lines.filter { $0.hasPrefix("  0.") && $0.contains("│") }
      .map { $0.split(separator: " ")[0] }
    #expect(bars == ["0.001", "0.1", "0.3", "0.01", "0.03"])

    // Every rate scores as it does in the sweep that tried all of them.
    let shared = Self.table(after: headers[1], in: lines)
    #expect(Self.printed("shared", in: lines) == "[0.001, 0.01, 0.03, 0.1, 0.3]")
    #expect(shared[0] == own[0])
    try #require(shared.map(\.count) == [6, 7, 7], "\(shared)")
    #expect(shared.dropFirst().allSatisfy { !$0.contains("-") })
    for row in 1...2 {
      for column in 1...5 where own[row][column] != "-" {
        #expect(own[row][column] == shared[row][column], "\(own[row][0]) at \(own[0][column - 1])")
      }
    }
  }

  /// `{audio: [0.14, 0.45], accel: [0.7, 0.2, 0.25]}` as one list of numbers per modality.
  static func scoreLists(_ record: String) -> [[Double]] {
    record.split(separator: "[").dropFirst().map { part in
      part.prefix { $0 != "]" }.split(separator: ",")
        .compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }
  }

  /// A rate that diverges is nan in the sweep's scores, as in its table, not a score of 0,
  /// and bars() draws no bar for it.
  @Test func aDivergedRateScoresNanInItsMembers() throws {
    let file = try FuselabProcess.script(
      """
      data = subset(load("\(Self.htad)"), train: 200, seed: 1)
      m = model(data, hidden: [8], seed: 1)
      best = sweep(m, rates: {audio: [1e30, 0.01], accel: [0.01]}, epochs: 1, seed: 1)
      print("acc", best.acc.audio[0] == best.acc.audio[0], best.acc.audio[1] > 0)
      print("f1", best.f1.audio[0] == best.f1.audio[0], "wf1", best.wf1.audio[0] == best.wf1.audio[0])
      print("rates", best.rates)
      bars(best)
      """)
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n").map(String.init)
    #expect(lines.contains("acc false true"), "\(lines)")
    #expect(lines.contains("f1 false wf1 false"))
    #expect(lines.contains("rates {audio: 0.01, accel: 0.01}"))
    let diverged = try #require(lines.first { $0.hasPrefix("  1e+30") || $0.hasPrefix("  1e30") })
    #expect(!diverged.contains("█"), "\(diverged)")
  }

  static let thirtyTwoBit =
    " (rates are 32-bit floats, so rates that differ only beyond their 7th digit are one"
    + " rate); give each rate once"

  /// A `rates:` record the builtin refuses, with the argument the diagnostic underlines
  /// marked from 1️⃣ to 2️⃣.
  @Test(arguments: [
    (
      "best = sweep(m, 1️⃣rates: {audio: [0.01]}2️⃣, epochs: 1)",
      "rates has no grid for accel; give a list of rates for each modality (audio, accel)"
    ),
    (
      "best = sweep(m, 1️⃣rates: {audio: [0.01], acel: [0.1]}2️⃣, epochs: 1)",
      "rates names 'acel', which is not a modality of the model (audio, accel); did you mean"
        + " 'accel'?"
    ),
    (
      "best = sweep(m, 1️⃣rates: {audio: [0.01], accel: []}2️⃣, epochs: 1)",
      "invalid value [] for 'rates.accel': give at least one rate"
    ),
    (
      "best = sweep(m, epochs: 1, 1️⃣rates: {audio: 0.01, accel: [0.1]}2️⃣)",
      "rates.audio is 0.01; give a list of rates, such as [0.001, 0.01]"
    ),
    (
      "best = sweep(m, 1️⃣rates: {audio: [0.01], accel: [0.1, -0.5]}2️⃣, epochs: 1)",
      "invalid value -0.5 for 'rates.accel': learning rates must be positive and finite"
    ),
    (
      "best = sweep(m, 1️⃣rates: {audio: [0.01, \"x\"], accel: [0.1]}2️⃣, epochs: 1)",
      "rates.audio[1] is the string \"x\"; rates must be numbers"
    ),
    (
      "best = sweep(m, 1️⃣rates: {audio: [-1], accel: [-1]}2️⃣, epochs: 1)",
      "invalid value -1 for 'rates': learning rates must be positive and finite"
    ),
    (
      "best = sweep(m, 1️⃣rates: {audio: [0.01, 0.1, 0.01], accel: [0.1]}2️⃣, epochs: 1)",
      "invalid value 0.01 for 'rates.audio': the rate appears twice in the grid" + thirtyTwoBit
    ),
    (
      "best = sweep(m, 1️⃣rates: [0.1, 0.3, 0.300000001]2️⃣, epochs: 1)",
      "invalid value 0.3 for 'rates': the rate appears twice in the grid" + thirtyTwoBit
    ),
    (
      "best = sweep(m, rates: [0.1], 1️⃣epochs: 02️⃣)",
      "invalid value 0 for 'epochs': a sweep chooses each rate by what it trained; give at"
        + " least 1 epoch"
    ),
  ])
  func aBadGridIsAnErrorAtTheRatesArgument(marked: String, message: String) throws {
    let source = MarkedLine(marked)
    let file = try FuselabProcess.script(
      "data = load(\"\(Self.htad)\")\nm = model(data, hidden: [8], seed: 1)\n" + source.text
        + "\nprint(\"after\")\n")
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 70)
    #expect(run.standardOutput == "")
    #expect(!run.standardError.contains("sweep: "), "nothing trained")
    #expect(
      run.standardError
        == "\(file.path):3:\(source.column): error: \(message)\n\(source.text)\n"
        + source.caret + "\n")
  }
}
