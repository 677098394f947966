import Foundation
import Testing

@testable import FuseLanguage

/// Expected help texts kept as files in Tests/FuseLanguageTests/Golden.
///
/// Run the tests with FUSELAB_UPDATE_GOLDEN=1 to rewrite the files from the current output,
/// then read the diff before committing: the files are the specification.
enum HelpGolden {
  static let folder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Golden")

  static func check(
    _ actual: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) throws {
    let url = folder.appendingPathComponent(name + ".txt")
    if ProcessInfo.processInfo.environment["FUSELAB_UPDATE_GOLDEN"] == "1" {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try actual.write(to: url, atomically: true, encoding: .utf8)
      return
    }
    let stored = try #require(
      try? String(contentsOf: url, encoding: .utf8),
      "missing golden file \(name).txt; run with FUSELAB_UPDATE_GOLDEN=1",
      sourceLocation: sourceLocation)
    #expect(actual == stored, "help differs from \(name).txt", sourceLocation: sourceLocation)
  }
}

@Suite struct HelpTextTests {
  /// Every builtin the executable registers, the engine's included.
  static var builtins: [Builtin] {
    let interpreter = Interpreter { _ in }
    interpreter.registerEngineBuiltins(host: EngineHost(threads: 1))
    return interpreter.builtins
  }

  static func help(_ name: String) throws -> String {
    var printed = ""
    let interpreter = Interpreter { printed += $0 }
    interpreter.registerEngineBuiltins(host: EngineHost(threads: 1))
    try interpreter.run(source: "help(\"\(name)\")", file: "help.fuse")
    return printed
  }

  /// help("train") said "(default: 1e-4 for sgd, ...) (default none)" for weight_decay and
  /// "(default by metric) (default none)" for mode.
  @Test(arguments: [
    "train", "plateau", "fuse", "rates", "save", "load_model", "load", "threads", "evaluate",
    "meld", "columns", "subset", "sweep",
  ])
  func helpMatchesItsGoldenFile(name: String) throws {
    try HelpGolden.check(try Self.help(name), named: "help-\(name)")
  }

  /// Each parameter line of every builtin's help names its default at most once, and only
  /// for parameters that have one (a variadic parameter's empty list is not a default).
  @Test func everyParameterShowsItsDefaultOnce() {
    for builtin in Self.builtins {
      let parameterLines = builtin.helpText.split(separator: "\n").drop {
        $0 != "parameters:"
      }.dropFirst().prefix { $0.hasPrefix("  ") }
      #expect(parameterLines.count == builtin.parameters.count, "\(builtin.name)")
      for (line, parameter) in zip(parameterLines, builtin.parameters) {
        let defaults = line.components(separatedBy: "default").count - 1
        let expected = parameter.shownDefault == nil ? 0 : 1
        #expect(defaults == expected, "\(builtin.name): \(line)")
        #expect(!parameter.accepts.contains("default"), "\(builtin.name).\(parameter.name)")
      }
    }
  }
}
