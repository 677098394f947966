import Foundation
import Testing

@testable import FuseEngine

/// Our checkpoints read by the reference implementation: the `safetensors` package from
/// PyPI (with NumPy) in data/python, which scripts/setup makes.
@Suite("Checkpoints read by Python's safetensors")
struct CheckpointPythonTests {
  static let python = DataTestPaths.repositoryRoot.appendingPathComponent("data/python/bin/python")
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/read_checkpoint.py")

  /// Whether data/python has numpy and safetensors (the test is skipped otherwise).
  static var pythonWithSafetensors: Bool {
    guard FileManager.default.isExecutableFile(atPath: python.path) else { return false }
    return (try? run(["-c", "import numpy, safetensors"]).status) == 0
  }

  static func run(_ arguments: [String]) throws -> (status: Int32, output: Data, errors: Data) {
    let process = Process()
    process.executableURL = python
    process.arguments = arguments
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Standard error is read on another thread, so that neither pipe can fill and block.
    let collected = Collected()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      collected.errors = errors.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, data, collected.errors)
  }

  private final class Collected: @unchecked Sendable {
    var errors = Data()
  }

  @Test(
    .enabled(
      if: pythonWithSafetensors,
      "needs data/python with numpy and safetensors: run scripts/setup"))
  func pythonReadsEveryTensorAndTheMetadataAsWritten() throws {
    // AdamW beside SGD, learned fusion weights, Ctrl-C during an epoch: every kind of
    // tensor a checkpoint holds, the I64 shuffle order included.
    let (_, path) = try CheckpointRoundTripTests.saved(ResumeRecipe.all[3])
    let result = try Self.run([Self.script.path, path])
    try #require(result.status == 0, "\(String(decoding: result.errors, as: UTF8.self))")

    let json = try #require(try JSONSerialization.jsonObject(with: result.output) as? NSDictionary)
    let file = try SafeTensorsFile(path: path)
    #expect(json["metadata"] as? [String: String] == file.metadata)
    #expect(json["format_version"] as? Int == 1)
    let tensors = try #require(json["tensors"] as? [String: NSDictionary])
    #expect(tensors.keys.sorted() == file.names)
    #expect(file.names.contains("optimizer.a.0.weight.exp_avg_sq"))
    #expect(file.names.contains("optimizer.fusion.weight.exp_avg"))
    #expect(file.names.contains("training.order"))
    for name in file.names {
      let entry = file.entries[name]!
      let read = try #require(tensors[name])
      #expect(read["dtype"] as? String == entry.dtype.rawValue, "\(name)")
      #expect(read["shape"] as? [Int] == entry.shape, "\(name)")
      let values = try #require(read["values"] as? [NSNumber], "\(name)")
      if entry.dtype == .i64 {
        #expect(values.map(\.int64Value) == (try file.int64(name, shape: entry.shape)), "\(name)")
      } else {
        let ours = try file.float32(name, shape: entry.shape).map(\.bitPattern)
        #expect(values.map(\.uint32Value) == ours, "\(name)")
      }
    }
  }
}
