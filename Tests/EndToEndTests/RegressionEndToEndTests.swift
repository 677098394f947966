import Foundation
import Testing

/// A regression data set through the built binary. No real data set with numeric targets
/// is at hand (MELD's Sentiment is three classes, not an intensity), so the data here are
/// synthetic with a known relation: the model must learn it well below the target's spread.
@Suite("Regression, end to end")
struct RegressionEndToEndTests {
  /// A CSV of 400 rows: modalities "a" (4 features) and "b" (3), target
  /// 0.9 a_1 - 0.6 a_2 + 0.7 b_1 + 0.1 noise, the numbers from a fixed linear
  /// congruential generator, so that the file is the same on every run.
  static func writeData(in folder: URL) throws -> String {
    var state: UInt64 = 2_024
    func uniform() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return (Double(state >> 11) + 0.5) / Double(1 << 53)
    }
    func normal() -> Double { (-2 * log(uniform())).squareRoot() * cos(2 * .pi * uniform()) }
    var lines = ["a_1,a_2,a_3,a_4,b_1,b_2,b_3,target"]
    for _ in 0..<400 {
      let a = (0..<4).map { _ in normal() }
      let b = (0..<3).map { _ in normal() }
      let target = 0.9 * a[0] - 0.6 * a[1] + 0.7 * b[0] + 0.1 * normal()
      lines.append((a + b + [target]).map { String(format: "%.6f", $0) }.joined(separator: ","))
    }
    let file = folder.appendingPathComponent("intensity.csv")
    try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  @Test func theModelLearnsALinearRelation() throws {
    let script = try FuselabProcess.script("")
    let folder = script.deletingLastPathComponent()
    let data = try Self.writeData(in: folder)
    let history = folder.appendingPathComponent("history.jsonl").path
    try """
    data = load("\(data)", task: "regression")
    show(data)
    m = model(data, hidden: [32], dropout: 0, seed: 3)
    best = sweep(m, rates: [0.003, 0.03, 0.3], epochs: 10, batch: 32, seed: 3)
    show(best)
    h = train(m, epochs: 30, batch: 32, rates: "keep", loss: "mae", monitor: "dev_mae", seed: 3)
    report(m, "test")
    e = evaluate(m, "test")
    print("spread", data.target.test.std)
    print("mae", e.mae)
    print("corr", e.corr)
    print("acc2", e.acc2)
    write_history(h, "\(history)")
    """.write(to: script, atomically: true, encoding: .utf8)

    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    var values: [String: Double] = [:]
    for line in outcome.standardOutput.split(separator: "\n") {
      let parts = line.split(separator: " ")
      if parts.count == 2, let number = Double(parts[1]) { values[String(parts[0])] = number }
    }
    let spread = try #require(values["spread"])
    let mae = try #require(values["mae"])
    // Predicting the mean would give an MAE near 0.8 spread; the noise alone, 0.08.
    #expect(spread > 1 && mae < 0.2 * spread, "MAE \(mae), spread \(spread)")
    #expect(try #require(values["corr"]) > 0.97)
    #expect(try #require(values["acc2"]) > 0.9)

    let out = outcome.standardOutput
    #expect(out.contains("  task: regression; target from "))
    #expect(out.contains("sweep: dev MAE of each modality trained alone, by learning rate"))
    #expect(out.contains("test split, 80 samples; rates keep: a "))
    #expect(out.contains("                       MSE         MAE   Pearson r  binary acc\nfused "))
    #expect(outcome.standardError.contains(", loss mae, early stopping on dev_mae (min)"))
    #expect(outcome.standardError.contains("  dev mae "))

    let rows = try String(contentsOfFile: history, encoding: .utf8).split(separator: "\n")
    #expect(rows.first?.hasPrefix("{\"epoch\":1,\"loss\":") == true)
    #expect(rows.first?.contains(",\"dev_mae\":") == true)
    #expect(rows.first?.contains(",\"b_dev_corr\":") == true)
  }

  /// A label that is not a number is refused with its file, line and column, and the
  /// script's own place.
  @Test func aTargetThatIsNotANumberIsNamed() throws {
    let script = try FuselabProcess.script("")
    let folder = script.deletingLastPathComponent()
    let data = folder.appendingPathComponent("bad.csv")
    try "a_1,b_1,target\n1,2,0.5\n3,4,high\n".write(to: data, atomically: true, encoding: .utf8)
    try "data = load(\"\(data.path)\", task: \"regression\")\n"
      .write(to: script, atomically: true, encoding: .utf8)
    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status == 70)
    #expect(
      outcome.standardError.contains(
        "\(data.path):3: column 3 ('target'): the regression target 'high' is not a plain"
          + " decimal number"), "\(outcome.standardError)")
    #expect(outcome.standardError.hasPrefix("\(script.path):1:"))
  }
}
