import Foundation
import Testing

@testable import FuseLanguage

/// A value that model() or train() refuses is shown at the argument that gave it, as the
/// strategies' are, not under the whole call; a `groups:` or `branches:` entry at that
/// argument, named by its place.
@Suite struct ArgumentPlaceTests {
  static let setup = "data = load(\"\(ModelBuiltinTests.dataPath)\")\nm = model(data, hidden: 4)\n"

  @Test(arguments: [
    ("model(data, 1️⃣hidden: 0)", "invalid value 0 for 'hidden': hidden widths must be at least 1"),
    ("model(data, 1️⃣dropout: 1)", "invalid value 1 for 'dropout': dropout must be in [0, 1)"),
    (
      "model(data, 1️⃣activation: \"swish\")",
      "unknown activation \"swish\" (use \"relu\", \"gelu\", \"tanh\", \"sigmoid\" or \"leaky_relu\")"
    ),
    (
      "model(data, 1️⃣branches: {thin: {dropout: 2}})",
      "invalid value 2 for 'branches.thin.dropout': dropout must be in [0, 1)"
    ),
    ("train(m, 1️⃣batch: 0)", "invalid value 0 for 'batch': must be at least 1"),
    ("train(m, 1️⃣momentum: 1)", "invalid value 1 for 'momentum': must be in [0, 1)"),
    (
      "train(m, epochs: 1, 1️⃣groups: {thin: {momentum: 1}})",
      "invalid value 1 for 'groups.thin.momentum': must be in [0, 1)"
    ),
    (
      "train(m, epochs: 1, 1️⃣schedule: plateau(monitor: \"dev_wf2\"))",
      "invalid value 'dev_wf2' for 'schedule.monitor': use one of loss, acc, f1, wf1, dev_loss, "
        + "dev_acc, dev_f1, dev_wf1, or wide.dev_acc (branch statistics: acc, dev_acc, dev_f1, "
        + "dev_wf1, gradnorm, update_ratio)"
    ),
    (
      "train(m, epochs: 1, 1️⃣groups: {thin: {schedule: plateau(monitor: \"thin.f1\")}})",
      "invalid value 'thin.f1' for 'groups.thin.schedule.monitor': use one of loss, acc, f1, "
        + "wf1, dev_loss, dev_acc, dev_f1, dev_wf1, or wide.dev_acc (branch statistics: acc, "
        + "dev_acc, dev_f1, dev_wf1, gradnorm, update_ratio)"
    ),
    (
      "train(m, optimizer: \"adam\", 1️⃣betas: [1.5, 0.9])",
      "invalid value 1.5 for 'betas[0]': must be in [0, 1)"
    ),
    (
      "train(m, epochs: 1, 1️⃣groups: {thin: {optimizer: \"adam\", betas: [0.9, 1]}})",
      "invalid value 1 for 'groups.thin.betas[1]': must be in [0, 1)"
    ),
    (
      "train(m, epochs: 1, 1️⃣rates: \"keep\")",
      "rate strategy keep needs the best unimodal rate of 'wide', 'thin'; run a sweep first or "
        + "use a global rate"
    ),
    (
      "fuse(m, 1️⃣rates: \"smooth\")",
      "rate strategy smooth(alpha: 0.5) needs the best unimodal rate of 'wide', 'thin'; run a sweep "
        + "first or use a global rate"
    ),
    (
      "rates(m, 1️⃣\"keep\")",
      "rate strategy keep needs the best unimodal rate of 'wide', 'thin'; run a sweep first or "
        + "use a global rate"
    ),
    (
      "sweep(m, rates: [0.1], epochs: 1, 1️⃣schedule: plateau(monitor: \"wide.dev_acc\"))",
      "invalid value 'wide.dev_acc' for 'schedule.monitor': a sweep trains one branch at a time, "
        + "alone, so its plateau monitor must be a fused statistic such as dev_loss or dev_acc, "
        + "which reads as the branch being trained"
    ),
    (
      "sweep(m, rates: [0.1], 1️⃣groups: {thin: {schedule: plateau(monitor: \"thin.dev_f1\")}})",
      "invalid value 'thin.dev_f1' for 'groups.thin.schedule.monitor': a sweep trains one branch "
        + "at a time, alone, so its plateau monitor must be a fused statistic such as dev_loss or "
        + "dev_acc, which reads as the branch being trained"
    ),
    (
      "train(m, 1️⃣optimizer: \"sgdd\")",
      "unknown optimizer \"sgdd\"; use \"sgd\", \"adam\" or \"adamw\""
    ),
  ])
  func aRefusedValueIsShownAtItsArgument(marked: String, message: String) {
    let source = MarkedSource(Self.setup + marked)
    expectEngineError(source, message)
  }
}

/// Paths given to load() and write_history(): an empty one, and a folder that is not there.
@Suite struct PathArgumentTests {
  /// load("") said "error: : cannot read: no such file or folder".
  @Test func anEmptyPathIsNamed() {
    let source = MarkedSource("d = load(1️⃣\"\")")
    let found = engineRun(source.text).diagnostic
    #expect(
      found?.message
        == "argument 'path' to load is an empty path; give a path to a data set folder or CSV file"
    )
    #expect(found?.location.column == source.column)
  }

  /// /proc takes no new files; Foundation said "The operation could not be completed. The
  /// file doesn't exist." of a folder that is there.
  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self"), "needs /proc"))
  func aFolderThatTakesNoFilesIsNamedInOurWords() {
    let setup = ArgumentPlaceTests.setup + "h = train(m, epochs: 1)\n"
    let source = MarkedSource(setup + "write_history(h, 1️⃣\"/proc/h.csv\")")
    let found = engineRun(source.text).diagnostic
    #expect(
      found?.message
        == "invalid value '/proc/h.csv' for 'path': cannot write it: cannot create a temporary "
        + "file in /proc: the folder takes no new files")
    #expect(found?.location.line == source.line)
    #expect(found?.location.column == source.column)
  }

  /// A .json file held JSON Lines, which json.load rejects as "Extra data".
  @Test func aJSONFileIsRefusedForJSONLines() {
    let setup = ArgumentPlaceTests.setup + "h = train(m, epochs: 1)\n"
    let source = MarkedSource(setup + "write_history(h, 1️⃣\"h.JSON\")")
    let found = engineRun(source.text).diagnostic
    #expect(
      found?.message
        == "invalid value 'h.JSON' for 'path': the history is written as JSON Lines, one object "
        + "per epoch, which is not one JSON document; end the file name in .jsonl")
    #expect(found?.location.line == source.line)
    #expect(found?.location.column == source.column)
  }

  /// Foundation said "The operation could not be completed. The file doesn't exist."
  @Test func aMissingFolderIsNamed() {
    let setup = ArgumentPlaceTests.setup + "h = train(m, epochs: 1)\n"
    let source = MarkedSource(setup + "write_history(h, 1️⃣\"no/such/folder/h.csv\")")
    let found = engineRun(source.text).diagnostic
    #expect(
      found?.message
        == "invalid value 'no/such/folder/h.csv' for 'path': cannot write it: there is no folder "
        + "no/such/folder; create it first")
    #expect(found?.location.line == source.line)
    #expect(found?.location.column == source.column)
  }
}
