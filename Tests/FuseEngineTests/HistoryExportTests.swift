import Foundation
import Testing

@testable import FuseEngine

@Suite("History export")
struct HistoryExportTests {
  static func history() -> History {
    let branch = BranchEpochStats(
      modality: "audio", learningRate: 0.01, gradientNorm: 0.5, updateRatio: 0.25,
      trainAccuracy: 0.75, devAccuracy: 0.5, devMacroF1: 0.4, devWeightedF1: 0.45)
    var stats = EpochStats(
      epoch: 1, trainLoss: 1.5, trainAccuracy: 0.5, trainMacroF1: 0.25, trainWeightedF1: 0.375,
      devLoss: 2, devAccuracy: 0.125, devMacroF1: 0.0625, devWeightedF1: 0.1, branches: [branch])
    stats.fusionWeights = [1]
    return History(modalities: ["audio"], epochs: [stats])
  }

  @Test func csvExactly() {
    let expected = """
      epoch,loss,acc,f1,wf1,dev_loss,dev_acc,dev_f1,dev_wf1,audio_lr,audio_gradnorm,\
      audio_update_ratio,audio_acc,audio_dev_acc,audio_dev_f1,audio_dev_wf1,w_audio
      1,1.5,0.5,0.25,0.375,2,0.125,0.0625,0.1,0.01,0.5,0.25,0.75,0.5,0.4,0.45,1

      """
    #expect(Self.history().csv() == expected)
  }

  @Test func jsonLinesExactly() throws {
    let expected =
      "{\"epoch\":1,\"loss\":1.5,\"acc\":0.5,\"f1\":0.25,\"wf1\":0.375,\"dev_loss\":2,"
      + "\"dev_acc\":0.125,\"dev_f1\":0.0625,\"dev_wf1\":0.1,\"audio_lr\":0.01,"
      + "\"audio_gradnorm\":0.5,\"audio_update_ratio\":0.25,\"audio_acc\":0.75,"
      + "\"audio_dev_acc\":0.5,\"audio_dev_f1\":0.4,\"audio_dev_wf1\":0.45,\"w_audio\":1}\n"
    let text = Self.history().jsonLines()
    #expect(text == expected)
    let line = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect(line?["dev_wf1"] as? Double == 0.1)
  }

  /// A fine-tuning branch's groups get columns of their own after the fusion weights (the
  /// branch's columns are over its head and encoder together); a plain history's groups,
  /// each a branch, add none. An epoch recorded without groups writes nan there.
  @Test func fineTuningGroupsAreColumnsOfTheirOwn() {
    var history = Self.history()
    #expect(history.exportedGroups.isEmpty)
    history.epochs[0].groups = [
      GroupEpochStats(name: "audio", learningRate: 0.01, gradientNorm: 0.5, updateRatio: 0.25)
    ]
    #expect(history.exportedGroups.isEmpty, "a plain branch's group repeats its columns")
    history.epochs[0].groups = [
      GroupEpochStats(name: "audio", learningRate: 0.001, gradientNorm: 0.375, updateRatio: 0.5),
      GroupEpochStats(
        name: "audio.encoder", learningRate: 2e-5, gradientNorm: 1.25, updateRatio: 0.0625),
    ]
    var second = history.epochs[0]
    second.epoch = 2
    second.groups = nil
    history.epochs.append(second)
    let lines = history.csv().split(separator: "\n").map(String.init)
    #expect(
      lines[0].hasSuffix(
        ",w_audio,group.audio_lr,group.audio_gradnorm,group.audio_update_ratio,"
          + "group.audio.encoder_lr,group.audio.encoder_gradnorm,group.audio.encoder_update_ratio"))
    #expect(lines[1].hasSuffix(",0.45,1,0.001,0.375,0.5,2e-05,1.25,0.0625"), "\(lines[1])")
    #expect(lines[2].hasSuffix(",0.45,1,nan,nan,nan,nan,nan,nan"), "\(lines[2])")
    #expect(history.jsonLines().contains("\"group.audio.encoder_lr\":2e-05,"))
  }

  /// Rates a schedule or `smooth` computes were rounded from the float, not the decimal the
  /// user gave: 0.003 after step(1, gamma: 0.1) twice was written 3.0000001e-05, and the
  /// geometric mean of 0.1 and 0.001 was 0.010000001.
  @Test func computedRatesAreWrittenAsTheirDecimals() throws {
    let data = EngineFixtures.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [4]), seed: 1)
    model.strategy = .perModality(names: ["a", "b"], rates: [0.003, 0.3])
    let options = TrainingOptions(
      epochs: 3, batchSize: 16, seed: 1, schedule: .step(every: 1, gamma: 0.1))
    let history = try train(model, on: data, options: options)
    let rates = history.rows.map { [$0[9], $0[16]] }
    #expect(rates == [[0.003, 0.3], [0.0003, 0.03], [3e-05, 0.003]])
    #expect(history.csv().split(separator: "\n")[3].contains(",3e-05,"))
    #expect(history.jsonLines().split(separator: "\n")[2].contains("\"a_lr\":3e-05,"))

    model.bestRates = [0.1, 0.001]
    #expect(try model.rates(for: .smooth(alpha: 1)) == [0.01, 0.01])
    #expect(model.defaultGlobalRate == 0.01)
  }

  @Test func writesByExtensionAndRejectsOthers() throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-history-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let csv = folder.appendingPathComponent("h.csv").path
    try Self.history().write(to: csv)
    #expect(try String(contentsOfFile: csv, encoding: .utf8) == Self.history().csv())
    #expect(throws: EngineError.self) {
      try Self.history().write(to: folder.appendingPathComponent("h.txt").path)
    }
  }
}
