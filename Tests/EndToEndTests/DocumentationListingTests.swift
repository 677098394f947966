import Foundation
import Testing

/// Listings in the documentation that claim to be a file of examples/ must be that file.
@Suite("Documentation listings")
struct DocumentationListingTests {
  static let root = FuselabProcess.repositoryRoot

  static func text(_ path: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
  }

  /// The fenced code blocks of a Markdown file, each without its fences.
  static func codeBlocks(_ markdown: String) -> [String] {
    var blocks: [String] = []
    var current: [Substring]?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("```") {
        if let lines = current {
          blocks.append(lines.map { $0 + "\n" }.joined())
          current = nil
        } else {
          current = []
        }
      } else {
        current?.append(line)
      }
    }
    return blocks
  }

  /// The README listed the quickstart without several of its lines and did not say so.
  @Test func theReadmeListsTheWholeQuickstart() throws {
    let readme = try Self.text("README.md")
    let script = try Self.text("examples/quickstart.fuse")
    #expect(readme.contains("`examples/quickstart.fuse` follows"))
    #expect(Self.codeBlocks(readme).contains(script))
  }

  /// docs/language.md opened with a toy labelled `# examples/quickstart.fuse`.
  @Test(arguments: ["README.md", "docs/language.md", "docs/training.md", "docs/data.md"])
  func aBlockNamedAfterAnExampleIsThatExample(document: String) throws {
    for block in Self.codeBlocks(try Self.text(document)) {
      guard block.hasPrefix("# examples/"), let name = block.split(separator: "\n").first else {
        continue
      }
      let path = String(name.dropFirst(2))
      let file = try? Self.text(path)
      #expect(file == block, "\(document): the block headed '\(name)' is not \(path)")
    }
  }

  /// The Markdown tables a notebook recorded in its output blocks, each as its lines.
  static func recordedTables(_ notebook: String) -> [String] {
    var tables: [String] = []
    var current: [Substring] = []
    var inOutput = false
    for line in notebook.split(separator: "\n", omittingEmptySubsequences: false) {
      if !inOutput {
        inOutput = line == "```output"
        continue
      }
      if line.hasPrefix("|") {
        current.append(line)
        continue
      }
      if !current.isEmpty {
        tables.append(current.joined(separator: "\n"))
        current = []
      }
      if line == "```" { inOutput = false }
    }
    return tables
  }

  /// The README's results are the tables notebooks/strategies.md recorded, which its check
  /// in turn reproduces: a rerun that changes a number must change the README too.
  @Test func theReadmeResultsAreTheStrategiesNotebooksTables() throws {
    let readme = try Self.text("README.md")
    let tables = Self.recordedTables(try Self.text("notebooks/strategies.md"))
    #expect(tables.count == 4, "strategies.md should record two score and two paired tables")
    for table in tables {
      #expect(
        readme.contains("\n" + table + "\n"),
        "README.md lacks the table that starts \(table.prefix(60))")
    }
    #expect(readme.contains("fuselab notebook run --check notebooks/strategies.md"))
  }
}
