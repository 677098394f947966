import Foundation
import Testing

/// Runs the built binary on HTAD with the training options of docs/training.md.
@Suite(
  "Training options, end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct TrainingOptionsEndToEndTests {
  // AdamW with a cosine schedule and early stopping on dev weighted F1: the restored best
  // epoch's dev weighted F1 must be what evaluate() reports afterwards, and the exported
  // history must agree with the history value.
  @Test func adamwCosineEarlyStoppingRestoresTheBestEpoch() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-training-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let csv = folder.appendingPathComponent("history.csv").path
    let jsonl = folder.appendingPathComponent("history.jsonl").path
    let root = FuselabProcess.repositoryRoot.path
    let script = folder.appendingPathComponent("train.fuse")
    try """
    data = load("\(root)/data/htad")
    m = model(data, hidden: [64], seed: 3)
    h = train(m, epochs: 25, optimizer: "adamw", rates: 0.003, schedule: cosine(), \
    monitor: "dev_wf1", patience: 3, groups: {accel: {optimizer: "sgd", lr: 0.05, nesterov: true}}, \
    rule: fn(s) { return none })
    best = h.best_epoch
    print("best", best)
    print("history", h.dev_wf1[best - 1])
    print("evaluate", evaluate(m, "dev").wf1)
    print("restored", h.restored)
    write_history(h, "\(csv)")
    write_history(h, "\(jsonl)")
    print("epochs", h.epochs)
    """.write(to: script, atomically: true, encoding: .utf8)

    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    var values: [String: String] = [:]
    for line in outcome.standardOutput.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
      if parts.count == 2 { values[parts[0]] = parts[1] }
    }
    #expect(values["history"] != nil)
    #expect(values["history"] == values["evaluate"])
    let epochs = Int(values["epochs"] ?? "") ?? 0
    let best = Int(values["best"] ?? "") ?? 0
    #expect(best >= 1 && best <= epochs)
    #expect(values["restored"] == (best == epochs ? "false" : "true"))

    // Rates in force are shown at the start and every epoch; AdamW and SGD groups both.
    #expect(outcome.standardError.contains("group audio"))
    #expect(outcome.standardError.contains("adamw(wd 0.01)"))
    #expect(outcome.standardError.contains("sgd(momentum 0.9, nesterov"))
    #expect(outcome.standardError.contains("train: epoch 1/25"))

    let table = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
    #expect(table.count == epochs + 1)
    #expect(table.first?.hasPrefix("epoch,loss,acc,f1,wf1,dev_loss") == true)
    let lines = try String(contentsOfFile: jsonl, encoding: .utf8).split(separator: "\n")
    #expect(lines.count == epochs)
    let first = try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any]
    // Cosine: the first epoch runs at the full rate.
    #expect(first?["audio_lr"] as? Double == 0.003)
    #expect(first?["accel_lr"] as? Double == 0.05)
  }

  @Test func badTrainingOptionsNameTheValue() throws {
    let root = FuselabProcess.repositoryRoot.path
    let cases = [
      ("optimizer: \"rmsprop\"", "unknown optimizer"),
      ("groups: {video: {lr: 0.1}}", "no such group"),
      ("monitor: \"test_acc\"", "test_acc"),
      ("groups: {audio: {speed: 1}}", "has no setting 'speed'"),
    ]
    for (option, message) in cases {
      let script = try FuselabProcess.script(
        "data = load(\"\(root)/data/htad\")\nm = model(data)\ntrain(m, epochs: 1, \(option))\n")
      let outcome = try FuselabProcess.run(["run", script.path])
      #expect(outcome.status != 0)
      #expect(outcome.standardError.contains(message), "\(option): \(outcome.standardError)")
    }
  }

  // A rule written in the language sees the epoch's statistics and sets the next rates;
  // a learned fusion weight and a frozen branch show in the history.
  @Test func ruleFusionAndFreezeFromTheLanguage() throws {
    let root = FuselabProcess.repositoryRoot.path
    let script = try FuselabProcess.script(
      """
      data = load("\(root)/data/htad")
      m = model(data, hidden: [32], seed: 1)
      seen = []
      rule = fn(s) { return {audio: 0.02 / s.epoch, accel: 0.01} }
      h = train(m, epochs: 3, rates: 0.05, rule: rule, fusion: "learn", freeze: "accel", \
      class_weights: "balanced")
      print("audio", h.rates.audio)
      print("accel_ratio", h.update_ratio.accel)
      print("last_epoch", h.last.epoch)
      """)
    let outcome = try FuselabProcess.run(["run", script.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(
      outcome.standardOutput.contains("audio [0.05, 0.02, 0.01]"), "\(outcome.standardOutput)")
    #expect(outcome.standardOutput.contains("accel_ratio [0, 0, 0]"), "\(outcome.standardOutput)")
    #expect(outcome.standardOutput.contains("last_epoch 3"))
    #expect(outcome.standardError.contains("group fusion"))
  }
}
