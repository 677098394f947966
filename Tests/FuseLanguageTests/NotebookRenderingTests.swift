import Testing

@testable import FuseLanguage

@Suite struct NotebookRenderingTests {
  @Test func writesOutputBelowEachCellAndLeavesProseAlone() throws {
    let text = """
      # Sums

      Add two numbers.
      ```fuse
      x = 1 + 2
      print("x is", x)
      x * 10
      ```
      Then nothing printed:

      ```fuse
      y = 1
      ```

      ```python
      print("untouched")
      ```
      """
    let expected = """
      # Sums

      Add two numbers.
      ```fuse
      x = 1 + 2
      print("x is", x)
      x * 10
      ```

      ```output
      x is 3
      30
      ```
      Then nothing printed:

      ```fuse
      y = 1
      ```

      ```python
      print("untouched")
      ```
      """
    #expect(try rendered(text) == expected)
  }

  @Test func replacesAHandEditedOutputAndRemovesAStaleOne() throws {
    let text = """
      ```fuse
      print(2)
      ```
      ```output
      edited by hand
      ```

      ```fuse
      z = 3
      ```

      ```output
      3
      ```

      end

      """
    let expected = """
      ```fuse
      print(2)
      ```

      ```output
      2
      ```

      ```fuse
      z = 3
      ```

      end

      """
    #expect(try rendered(text) == expected)
  }

  @Test func recordsTheErrorAfterThePartialOutputAndStops() throws {
    let text = """
      ```fuse
      print("before")
      [1, 2][5]
      ```

      ```fuse
      print("never run")
      ```

      ```output
      old
      ```

      """
    let expected = """
      ```fuse
      print("before")
      [1, 2][5]
      ```

      ```output
      before
      ```

      ```error
      nb.md:3:8: error: index 5 is out of range; valid indices are 0 to 1, or -1 to -2
      [1, 2][5]
             ^
      ```

      ```fuse
      print("never run")
      ```

      ```output
      old
      ```

      """
    #expect(try rendered(text) == expected)
  }

  @Test func allowedErrorsLetTheNextCellsRun() throws {
    let text = "```fuse\nundefined_name\n```\n\n```fuse\nprint(\"ran\")\n```\n"
    let result = try rendered(text, allowErrors: true)
    #expect(result.hasSuffix("```fuse\nprint(\"ran\")\n```\n\n```output\nran\n```\n"))
    #expect(result.contains("```error\nnb.md:2:1: error: "))
  }

  @Test func printedFencesGetALongerFence() throws {
    let text = "```fuse\nprint(\"```\")\nprint(\"  ````x\")\n```\n"
    let expected = text + "\n`````output\n```\n  ````x\n`````\n"
    #expect(try rendered(text) == expected)
  }

  @Test func crlfFilesGetCRLFOutputBlocks() throws {
    let text = "intro\r\n\r\n```fuse\r\nprint(1)\r\n```\r\n\r\nend\r\n"
    let expected =
      "intro\r\n\r\n```fuse\r\nprint(1)\r\n```\r\n\r\n```output\r\n1\r\n```\r\n"
      + "\r\nend\r\n"
    #expect(try rendered(text) == expected)
  }

  @Test func aCellOnTheLastLineWithoutALineBreakGetsOne() throws {
    #expect(try rendered("```fuse\n7\n```") == "```fuse\n7\n```\n\n```output\n7\n```\n")
  }

  @Test func indentedCellsGetIndentedOutputs() throws {
    let text = "- step\n\n  ```fuse\n  print(1)\n  print()\n  print(2)\n  ```\n"
    let expected = text + "\n  ```output\n  1\n\n  2\n  ```\n"
    #expect(try rendered(text) == expected)
  }

  @Test func trailingWhiteSpaceAndEmptyLinesAreNotRecorded() {
    let result = CellResult(printed: "a  \n\tb\t\n\n\n", error: nil)
    #expect(result.output == ["a", "\tb"])
    #expect(CellResult(printed: "\n \n", error: nil).isEmpty)
  }

  @Test(arguments: [
    "```fuse\nprint(1)\n```\n",
    "text\n```fuse\nprint(1)\n```\n```output\nstale\n```\nmore\n",
    "```fuse\nprint(\"a\")\nnope\n```\n\n```fuse\nprint(2)\n```\n",
    "a\r\n```fuse\r\nprint(\"```\")\r\n```",
  ])
  func runningTwiceGivesTheSameFile(text: String) throws {
    let once = try rendered(text, allowErrors: true)
    #expect(try rendered(once, allowErrors: true) == once)
  }

  @Test func cellsWithoutAResultKeepTheirRecordedLines() throws {
    let text = "```fuse\nprint(1)\n```\n```output\nkept as is   \n```\n"
    let notebook = try Notebook(text: text)
    #expect(notebook.rendered(with: [:]) == text)
  }
}
