import Foundation
import Testing

/// Five training runs of the quickstart: a minute and a half in a debug build, so it runs in
/// optimised builds (scripts/test) and when FUSELAB_SEEDS=1 asks for it.
private var seedsWanted: Bool {
  #if DEBUG
    return ProcessInfo.processInfo.environment["FUSELAB_SEEDS"] == "1"
  #else
    return true
  #endif
}

/// The README's table over seeds 1 to 5 is what examples/seeds.fuse prints. Its branch rows
/// once said "after its sweep" but held the branches after joint training with `keep`.
@Suite(
  "README seeds table",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup"),
  .enabled(if: seedsWanted, "optimised builds only; FUSELAB_SEEDS=1 runs it in a debug build"))
struct SeedsTableTests {
  static let rows = [
    ("audio_swept", "audio branch alone, after its sweep"),
    ("accel_swept", "accelerometer branch alone, after its sweep"),
    ("summed", "fine-tuned branches summed, before joint training"),
    ("audio_keep", "audio branch, after joint training with `keep`"),
    ("accel_keep", "accelerometer branch, after joint training with `keep`"),
    ("keep", "fused, `keep`"),
    ("global", "fused, `global(min(best.rates))`"),
  ]

  @Test func theReadmeRowsAreWhatTheScriptPrints() throws {
    let run = try FuselabProcess.run(["run", "examples/seeds.fuse"])
    #expect(run.status == 0, "stderr: \(run.standardError)")
    let readme = try String(
      contentsOf: FuselabProcess.repositoryRoot.appendingPathComponent("README.md"),
      encoding: .utf8)
    let printed = run.standardOutput.split(separator: "\n")
    for (name, label) in Self.rows {
      // "audio_swept 0.783 +- 0.023 [...]" gives the cell "0.783 +- 0.023".
      let line = try #require(printed.first { $0.hasPrefix(name + " ") })
      let cell = line.split(separator: " ").dropFirst().prefix(3).joined(separator: " ")
      #expect(readme.contains("| \(label) | \(cell) |"), "README row for \(name)")
    }
  }
}
