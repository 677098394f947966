import Foundation
import Testing

/// The same script, seed and thread count print the same numbers, bit for bit, whether the
/// count comes from the command line or from `threads(n)` in the script; and the results
/// say which count was used.
@Suite(
  "Repeatability, end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct RepeatabilityEndToEndTests {
  static func script(threads: String) -> String {
    """
    \(threads)
    data = load("\(FuselabProcess.repositoryRoot.path)/data/htad")
    m = model(data, hidden: [64], dropout: 0.2, seed: 11)
    best = sweep(m, rates: [0.01, 0.1], epochs: 2, seed: 2)
    h = train(m, epochs: 3, rates: "keep", optimizer: "adam", seed: 5)
    print("threads", threads(), h.threads)
    print(h.loss, h.dev_wf1)
    report(m, "test")
    """
  }

  @Test(arguments: [
    (["run"], "", "threads 1 1"),
    (["run", "--threads", "2"], "", "threads 2 2"),
    (["run"], "threads(2)", "threads 2 2"),
  ])
  func theSameScriptTwicePrintsTheSameNumbers(
    arguments: [String], setting: String, expected: String
  ) throws {
    let file = try FuselabProcess.script(Self.script(threads: setting))
    let first = try FuselabProcess.run(arguments + [file.path])
    let second = try FuselabProcess.run(arguments + [file.path])
    #expect(first.status == 0, "\(first.standardError)")
    #expect(first.standardOutput.hasPrefix(expected + "\n"), "\(first.standardOutput)")
    #expect(first.standardOutput == second.standardOutput)
    let count = expected.split(separator: " ")[1]
    #expect(first.standardError.contains(", \(count) thread"), "\(first.standardError)")
  }

  @Test func threadsRefusesACountOutsideItsRange() throws {
    let file = try FuselabProcess.script("threads(0)\n")
    let outcome = try FuselabProcess.run(["run", file.path])
    #expect(outcome.status == 70)
    #expect(
      outcome.standardError.contains(
        "argument 'count' to threads must be a whole number from 1 to 256, got 0"),
      "\(outcome.standardError)")
  }
}
