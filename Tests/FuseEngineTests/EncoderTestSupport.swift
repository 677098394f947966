import Foundation

@testable import FuseEngine

/// Where the encoder and safetensors tests find the model, MELD and Python.
enum EncoderTestPaths {
  /// `<repo root>/data/minilm`, written by scripts/fetch-minilm.
  static let minilm = DataTestPaths.repositoryRoot.appendingPathComponent("data/minilm")

  static var minilmAvailable: Bool {
    ["config.json", "model.safetensors", "tokenizer.json"].allSatisfy {
      FileManager.default.fileExists(atPath: minilm.appendingPathComponent($0).path)
    }
  }

  static let meldEmbeddings = DataTestPaths.sharedData.appendingPathComponent("meld_minilm")

  static var meldEmbeddingsAvailable: Bool {
    DataTestPaths.meldAvailable
      && FileManager.default.fileExists(
        atPath: meldEmbeddings.appendingPathComponent("dev_minilm.npy").path)
  }

  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// The shared model, loaded once for all tests.
  static let encoder: TextEncoder? = try? TextEncoder(folder: minilm.path)
}

/// Runs `python3` for fixtures that only the reference Python packages can make.
enum Python {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// True when `python3` can import every module named.
  static func canImport(_ modules: String...) -> Bool {
    (try? run(["-c", modules.map { "import \($0)" }.joined(separator: "; ")])) != nil
  }

  /// Runs python3 with `arguments`; returns its standard output, throws on a non-zero exit.
  @discardableResult
  static func run(_ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    let complaint = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw Failure(
        description: "python3 exited with \(process.terminationStatus): "
          + String(decoding: complaint, as: UTF8.self))
    }
    return String(decoding: printed, as: UTF8.self)
  }
}

/// Token ids of MELD utterances made by Fixtures/make_minilm_ids.py.
struct MeldTokenIDs {
  var split: [String: [(row: Int, tokens: [Int])]] = [:]

  static let splits = ["train", "dev", "test"]

  /// Tokenizes every `every`-th utterance of each split with Python's `tokenizers`.
  static func make(every: Int) throws -> MeldTokenIDs {
    let output = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-minilm-ids-\(UUID().uuidString).txt")
    defer { try? FileManager.default.removeItem(at: output) }
    let csvs = splits.map {
      DataTestPaths.sharedData.appendingPathComponent("meld/\($0)_sent_emo.csv").path
    }
    try Python.run(
      [
        EncoderTestPaths.fixtures.appendingPathComponent("make_minilm_ids.py").path,
        EncoderTestPaths.minilm.appendingPathComponent("tokenizer.json").path, output.path,
      ] + csvs + ["--every", String(every)])

    var ids = MeldTokenIDs()
    let text = try String(contentsOf: output, encoding: .utf8)
    for line in text.split(separator: "\n") {
      let numbers = line.split(separator: " ").map { Int($0)! }
      ids.split[splits[numbers[0]], default: []].append((numbers[1], Array(numbers[2...])))
    }
    return ids
  }
}
