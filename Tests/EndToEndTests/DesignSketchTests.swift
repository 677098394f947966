import Foundation
import Testing

/// The session sketched in the design brief (section 2), run as written through the built
/// binary: only the data path and the epoch counts differ, so that it runs in seconds.
@Suite(
  "The design brief's sketch, end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct DesignSketchTests {
  static let sketch = """
    data = load("data/htad")              # per-modality feature files + labels + splits
    show(data)                            # modalities, dims, classes, split sizes
    m = model(data, hidden: 128, dropout: 0.1)
    best = sweep(m, rates: [1e-4, 1e-3, 1e-2, 1e-1], epochs: 3)
    hist(best)                            # dev score per modality and rate
    rates(m, "keep")
    h = train(m, epochs: 3, batch: 64, optimizer: "sgd", momentum: 0.9, seed: 7)
    plot(h.loss)                          # curves as text
    hist(m.gradnorm)                      # per-modality gradient norms
    report(m, "test")                     # fused and per-branch metrics

    for s in ["global", "keep", "smooth", "auto"] {
      print(s, evaluate(fuse(m, rates: s), "dev").wf1)
    }

    """

  /// What the sketch adds to check the bare "global": its rate is the geometric mean of the
  /// best unimodal rates, as smooth(1) gives, and rates() reports it by modality.
  static let checks = """
    g = (best.rates.audio * best.rates.accel) ** 0.5
    shared = fuse(m, rates: "global")
    print("global rate", abs(shared.rates.audio - g) <= 1e-6 * g, shared.rates == fuse(m, rates: smooth(1)).rates)
    print("rates", rates(fuse(m, rates: "keep"), "global") == shared.rates)

    """

  static let outcome: Result<FuselabProcess.Outcome, Error> = Result {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-sketch-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let script = folder.appendingPathComponent("sketch.fuse")
    try (sketch + checks).write(to: script, atomically: true, encoding: .utf8)
    return try FuselabProcess.run(["run", script.path])
  }

  @Test func theSketchRunsToTheEnd() throws {
    let run = try Self.outcome.get()
    #expect(run.status == 0, "\(run.standardError)")
    #expect(!run.standardError.contains("error:"), "\(run.standardError)")
    #expect(run.standardOutput.contains("dataset HTAD: 1386 samples"))
    #expect(run.standardOutput.contains("test split, 275 samples; rates keep: "))
  }

  /// hist(best) failed with "got a sweep"; it draws the dev score per modality and rate.
  @Test func histOfASweepDrawsTheDevScorePerModalityAndRate() throws {
    let output = try Self.outcome.get().standardOutput
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    let title = try #require(lines.firstIndex { $0 == "dev accuracy by learning rate" })
    #expect(lines[title + 1] == "audio")
    let audioRates = lines[(title + 2)...].prefix(4).map {
      $0.split(separator: " ").first.map(String.init) ?? ""
    }
    #expect(audioRates == ["0.0001", "0.001", "0.01", "0.1"])
    #expect(lines[title + 6] == "accel")
    let marks = lines[title...].prefix(12).filter { $0.hasSuffix("best") }
    #expect(marks.count == 2)
  }

  /// Every strategy of the loop gives a weighted F1, "global" included.
  @Test func theStrategyLoopScoresEveryStrategy() throws {
    let output = try Self.outcome.get().standardOutput
    for name in ["global", "keep", "smooth", "auto"] {
      let line = output.split(separator: "\n").first { $0.hasPrefix(name + " ") }
      let score = line.flatMap { Double($0.dropFirst(name.count + 1)) }
      #expect(score.map { $0 > 0.3 && $0 <= 1 } == true, "\(name): \(line ?? "missing")")
    }
    #expect(output.contains("global rate true true\n"))
    #expect(output.contains("rates true\n"))
  }
}
