import Foundation
import Testing

/// fuse() from fresh weights and rates given by modality, through the built binary on
/// HTAD: the comparison DESIGN.md's recipe asks for, joint training from scratch at the
/// sweep's rates, beside the fine-tuned branches.
@Suite(
  "Fused models from fresh weights, end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct FreshFusionEndToEndTests {
  static let script = """
    data = load("\(FuselabProcess.repositoryRoot.path)/data/htad")
    m = model(data, hidden: [32], seed: 7)
    best = sweep(m, rates: [0.003, 0.03, 0.3], epochs: 3, seed: 7)
    print("best", best.rates)
    built = model(data, hidden: [32], seed: 7)
    k = fuse(m, rates: "keep", from: "fresh")
    print("keep", k.strategy, k.rates)
    print("fresh", evaluate(k, "dev").loss == evaluate(built, "dev").loss)
    print("tuned", evaluate(fuse(m, rates: "keep"), "dev").loss == evaluate(built, "dev").loss)
    hk = train(k, epochs: 2, seed: 7)
    b = fuse(m, rates: best.rates, from: "fresh")
    hb = train(b, epochs: 2, seed: 7)
    print("same", hb.loss == hk.loss, hb.dev_acc == hk.dev_acc)
    r = fuse(m, rates: {accel: 0.003, audio: 0.2}, from: "fresh")
    print("given", r.strategy)
    hr = train(r, epochs: 2, seed: 7)
    print("history", hr.rates)
    show(r)
    report(r, "dev")
    """

  /// Lines of standard output by their first word.
  static func values(_ output: String) -> [String: String] {
    var values: [String: String] = [:]
    for line in output.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
      if parts.count == 2 { values[parts[0]] = parts[1] }
    }
    return values
  }

  /// The progress lines of each train() call: its header, then what follows until the next.
  static func trainingRuns(_ errors: String) -> [[String]] {
    var runs: [[String]] = []
    for line in errors.split(separator: "\n").map(String.init) where line.hasPrefix("train: ") {
      if line.contains(" epochs, batch ") { runs.append([]) }
      if !runs.isEmpty { runs[runs.count - 1].append(line) }
    }
    return runs
  }

  @Test func freshWeightsTrainAtTheSweepsRatesAndAtGivenRates() throws {
    let file = try FuselabProcess.script(Self.script)
    let outcome = try FuselabProcess.run(["run", file.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    let values = Self.values(outcome.standardOutput)

    // The fresh copy starts where model() did with the same seed; the tuned one does not.
    #expect(values["fresh"] == "true")
    #expect(values["tuned"] == "false")

    // keep on fresh weights carries the sweep's rates (on this grid, one thread: audio
    // 0.03, accel 0.3), and a record of those same rates trains exactly as keep does.
    let best = try #require(values["best"])
    #expect(best.hasPrefix("{audio: ") && best.contains(", accel: "), "\(best)")
    #expect(values["keep"] == "keep \(best)")
    #expect(values["same"] == "true true")

    let runs = Self.trainingRuns(outcome.standardError)
    #expect(runs.count == 3, "\(outcome.standardError)")
    guard runs.count == 3 else { return }
    let rate = { (name: String) -> String in
      let field = best.split(separator: ",").first { $0.contains("\(name): ") } ?? ""
      return String(field.split(separator: ":").last ?? "")
        .trimmingCharacters(in: CharacterSet(charactersIn: " }"))
    }
    #expect(runs[0][0] == "train: 2 epochs, batch 64, 1 thread, rates keep")
    #expect(runs[0][1].hasPrefix("train: group audio  rate \(rate("audio"))  sgd("))
    #expect(runs[0][2].hasPrefix("train: group accel  rate \(rate("accel"))  sgd("))
    #expect(runs[1][0] == "train: 2 epochs, batch 64, 1 thread, rates \(best)")
    #expect(Array(runs[1].dropFirst()) == Array(runs[0].dropFirst()))

    // Rates given by modality, in another order than the data set's: the strategy is the
    // record in the model's order, and every epoch ran at those rates.
    #expect(values["given"] == "{audio: 0.2, accel: 0.003}")
    let given = runs[2]
    #expect(given[0] == "train: 2 epochs, batch 64, 1 thread, rates {audio: 0.2, accel: 0.003}")
    #expect(given[1] == "train: group audio  rate 0.2  sgd(momentum 0.9, wd 0.0001)")
    #expect(given[2] == "train: group accel  rate 0.003  sgd(momentum 0.9, wd 0.0001)")
    let epochs = given.filter { $0.hasPrefix("train: epoch ") }
    #expect(epochs.count == 2)
    for line in epochs {
      #expect(line.contains("branches: audio ") && line.contains(" @ 0.2, accel "), "\(line)")
      #expect(line.hasSuffix(" @ 0.003"), "\(line)")
    }
    #expect(values["history"] == "{audio: [0.2, 0.2], accel: [0.003, 0.003]}")
    #expect(outcome.standardOutput.contains("\n  rates: {audio: 0.2, accel: 0.003}\n"))
    #expect(
      outcome.standardOutput.contains(
        "dev split, 276 samples; rates {audio: 0.2, accel: 0.003}; trained with 1 thread\n"))
  }
}
