import Foundation
import FuseLanguage
import Testing

/// Whether the notebooks that train for more than a second or two are checked: a debug build
/// trains many times slower (why-one-rate.md takes a minute there, strategies.md would take
/// a quarter of an hour), so they run in optimised builds (scripts/test) and when
/// FUSELAB_NOTEBOOKS=1 asks for them.
private var longNotebooksWanted: Bool {
  #if DEBUG
    return ProcessInfo.processInfo.environment["FUSELAB_NOTEBOOKS"] == "1"
  #else
    return true
  #endif
}

/// Every notebook in notebooks/ reproduces the outputs it records, through the built binary:
/// `fuselab notebook run --check` exits 0, prints nothing and leaves the file as it was.
/// Notebooks that read MELD (a path into `../shared/data`) are checked only where MELD is,
/// and in a debug build only the quickstart is checked unless FUSELAB_NOTEBOOKS=1.
@Suite(
  "Every notebook passes its check",
  .enabled(if: FuselabProcess.htadAvailable, "HTAD is not in data/htad; run scripts/setup"))
struct NotebookCheckEndToEndTests {
  static let folder = FuselabProcess.repositoryRoot.appendingPathComponent("notebooks")

  /// The notebooks' file names, sorted.
  static let notebooks: [String] = {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".md") }.sorted()
  }()

  static func text(_ name: String) -> String {
    (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)) ?? ""
  }

  static func readsMELD(_ name: String) -> Bool { text(name).contains("shared/data") }

  /// Notebooks quick enough to check in every build.
  static let quick: Set<String> = ["quickstart.md"]

  /// Notebooks that take an hour or more, run by hand outside CI, each checked instead
  /// through a slice of it: the notebook with its first cell alone changed to a small run.
  static let outsideCI: [String: String] = ["paper-setting.md": "paper-setting-slice.md"]

  /// Notebooks whose cells encode text with the MiniLM folder that scripts/setup fetches.
  static func encodesText(_ name: String) -> Bool { text(name).contains("data/minilm") }

  static let htadOnly = notebooks.filter { !readsMELD($0) && outsideCI[$0] == nil }
  static let withMELD = notebooks.filter {
    readsMELD($0) && !encodesText($0) && outsideCI[$0] == nil
  }
  static let withMELDText = notebooks.filter {
    readsMELD($0) && encodesText($0) && outsideCI[$0] == nil
  }

  func check(_ name: String) throws {
    let file = Self.folder.appendingPathComponent(name)
    let before = try String(contentsOf: file, encoding: .utf8)
    let outcome = try FuselabProcess.run(["notebook", "run", "--check", "notebooks/\(name)"])
    #expect(outcome.status == 0, "\(name): \(outcome.standardError.suffix(3000))")
    #expect(outcome.standardOutput.isEmpty, "\(name)")
    #expect(try String(contentsOf: file, encoding: .utf8) == before, "\(name) was changed")
  }

  @Test(arguments: htadOnly.filter(quick.contains))
  func aQuickNotebookPassesItsCheck(name: String) throws {
    try check(name)
  }

  @Test(
    .enabled(
      if: longNotebooksWanted,
      "optimised builds only; FUSELAB_NOTEBOOKS=1 checks the longer notebooks in a debug build"),
    arguments: htadOnly.filter { !quick.contains($0) })
  func aLongerNotebookOnHTADPassesItsCheck(name: String) throws {
    try check(name)
  }

  @Test(
    .enabled(
      if: FuselabProcess.meldAvailable,
      "MELD is not in ../shared/data; the notebooks that read it are not checked"),
    .enabled(
      if: longNotebooksWanted,
      "optimised builds only; FUSELAB_NOTEBOOKS=1 checks the MELD notebooks in a debug build"),
    arguments: withMELD)
  func aNotebookOnMELDPassesItsCheck(name: String) throws {
    try check(name)
  }

  @Test(
    .enabled(
      if: FuselabProcess.meldAvailable,
      "MELD is not in ../shared/data; the notebooks that read it are not checked"),
    .enabled(
      if: TextModalityEndToEndTests.minilmAvailable,
      "data/minilm is missing (scripts/setup fetches it); notebooks encoding text are not checked"),
    .enabled(
      if: longNotebooksWanted,
      "optimised builds only; FUSELAB_NOTEBOOKS=1 checks the MELD notebooks in a debug build"),
    arguments: withMELDText)
  func aNotebookEncodingMELDsTextPassesItsCheck(name: String) throws {
    try check(name)
  }

  /// A slice runs what the long notebook runs: every `fuse` cell after the first is the same
  /// text in both, so a cell that breaks or changes its output in the long notebook breaks
  /// the slice's check too.
  @Test(arguments: outsideCI.sorted(by: { $0.key < $1.key }).map { [$0.key, $0.value] })
  func aSliceHoldsTheLongNotebooksCells(pair: [String]) throws {
    let long = try Self.cells(Self.text(pair[0]))
    let slice = try Self.cells(Self.text(pair[1]))
    #expect(long.count >= 2, "\(pair[0]) has no cells after its first")
    #expect(long.count == slice.count, "\(pair[0]) and \(pair[1]) have different cell counts")
    #expect(long.first != slice.first, "\(pair[1]) should change the first cell")
    #expect(Array(long.dropFirst()) == Array(slice.dropFirst()))
    #expect(Self.notebooks.contains(pair[1]) && Self.withMELDText.contains(pair[1]))
  }

  /// The source of each `fuse` cell, in file order, as the notebook runner reads them.
  static func cells(_ markdown: String) throws -> [String] {
    try Notebook(text: markdown).cells.map(\.source)
  }

  /// The lists above come from the folder; an empty or misread folder must not pass quietly.
  @Test func theNotebooksAreFound() {
    for name in ["quickstart.md", "why-one-rate.md", "strategies.md", "meld.md"] {
      #expect(Self.notebooks.contains(name), "notebooks/\(name) is missing")
    }
    #expect(Self.withMELD.contains("strategies.md") && Self.withMELD.contains("meld.md"))
    #expect(Self.htadOnly.contains("quickstart.md") && Self.htadOnly.contains("why-one-rate.md"))
    #expect(Self.notebooks.contains("paper-setting.md") && Self.readsMELD("paper-setting.md"))
    #expect(Self.encodesText("paper-setting.md") && Self.encodesText("paper-setting-slice.md"))
    let checked = Self.htadOnly + Self.withMELD + Self.withMELDText
    #expect(!checked.contains("paper-setting.md"), "the hour-long run is not for CI")
    #expect(checked.contains("paper-setting-slice.md"))
  }
}
