import Foundation
import Testing

@testable import FuseLanguage

/// save(), load_model() and train(..., resume: true) in a session, on the toy data set of
/// `ModelBuiltinTests` (modalities "wide" and "thin").
@Suite("save(), load_model() and resume")
struct CheckpointBuiltinTests {
  typealias Session = FuseBuiltinTests.Session

  static func folder() -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-checkpoint-builtins-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.path
  }

  /// The toy data set with one feature fewer in "wide", for a data set that does not fit.
  static let narrowerData: String = {
    let text = try! String(
      contentsOfFile: ModelBuiltinTests.dataPath, encoding: .utf8)
    let lines = text.split(separator: "\n").map { line in
      line.split(separator: ",").enumerated().filter { $0.offset != 4 }.map(\.element)
        .joined(separator: ",")
    }
    let path = folder() + "/narrower.csv"
    try! (lines.joined(separator: "\n") + "\n").write(
      toFile: path, atomically: true, encoding: .utf8)
    return path
  }()

  static let recipe = "optimizer: \"adam\", rates: 0.05, schedule: step(2), seed: 4"

  /// Three epochs, saved, loaded as another model and resumed to six: the history, as its
  /// CSV export, and the test scores equal those of six epochs in one call.
  @Test func aLoadedRunResumesAsIfItHadNeverStopped() throws {
    let path = Self.folder() + "/run.safetensors"
    let text = try Session().run(
      """
      m = model(data, hidden: [6], dropout: 0.2, seed: 3)
      train(m, epochs: 3, \(Self.recipe))
      print(save(m, "\(path)") == "\(path)")
      loaded = load_model("\(path)", data)
      h = train(loaded, epochs: 6, resume: true)
      whole = model(data, hidden: [6], dropout: 0.2, seed: 3)
      w = train(whole, epochs: 6, \(Self.recipe))
      print(h.epochs, h.csv == w.csv, len(h.csv) > 200)
      print(evaluate(loaded, "test").loss == evaluate(whole, "test").loss)
      """)
    #expect(text == "true\n6 true true\ntrue\n")
  }

  @Test func showSaysWhereALoadedModelCameFrom() throws {
    let path = Self.folder() + "/shown.safetensors"
    let session = Session()
    let text = try session.run(
      """
      m = model(data, hidden: [6], seed: 3)
      train(m, epochs: 2, \(Self.recipe))
      save(m, "\(path)")
      loaded = load_model("\(path)", data)
      show(loaded)
      train(loaded, epochs: 4, resume: true)
      show(loaded)
      """)
    let shows = text.components(separatedBy: "model: ")
    #expect(shows.count == 3)
    #expect(shows[1].contains("  trained 2 epochs with 1 thread; dev accuracy"))
    #expect(
      shows[1].contains(
        "  loaded from \(path); train(m, epochs: ..., resume: true) goes on from epoch 2\n"))
    #expect(
      shows[2].contains(
        "  trained 4 epochs in 2 calls of train(), the last completed 2 with 1 thread;"))
    #expect(shows[2].contains("goes on from epoch 4"))
    #expect(session.progress.contains { $0.hasPrefix("train: resuming at epoch 3 of 4, batch 64") })
  }

  /// Without `epochs`, a resume goes to the epochs the run was last asked for: it finishes
  /// a run that was stopped, and refuses one that finished.
  @Test func resumeWithoutEpochsFinishesTheRun() {
    let found = engineRun(
      "data = load(\"\(ModelBuiltinTests.dataPath)\")\n"
        + "m = model(data, hidden: [6], seed: 3)\ntrain(m, epochs: 2)\ntrain(m, resume: true)\n"
    ).diagnostic
    #expect(
      found?.message
        == "cannot resume training: the run has completed 2 epochs; epochs counts the whole "
        + "run, so give more than 2")
  }

  @Test(arguments: [
    (
      "save(m, 1️⃣\"model.bin\")",
      "a checkpoint's file name must end in .safetensors, got \"model.bin\""
    ),
    (
      "load_model(1️⃣\"/no/such/file.safetensors\", data)",
      "/no/such/file.safetensors: cannot access the safetensors file:"
    ),
    ("load_model(\"x.safetensors\", 1️⃣3)", "argument 'data' to load_model must be the dataset"),
    (
      "train(m, epochs: 4, 1️⃣batch: 16, resume: true)",
      "a resumed run goes on with its own settings; leave out 'batch'"
    ),
    (
      "train(m, 1️⃣epochs: 2, resume: true)",
      "epochs counts the whole run, which has completed 2 epochs"
    ),
    (
      "train(m, epochs: 4, 1️⃣rule: fn(s) { return none }, resume: true)",
      "cannot resume training: the run had no rate rule"
    ),
    (
      "h = train(m, epochs: 2, rule: fn(s) { return none })\ntrain(m, epochs: 4, 1️⃣resume: true)",
      "cannot resume training: the run had a rate rule; give the rule again: rule: <fn>"
    ),
    (
      "u = model(data, hidden: [6])\ntrain(u, 1️⃣resume: true)",
      "cannot resume training: this model has not been trained"
    ),
  ])
  func errorsAreShownAtTheArgument(marked: String, message: String) {
    let setup =
      "data = load(\"\(ModelBuiltinTests.dataPath)\")\n"
      + "m = model(data, hidden: [6], seed: 3)\ntrain(m, epochs: 2)\n"
    let source = MarkedSource(setup + marked)
    expectEngineError(source, message, prefix: true)
  }

  /// What the argument accepts has brackets of its own, so it follows a colon: the message
  /// ended "... must have (that model's dataset is used))".
  @Test func aMissingDataArgumentSaysWhatItTakesOnce() {
    let source = MarkedSource("m = 1️⃣load_model(\"run.safetensors\")")
    let found = engineRun(source.text).diagnostic
    #expect(
      found?.message
        == "load_model needs argument 'data': the dataset it was trained on, or a model whose "
        + "architecture it must have (that model's dataset is used)")
    #expect(found?.location.line == source.line)
    #expect(found?.location.column == source.column)
  }

  /// A checkpoint beside data it was not trained on, or a model of another shape, is
  /// refused at the second argument, saying what differs.
  @Test func mismatchesAreShownAtTheDataArgument() throws {
    let path = Self.folder() + "/mismatch.safetensors"
    _ = try Session().run("m = model(data, hidden: [6], seed: 3)\nsave(m, \"\(path)\")\n")
    for (marked, message) in [
      (
        "other = load(\"\(Self.narrowerData)\")\nload_model(\"\(path)\", 1️⃣other)",
        "\(path): checkpoint has modality 'wide' with 5 features; this data set's wide has 4"
      ),
      (
        "data = load(\"\(ModelBuiltinTests.dataPath)\")\nwider = model(data, hidden: [12])\n"
          + "load_model(\"\(path)\", 1️⃣wider)",
        "\(path): checkpoint was written for hidden [6] in branch 'wide'; the model has [12]"
      ),
    ] {
      let source = MarkedSource(marked)
      expectEngineError(source, message)
    }
  }
}
