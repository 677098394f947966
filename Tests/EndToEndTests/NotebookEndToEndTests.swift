import Foundation
import Testing

/// `fuselab notebook` through the built binary, on real notebooks and HTAD.
@Suite struct NotebookEndToEndTests {
  /// Writes a notebook into a fresh temporary folder and returns its path.
  private func notebook(_ text: String, named name: String = "nb.md") throws -> URL {
    try FuselabProcess.script(text, named: name)
  }

  private func read(_ file: URL) throws -> String {
    try String(contentsOf: file, encoding: .utf8)
  }

  @Test(.enabled(if: FuselabProcess.htadAvailable, "HTAD is not in data/htad; run scripts/setup"))
  func pathsInCellsAreRelativeToTheNotebooksFolder() throws {
    let file = try notebook("```fuse\nd = load(\"htad\")\nprint(d.sizes)\n```\n")
    let htad = FuselabProcess.repositoryRoot.appendingPathComponent("data/htad")
    try FileManager.default.copyItem(
      at: htad, to: file.deletingLastPathComponent().appendingPathComponent("htad"))

    let outcome = try FuselabProcess.run(["notebook", "run", file.path])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(try read(file).hasSuffix("```output\n{train: 835, dev: 276, test: 275}\n```\n"))
  }

  @Test func aFailingCellRecordsItsErrorAndTheOutputsBeforeIt() throws {
    let text = """
      # Failing

      ```fuse
      print("first")
      ```

      ```fuse
      print("partial")
      xs = [1, 2]
      print(xs[7])
      ```

      ```fuse
      print("never")
      ```

      """
    let file = try notebook(text, named: "failing.md")
    let outcome = try FuselabProcess.run(["notebook", "run", file.path])
    #expect(outcome.status == 70)
    #expect(outcome.standardError.contains("\(file.path):14:10: error: index 7 is out of range"))

    let expected = """
      # Failing

      ```fuse
      print("first")
      ```

      ```output
      first
      ```

      ```fuse
      print("partial")
      xs = [1, 2]
      print(xs[7])
      ```

      ```output
      partial
      ```

      ```error
      failing.md:14:10: error: index 7 is out of range; valid indices are 0 to 1, or -1 to -2
      print(xs[7])
               ^
      ```

      ```fuse
      print("never")
      ```

      """
    #expect(try read(file) == expected)

    // The recorded error is what a check expects once errors are allowed.
    let check = try FuselabProcess.run(["notebook", "run", "--check", "--allow-errors", file.path])
    #expect(check.status == 1, "the third cell now runs and prints 'never'")
    let allowed = try FuselabProcess.run(["notebook", "run", "--allow-errors", file.path])
    #expect(allowed.status == 0)
    #expect(try read(file).hasSuffix("```output\nnever\n```\n"))
    let again = try FuselabProcess.run(["notebook", "run", "--check", "--allow-errors", file.path])
    #expect(again.status == 0, "\(again.standardError)")
  }

  @Test func aCellThatDoesNotParseExits65() throws {
    let file = try notebook("```fuse\nx = (1 +\n```\n")
    let outcome = try FuselabProcess.run(["notebook", "run", file.path])
    #expect(outcome.status == 65)
    #expect(try read(file).contains("```error\nnb.md:2:"))
  }

  @Test func checkReportsTheFirstChangedCellAndChangesNothing() throws {
    let text =
      "```fuse\nprint(1)\n```\n\n```output\n1\n```\n\n```fuse\nprint(2)\n```\n\n"
      + "```output\ntwo\n```\n"
    let file = try notebook(text)
    let outcome = try FuselabProcess.run(["notebook", "run", "--check", file.path])
    #expect(outcome.status == 1)
    #expect(outcome.standardError.contains("\(file.path):12: cell 2: the output differs"))
    #expect(outcome.standardError.contains("-two\n+2\n"))
    #expect(try read(file) == text)
  }

  @Test func runningTwiceLeavesTheSameFileAndCRLFStays() throws {
    let file = try notebook("Intro\r\n\r\n```fuse\r\nfor i in [1, 2] { print(i) }\r\n```\r\n")
    #expect(try FuselabProcess.run(["notebook", "run", file.path]).status == 0)
    let once = try read(file)
    #expect(once.hasSuffix("```\r\n\r\n```output\r\n1\r\n2\r\n```\r\n"))
    #expect(try FuselabProcess.run(["notebook", "run", file.path]).status == 0)
    #expect(try read(file) == once)
  }

  @Test(arguments: [
    ["notebook"], ["notebook", "walk", "x.md"], ["notebook", "run"],
    ["notebook", "run", "--check", "a.md", "b.md"], ["notebook", "export", "--check", "a.md"],
    ["notebook", "run", "--threads", "zero", "a.md"],
  ])
  func usageErrorsExit64(arguments: [String]) throws {
    let outcome = try FuselabProcess.run(arguments)
    #expect(outcome.status == 64)
    #expect(outcome.standardError.contains("usage: fuselab notebook"))
  }

  @Test func aMissingNotebookIsNamed() throws {
    let outcome = try FuselabProcess.run(["notebook", "run", "no/such/notebook.md"])
    #expect(outcome.status == 64)
    #expect(outcome.standardError.contains("no/such/notebook.md"))
  }

  @Test(
    .enabled(
      if: nbformatIsImportable,
      "python3 cannot import nbformat; run scripts/setup and put data/python/bin first on PATH"))
  func exportIsValidNbformat() throws {
    let folder = try notebook("x").deletingLastPathComponent()
    let output = folder.appendingPathComponent("quickstart.ipynb")
    let outcome = try FuselabProcess.run([
      "notebook", "export", "notebooks/quickstart.md", "-o", output.path,
    ])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(try nbformatProblem(with: output.path) == nil)
    #expect(try read(output).contains("\"name\": \"stdout\""))
  }

  @Test func exportWritesBesideTheNotebookByDefault() throws {
    let file = try notebook("```fuse\n1\n```\n")
    #expect(try FuselabProcess.run(["notebook", "export", file.path]).status == 0)
    let written = file.deletingPathExtension().appendingPathExtension("ipynb")
    #expect(try read(written).hasPrefix("{\n \"cells\": [\n"))
  }
}

/// Whether python3 can import nbformat (scripts/setup installs it).
let nbformatIsImportable: Bool = {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = ["python3", "-c", "import nbformat"]
  process.standardOutput = FileHandle.nullDevice
  process.standardError = FileHandle.nullDevice
  guard (try? process.run()) != nil else { return false }
  process.waitUntilExit()
  return process.terminationStatus == 0
}()

/// Runs `nbformat.validate` on a file; nil when valid, else what nbformat said.
func nbformatProblem(with path: String) throws -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", "-c",
    "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); nbformat.validate(nb)",
    path,
  ]
  let errors = Pipe()
  process.standardError = errors
  try process.run()
  let message = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return process.terminationStatus == 0 ? nil : String(decoding: message, as: UTF8.self)
}
