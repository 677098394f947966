import Testing

@testable import FuseLanguage

@Suite struct NotebookCheckTests {
  @Test func aFreshlyRunNotebookMatchesItsRecord() throws {
    let text = try rendered("```fuse\nprint(\"a\")\nprint(\"b\")\n```\n\n```fuse\n1 + 1\n```\n")
    let (notebook, results) = try runNotebook(text)
    #expect(notebook.firstMismatch(with: results) == nil)
  }

  @Test func aChangedOutputIsReportedWithItsCellAndLine() throws {
    let text = """
      # Check

      ```fuse
      print("same")
      ```

      ```output
      same
      ```

      ```fuse
      print("a")
      print("b")
      print("c")
      ```

      ```output
      a
      B
      c
      ```

      """
    let (notebook, results) = try runNotebook(text)
    let mismatch = try #require(notebook.firstMismatch(with: results))
    #expect(mismatch.cell == 2)
    #expect(mismatch.line == 16)
    #expect(
      mismatch.report(fileName: "check.md") == """
        check.md:16: cell 2: the output differs from the recorded one
        --- check.md (recorded)
        +++ check.md (actual)
        @@ -16,6 +16,6 @@
         
         ```output
         a
        -B
        +b
         c
         ```

        """)
  }

  @Test func aMissingOutputAndANewErrorAreMismatches() throws {
    let (notebook, results) = try runNotebook("```fuse\nprint(1)\n```\n")
    #expect(notebook.firstMismatch(with: results)?.recorded == [])
    let (failing, failed) = try runNotebook("```fuse\nnope\n```\n")
    #expect(failing.firstMismatch(with: failed)?.actual.contains("```error") == true)
  }

  @Test func cellsThatDidNotRunAreNotCompared() throws {
    let text = "```fuse\nprint(1)\n```\n\n```output\n1\n```\n\n```fuse\nprint(2)\n```\n"
    let notebook = try Notebook(text: text)
    #expect(notebook.firstMismatch(with: [1: CellResult(output: ["1"])]) == nil)
  }

  @Test func hunksKeepThreeLinesOfContext() {
    let old = (1...12).map { "line \($0)" }
    var new = old
    new[1] = "changed 2"
    new[10] = "changed 11"
    let hunks = unifiedHunks(old, new, context: 3)
    #expect(hunks.count == 2)
    #expect(hunks[0].oldStart == 0 && hunks[0].oldCount == 5 && hunks[0].newCount == 5)
    #expect(hunks[1].lines.first == " line 8")
    #expect(hunks[1].lines.last == " line 12")
  }
}
