import Foundation

/// Runs the built `fuselab` binary as a user would, and collects what it wrote.
struct FuselabProcess {
  struct Outcome {
    var status: Int32
    var standardOutput: String
    var standardError: String
  }

  /// The repository root: the folder with Package.swift, two levels above this file's folder.
  static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The binary built beside the test bundle (.build/<configuration>/fuselab).
  static var binary: URL? {
    let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
    var folder = testBinary.deletingLastPathComponent()
    for _ in 0..<3 {
      let candidate = folder.appendingPathComponent("fuselab")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      folder = folder.deletingLastPathComponent()
    }
    return nil
  }

  static var htadAvailable: Bool {
    FileManager.default.fileExists(
      atPath: repositoryRoot.appendingPathComponent("data/htad/dataset.json").path)
  }

  /// `<repo root>/../shared/data`, where MELD's CSVs and MiniLM embeddings live.
  static let sharedData = repositoryRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/data")

  static var meldAvailable: Bool {
    FileManager.default.fileExists(
      atPath: sharedData.appendingPathComponent("meld/train_sent_emo.csv").path)
      && FileManager.default.fileExists(
        atPath: sharedData.appendingPathComponent("meld_minilm/train_minilm.npy").path)
  }

  /// This process's environment with HOME set to a fresh temporary folder and
  /// FUSELAB_HISTORY to a file in it, so that no test reads or writes the real
  /// `~/.fuselab_history`; `extra` then sets variables, or removes them with nil.
  static func isolatedEnvironment(_ extra: [String: String?] = [:]) throws -> (
    environment: [String: String], home: URL
  ) {
    let home = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fuselab-home-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
    var environment = ProcessInfo.processInfo.environment
    environment["HOME"] = home.path
    environment["FUSELAB_HISTORY"] = home.appendingPathComponent("test_history").path
    for (key, value) in extra { environment[key] = value }
    return (environment, home)
  }

  /// Runs `fuselab` with the arguments, feeding `input` on standard input, from the
  /// repository root unless another folder is given, in an isolated environment (see
  /// `isolatedEnvironment`). Standard output goes to a pipe, or to `standardOutput`.
  static func run(
    _ arguments: [String], input: String = "", in folder: URL? = nil,
    environment extra: [String: String?] = [:], standardOutput: FileHandle? = nil
  ) throws -> Outcome {
    guard let binary else { throw MissingBinary() }
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder ?? repositoryRoot
    process.environment = try isolatedEnvironment(extra).environment

    let output = Pipe()
    let errors = Pipe()
    let stdin = Pipe()
    process.standardOutput = standardOutput ?? output
    process.standardError = errors
    process.standardInput = stdin
    try process.run()
    stdin.fileHandleForWriting.write(Data(input.utf8))
    try stdin.fileHandleForWriting.close()

    // Read both pipes while the process runs, so a full pipe never blocks it.
    let collected = CollectedOutput()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
      if standardOutput == nil {
        collected.data = output.fileHandleForReading.readDataToEndOfFile()
      }
      group.leave()
    }
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus,
      standardOutput: String(decoding: collected.data, as: UTF8.self),
      standardError: String(decoding: errorData, as: UTF8.self))
  }

  /// What the reading thread collected; `group.wait()` orders its write before the read.
  private final class CollectedOutput: @unchecked Sendable {
    var data = Data()
  }

  struct MissingBinary: Error, CustomStringConvertible {
    var description: String { "the fuselab binary was not built beside the tests" }
  }

  /// Writes a script into a fresh temporary folder and returns its path.
  static func script(_ text: String, named name: String = "script.fuse") throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fuselab-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file
  }
}
