import Foundation
import Testing

/// The OpenBLAS thread count from the command line and from threads(n), and what results
/// say of it. Each run is its own process, so setting the count here disturbs no test.
@Suite("Threads, end to end")
struct ThreadsEndToEndTests {
  static func script(_ body: String) throws -> URL {
    let script = try FuselabProcess.script("")
    let data = try RegressionEndToEndTests.writeData(in: script.deletingLastPathComponent())
    try """
    data = load("\(data)", task: "regression")
    m = model(data, hidden: [16], seed: 1)
    \(body)
    """.write(to: script, atomically: true, encoding: .utf8)
    return script
  }

  static let trainAndReport = """
    h = train(m, epochs: 3, batch: 32, seed: 4)
    print(h.threads, threads())
    report(m, "dev")
    show(m)
    print(h)
    print(h.dev_mae)
    """

  @Test func threadsSetInTheScriptIsUsedAndSaidEverywhere() throws {
    let script = try Self.script("print(threads())\nthreads(2)\n" + Self.trainAndReport)
    let first = try FuselabProcess.run(["run", script.path])
    #expect(first.status == 0, "\(first.standardError)")
    let lines = first.standardOutput.split(separator: "\n").map(String.init)
    #expect(lines[0] == "1")
    #expect(lines[1] == "2 2")
    #expect(lines[2].hasPrefix("dev split, 80 samples; rates global(0.01)"))
    #expect(lines[2].hasSuffix("; trained with 2 threads"))
    #expect(lines.contains { $0.hasPrefix("  trained 3 epochs with 2 threads; dev MAE ") })
    #expect(lines.contains { $0.hasPrefix("history: 3 epochs, 2 threads; last epoch: ") })
    #expect(first.standardError.contains("train: 3 epochs, batch 32, 2 threads, rates "))

    // The same script at the same thread count gives the same numbers.
    let second = try FuselabProcess.run(["run", script.path])
    #expect(second.status == 0)
    #expect(second.standardOutput == first.standardOutput)
  }

  @Test func theCommandLineSetsTheStartingCount() throws {
    let script = try Self.script(Self.trainAndReport + "\nthreads(1)\nreport(m, \"dev\")")
    let outcome = try FuselabProcess.run(["run", "--threads", "2", script.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
    #expect(lines[0] == "2 2")
    #expect(outcome.standardError.contains(", 2 threads, rates "))
    // Evaluated after threads(1): the report says both counts.
    #expect(lines.contains { $0.hasSuffix("; trained with 2 threads, evaluated with 1") })
  }

  @Test func aRefusedCountStopsTheScriptAtTheArgument() throws {
    let script = try Self.script("threads(0)")
    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status == 70)
    #expect(
      outcome.standardError.hasPrefix(
        "\(script.path):3:9: error: argument 'count' to threads must be a whole number from 1"
          + " to 256, got 0"), "\(outcome.standardError)")
  }
}
