import Testing

@testable import FuseLanguage

/// Errors are recorded at their line and column in the Markdown file, not in the cell.
@Suite struct NotebookDiagnosticTests {
  private func error(_ text: String) throws -> [String]? {
    let (_, results) = try runNotebook(text, allowErrors: true)
    return results.keys.sorted().compactMap { results[$0]?.error }.first
  }

  @Test func aRuntimeErrorNamesTheFileLineOfTheCell() throws {
    let text = "# T\n\n```fuse\nx = 1\n```\n\n```fuse\ny = 2\nprint(y + nope)\n```\n"
    #expect(
      try error(text) == [
        "nb.md:9:11: error: undefined variable 'nope'; did you mean 'none'?",
        "print(y + nope)", "          ^~~~",
      ])
  }

  @Test func aParseErrorNamesTheFileLine() throws {
    let text = "intro\n\n```fuse\nx = (1 +\n```\n"
    let lines = try #require(try error(text))
    #expect(lines[0].hasPrefix("nb.md:4:"))
    #expect(lines[0].contains(": error: "))
  }

  @Test func anErrorInAFunctionFromAnEarlierCellPointsIntoThatCell() throws {
    let text = """
      ```fuse
      f = fn(x) {
        return x + missing
      }
      ```

      ```fuse
      f(1)
      ```

      """
    let lines = try #require(try error(text))
    #expect(lines[0].hasPrefix("nb.md:3:14: error: undefined variable 'missing'"))
    #expect(lines[1] == "  return x + missing")
  }

  @Test func outputsWrittenAboveMoveTheErrorDown() throws {
    // Cell 1 gains a four-line output block, so cell 2's line 2 is file line 11, not 7.
    let text = "```fuse\nprint(1)\n```\n\n```fuse\nx = 1\nx + nope\n```\n"
    let lines = try #require(try error(text))
    #expect(lines[0].hasPrefix("nb.md:11:5: error: "))
    let written = try rendered(text, allowErrors: true)
    let fileLines = written.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(fileLines[10] == "x + nope")
  }

  @Test func indentedCellsShiftTheColumnBack() throws {
    let text = "- step\n\n   ```fuse\n   print(nope)\n   ```\n"
    let lines = try #require(try error(text))
    #expect(lines[0].hasPrefix("nb.md:4:10: error: "))
    #expect(lines[1] == "   print(nope)")
    #expect(lines[2] == "         ^~~~")
  }

  @Test func cellLocationsMapToFileLocations() throws {
    let notebook = try Notebook(text: "a\nb\n\n ```fuse\n x\n  y\n ```\n")
    let cell = notebook.cells[0]
    #expect(notebook.fileLocation(in: cell, line: 1, column: 1) == (5, 2))
    #expect(notebook.fileLocation(in: cell, line: 2, column: 2) == (6, 3))
    // Past the end of the cell (an unexpected end of input) is the closing fence.
    #expect(notebook.fileLocation(in: cell, line: 9, column: 1).0 == 7)
  }

  @Test func diagnosticsFromElsewhereAreLeftAlone() throws {
    let notebook = try Notebook(text: "```fuse\nx\n```\n")
    let other = Diagnostic(
      kind: .runtime, message: "m",
      location: SourceLocation(
        file: "lib.fuse", line: 3,
        column: 2, length: 1), sourceLine: "abc")
    #expect(notebook.locate(other, fileName: "nb.md") == other)
  }
}
