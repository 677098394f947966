import Foundation
import Testing

/// Expected plot outputs kept as files in Tests/FusePlotTests/Golden.
///
/// Run the tests with FUSEPLOT_UPDATE_GOLDEN=1 to rewrite the files from the current output;
/// then read the diff before committing, since the files are the specification.
enum Golden {
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Golden")

  static var updating: Bool {
    ProcessInfo.processInfo.environment["FUSEPLOT_UPDATE_GOLDEN"] == "1"
  }

  /// Compares `actual` with the golden file `name`.txt, or rewrites the file when updating.
  /// Files end with one newline that is not part of the plot.
  static func check(
    _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let url = folder.appendingPathComponent(name + ".txt")
    if updating {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try (actual + "\n").write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let stored = try #require(
      try? String(contentsOf: url, encoding: .utf8),
      "missing golden file \(name).txt; run with FUSEPLOT_UPDATE_GOLDEN=1",
      sourceLocation: sourceLocation)
    #expect(
      actual + "\n" == stored, "output differs from \(name).txt", sourceLocation: sourceLocation)
  }
}
