import Foundation

/// Where the data tests find fixtures, the shared real data and a temporary folder.
enum DataTestPaths {
  /// The package root: the folder holding Package.swift, found from this file's path.
  static let repositoryRoot: URL = {
    var folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while folder.path != "/" {
      if FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path)
      {
        return folder
      }
      folder.deleteLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  }()

  static let npyFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/npy")

  /// `<repo root>/../shared/data`, holding the MELD CSVs and MiniLM embeddings.
  static let sharedData = repositoryRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/data")

  static let meldTrain = sharedData.appendingPathComponent("meld/train_sent_emo.csv").path

  static var meldAvailable: Bool { FileManager.default.fileExists(atPath: meldTrain) }

  /// `<repo root>/data/htad`, written by scripts/setup.
  static let htad = repositoryRoot.appendingPathComponent("data/htad")

  static var htadAvailable: Bool {
    FileManager.default.fileExists(atPath: htad.appendingPathComponent("htad.csv").path)
      && FileManager.default.fileExists(atPath: htad.appendingPathComponent("dataset.json").path)
  }

  /// A fresh empty folder for one test.
  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-data-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Writes text (UTF-8) or bytes to a file in `folder` and returns its path.
  @discardableResult
  static func write(_ text: String, to name: String, in folder: URL) throws -> String {
    try write(Array(text.utf8), to: name, in: folder)
  }

  @discardableResult
  static func write(_ bytes: [UInt8], to name: String, in folder: URL) throws -> String {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: url)
    return url.path
  }
}
