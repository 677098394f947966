import Testing

@testable import FuseLanguage

@Suite struct NotebookParserTests {
  @Test func findsCellsWithTheirLinesAndLeavesOtherBlocksAlone() throws {
    let text = """
      # Title

      ```fuse
      x = 1
      print(x)
      ```

      ```python
      print("not a cell")
      ```

      ````markdown
      ```fuse
      shown, not run
      ```
      ````

      ```Fuse extra words
      y = 2
      ```

      """
    let notebook = try Notebook(text: text)
    #expect(notebook.cells.map(\.number) == [1, 2])
    #expect(notebook.cells.map(\.fenceLine) == [3, 18])
    #expect(notebook.cells.map(\.source) == ["x = 1\nprint(x)", "y = 2"])
    #expect(notebook.cells.map(\.firstSourceLine) == [4, 19])
    #expect(notebook.text == text)
  }

  @Test func aLongerFenceHoldsShorterOnes() throws {
    let notebook = try Notebook(text: "````fuse\ns = \"\n```\n\"\n````\n")
    #expect(notebook.cells.count == 1)
    #expect(notebook.cells[0].source == "s = \"\n```\n\"")
  }

  @Test func readsRecordedOutputAndErrorBlocks() throws {
    let notebook = try Notebook(
      text: "```fuse\nprint(1)\n```\n\n```output\n1\n```\n\n```error\nnb.md:2:1: error: x\n```\n"
        + "\nprose\n")
    let cell = try #require(notebook.cells.first)
    #expect(cell.recorded == CellResult(output: ["1"], error: ["nb.md:2:1: error: x"]))
    #expect(cell.recordedLines == 3..<11)
  }

  @Test func anOutputBlockAfterProseIsProse() throws {
    let notebook = try Notebook(text: "```fuse\nx = 1\n```\n\ntext\n\n```output\n1\n```\n")
    #expect(notebook.cells[0].recorded.isEmpty)
    #expect(notebook.cells[0].recordedLines == 3..<3)
  }

  @Test func anUnclosedCellIsAnErrorNamingItsLine() {
    #expect(throws: NotebookError.self) { try Notebook(text: "a\n\n  ```fuse\nx = 1\n") }
    do {
      _ = try Notebook(text: "a\n\n  ```fuse\nx = 1\n")
    } catch let error as NotebookError {
      #expect(error.line == 3)
      #expect(error.column == 3)
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func anUnclosedOtherBlockRunsToTheEndAsProse() throws {
    let notebook = try Notebook(text: "```text\n```fuse\nx = 1\n```")
    #expect(notebook.cells.isEmpty)
  }

  @Test func indentedFencesLoseTheirIndentationInTheSource() throws {
    let notebook = try Notebook(text: "- item\n\n  ```fuse\n  x = 1\n    y = 2\n z = 3\n  ```\n")
    let cell = try #require(notebook.cells.first)
    #expect(cell.indentation == 2)
    #expect(cell.source == "x = 1\n  y = 2\nz = 3")
    #expect(cell.removedIndentation == [2, 2, 1])
  }

  @Test func fourSpacesAreAnIndentedCodeBlockNotAFence() throws {
    #expect(try Notebook(text: "    ```fuse\n    x = 1\n    ```\n").cells.isEmpty)
  }

  @Test func crlfFilesKeepTheirLineBreaks() throws {
    let text = "intro\r\n\r\n```fuse\r\nx = 1\r\nx\r\n```\r\n"
    let notebook = try Notebook(text: text)
    #expect(notebook.lineBreak == "\r\n")
    #expect(notebook.cells[0].source == "x = 1\nx")
    #expect(notebook.text == text)
  }
}
