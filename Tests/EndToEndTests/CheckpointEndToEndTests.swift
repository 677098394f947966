import Foundation
import Testing

/// A run trained by one `fuselab` process, saved, loaded and resumed by another, against
/// the same run trained in one call by a third: on HTAD through the built binary, the
/// history written by write_history and the test report must be the same text.
@Suite(
  "Checkpoints, end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct CheckpointEndToEndTests {
  struct Recipe: CustomTestStringConvertible, Sendable {
    var name: String
    /// Lines run after the model is built, before training (a sweep for `auto`).
    var prelude = ""
    var options: String
    var testDescription: String { name }
  }

  static let recipes = [
    Recipe(
      name: "sgd with momentum, step schedule",
      options: "optimizer: \"sgd\", momentum: 0.9, rates: 0.05, schedule: step(2, gamma: 0.5)"),
    Recipe(
      name: "adam, cosine",
      options: "optimizer: \"adam\", rates: 0.003, schedule: cosine(epochs: 6)"),
    Recipe(
      name: "auto after a sweep",
      prelude: "best = sweep(m, rates: [0.01, 0.1], epochs: 2, seed: 1)",
      options: "rates: \"auto\""),
  ]

  @Test(arguments: recipes)
  func aRunResumedInAnotherProcessEqualsOneRun(recipe: Recipe) throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-checkpoint-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let root = FuselabProcess.repositoryRoot.path
    let checkpoint = folder.appendingPathComponent("run.safetensors").path
    let build = """
      data = load("\(root)/data/htad")
      m = model(data, hidden: [32], dropout: 0.2, seed: 7)
      \(recipe.prelude)

      """

    func run(_ name: String, _ source: String) throws -> String {
      let script = folder.appendingPathComponent(name + ".fuse")
      try source.write(to: script, atomically: true, encoding: .utf8)
      let outcome = try FuselabProcess.run(["run", script.path])
      #expect(outcome.status == 0, "\(name): \(outcome.standardError)")
      return outcome.standardOutput
    }

    _ = try run(
      "first",
      build + """
        train(m, epochs: 3, seed: 5, \(recipe.options))
        save(m, "\(checkpoint)")
        """)
    let resumed = try run(
      "resumed",
      """
      data = load("\(root)/data/htad")
      m = load_model("\(checkpoint)", data)
      h = train(m, epochs: 6, resume: true)
      write_history(h, "\(folder.path)/resumed.csv")
      report(m, "test")
      """)
    let whole = try run(
      "whole",
      build + """
        h = train(m, epochs: 6, seed: 5, \(recipe.options))
        write_history(h, "\(folder.path)/whole.csv")
        report(m, "test")
        """)

    let resumedHistory = try String(
      contentsOfFile: folder.appendingPathComponent("resumed.csv").path, encoding: .utf8)
    let wholeHistory = try String(
      contentsOfFile: folder.appendingPathComponent("whole.csv").path, encoding: .utf8)
    #expect(resumedHistory.split(separator: "\n").count == 7)
    #expect(resumedHistory == wholeHistory)
    #expect(resumed.contains("test split"))
    #expect(resumed == whole)
  }
}
