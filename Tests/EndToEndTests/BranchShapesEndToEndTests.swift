import Foundation
import Testing

/// Unlike branches through the built binary on HTAD, as in the design's second reference
/// run: a deep GELU branch on standardised audio beside a linear branch on the raw
/// accelerometer features, swept briefly, fused and trained.
@Suite(
  "Branch shapes, end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct BranchShapesEndToEndTests {
  static let script = """
    data = load("\(FuselabProcess.repositoryRoot.path)/data/htad")
    m = model(data, hidden: [128], dropout: 0.1, standardize: true,
              branches: {accel: {hidden: [], standardize: false},
                         audio: {hidden: [64, 32], activation: "gelu", dropout: 0.2}}, seed: 7)
    show(m)
    print("params", m.params)
    print("audio", m.branches.audio)
    best = sweep(m, rates: [0.0001, 0.001, 0.01, 0.1], epochs: 5, seed: 7)
    print("best", best.rates)
    k = fuse(m, rates: "keep")
    h = train(k, epochs: 5, batch: 64, seed: 7)
    show(k)
    print("losses", h.loss)
    report(k, "dev")
    """

  /// Weights and biases of a branch whose layer widths are `widths`, features first.
  static func parameterCount(_ widths: [Int]) -> Int {
    zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
  }

  @Test func aDeepBranchBesideALinearOneSweepsAndTrains() throws {
    let file = try FuselabProcess.script(Self.script)
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n").map(String.init)

    // The shapes as show() prints them, before the sweep and after fuse().
    #expect(lines.contains("  audio  36 -> 64 -> 32 -> 7  (gelu, dropout 0.2, standardised)"))
    #expect(lines.contains("  accel  16 -> 7  (linear, raw features)"))
    let fused = lines.filter { $0.hasPrefix("  audio  ") || $0.hasPrefix("  accel  ") }
    #expect(fused.count == 4)
    #expect(fused.dropFirst(2).allSatisfy { $0.contains(", best rate ") })
    #expect(fused[2].hasPrefix("  audio  36 -> 64 -> 32 -> 7  (gelu, dropout 0.2, standardised"))
    #expect(fused[3].hasPrefix("  accel  16 -> 7  (linear, raw features"))
    #expect(
      lines.contains(
        "audio {hidden: [64, 32], activation: \"gelu\", dropout: 0.2, standardize: true}"))

    // The parameter count from the printed widths, and by hand: audio 36 x 64 + 64,
    // 64 x 32 + 32, 32 x 7 + 7; accel 16 x 7 + 7.
    let widths = fused.prefix(2).map { line in
      line.split(separator: "(")[0].split(separator: " ").compactMap { Int($0) }
    }
    #expect(widths == [[36, 64, 32, 7], [16, 7]])
    let fromWidths = widths.map(Self.parameterCount).reduce(0, +)
    let byHand = (36 * 64 + 64) + (64 * 32 + 32) + (32 * 7 + 7) + (16 * 7 + 7)
    #expect(fromWidths == byHand)
    #expect(lines.contains("params \(byHand)"))
    #expect(lines.filter { $0.hasSuffix("7 classes, \(byHand) parameters") }.count == 2)

    // Each modality chose a rate from the grid, and joint training ran at those rates.
    // The best rates print as a record by modality: "best {audio: 0.1, accel: 0.0001}".
    let best = lines.first { $0.hasPrefix("best {") } ?? ""
    let entries = best.dropFirst(6).dropLast().split(separator: ",").map {
      $0.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
    }
    #expect(entries.map { $0.first ?? "" } == ["audio", "accel"])
    let rates = entries.map { $0.count == 2 ? Double($0[1]) : nil }
    #expect(rates.allSatisfy { $0.map([0.0001, 0.001, 0.01, 0.1].contains) ?? false })
    #expect(run.standardError.contains("sweep: accel alone at rate 0.0001"))
    #expect(run.standardError.contains("train: epoch 5/5"))
    let losses = (lines.first { $0.hasPrefix("losses [") } ?? "").dropFirst(8).dropLast()
      .split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    #expect(losses.count == 5 && losses.allSatisfy(\.isFinite))
    #expect(lines.contains { $0.hasPrefix("accel alone ") })
  }

  @Test func aMisspeltModalityIsAnErrorAtTheBranchesArgument() throws {
    let file = try FuselabProcess.script(
      "data = load(\"\(FuselabProcess.repositoryRoot.path)/data/htad\")\n"
        + "m = model(data, branches: {audoi: {hidden: []}})\n")
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 70)
    #expect(
      run.standardError.contains(
        ":2:17: error: branches names 'audoi', which is not a modality of the data set "
          + "(audio, accel); did you mean 'audio'?"))
  }
}
