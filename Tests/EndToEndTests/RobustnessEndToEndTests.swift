import Foundation
import Testing

/// Inputs that used to crash the binary (a trap, a stack overflow, a failed allocation) or
/// to fail silently, run through it as a user would: each must end in a diagnostic at the
/// place at fault, or in a correct result.
@Suite("Robustness, end to end")
struct RobustnessEndToEndTests {
  static let htad = FuselabProcess.repositoryRoot.appendingPathComponent("data/htad").path

  /// Runs a script and returns the outcome; `path` is where the script was written.
  private func run(_ text: String) throws -> (outcome: FuselabProcess.Outcome, path: String) {
    let script = try FuselabProcess.script(text)
    return (try FuselabProcess.run(["run", script.path]), script.path)
  }

  @Test func plotsOfValuesNearTheLargestDoubleDraw() throws {
    let (outcome, _) = try run(
      "plot([1e308, -1e308, 0])\nbars({a: 1.797e308, b: -1})\nhist([1.797e308, -1e308])\n")
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput.contains("1.8e308"))
  }

  @Test func aValueNestedPastTheLimitStopsTheScriptWithItsLine() throws {
    let (outcome, path) = try run("x = []\nfor i in range(1000000) { x = [x] }\n")
    #expect(outcome.status == 70)
    #expect(
      outcome.standardError.hasPrefix(
        "\(path):2:32: error: lists and records may nest at most 1000 levels deep"))
  }

  @Test func aHeaderOfAMillionBracketsIsAMalformedFile() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-robust-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let shape = String(repeating: "[", count: 1_000_000) + String(repeating: "]", count: 1_000_000)
    let header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': \(shape)}".utf8)
    let length = UInt32(header.count)
    let bytes =
      [0x93] + Array("NUMPY".utf8) + [2, 0]
      + (0..<4).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + header
    for split in ["train", "dev", "test"] {
      let splitFolder = folder.appendingPathComponent(split)
      try FileManager.default.createDirectory(at: splitFolder, withIntermediateDirectories: true)
      try Data(bytes).write(to: splitFolder.appendingPathComponent("audio.npy"))
      try "a\nb\n".write(
        to: splitFolder.appendingPathComponent("labels.txt"), atomically: true, encoding: .utf8)
    }

    let (outcome, path) = try run("d = load(\"\(folder.path)\")\n")
    #expect(outcome.status == 70)
    #expect(outcome.standardError.hasPrefix("\(path):1:5: error: \(folder.path)/train/audio.npy"))
    #expect(outcome.standardError.contains("brackets nest more than 32 levels deep"))
  }

  @Test(.enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup"))
  func sizesAndRatesBeyondWhatTheEngineHoldsNameTheArgument() throws {
    let (wide, widePath) = try run(
      "d = load(\"\(Self.htad)\")\nm = model(d, hidden: [1e12])\n")
    #expect(wide.status == 70)
    #expect(
      wide.standardError.hasPrefix(
        "\(widePath):2:14: error: invalid value 1000000000000 for 'hidden': hidden widths must be"
          + " at most 65536"))

    let (rate, ratePath) = try run(
      "d = load(\"\(Self.htad)\")\nm = model(d)\nh = train(m, epochs: 1, rates: 1e39)\n")
    #expect(rate.status == 70)
    #expect(
      rate.standardError.hasPrefix(
        "\(ratePath):3:25: error: argument 'rates' to train is 1e39, beyond the range of 32-bit"
          + " floats"))

    let (tiny, tinyPath) = try run("g = global(1e-50)\n")
    #expect(tiny.status == 70)
    #expect(
      tiny.standardError.hasPrefix(
        "\(tinyPath):1:12: error: argument 'rate' to global is 1e-50, too small for a 32-bit"
          + " float"))
  }

  /// A rule that sweeps the model it is training swapped the branches under the running
  /// optimizer, so the rest of training stepped weights no longer in the model.
  @Test(.enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup"))
  func aRateRuleCannotTrainTheModelItRates() throws {
    let (outcome, path) = try run(
      """
      d = load("\(Self.htad)")
      m = model(d, hidden: [8], seed: 1)
      h = train(m, epochs: 2, rule: fn(s) { return sweep(m, rates: [0.1], epochs: 1) })
      """)
    #expect(outcome.status == 70)
    #expect(
      outcome.standardError.contains(
        "\(path):3:46: error: this model is being trained by train(); sweep() cannot train it"))
  }

  @Test func aNotebookCellThatUsedToCrashRecordsItsOutput() throws {
    let file = try FuselabProcess.script(
      "```fuse\nplot([1e308, -1e308, 0])\n```\n\n```fuse\nprint(\"after\")\n```\n", named: "nb.md")
    let outcome = try FuselabProcess.run(["notebook", "run", file.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains("1e308"))
    #expect(text.hasSuffix("```output\nafter\n```\n"))
  }
}
