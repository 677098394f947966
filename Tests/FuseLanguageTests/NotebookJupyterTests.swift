import Foundation
import Testing

@testable import FuseLanguage

/// Whether python3 can import nbformat (scripts/setup installs it); tests that validate an
/// export with it are skipped, saying so, when it cannot.
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

/// Runs `nbformat.validate` on a file; returns nil when valid, else what nbformat said.
func nbformatProblem(with path: String) throws -> String? {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [
    "python3", "-c",
    "import sys, nbformat; nb = nbformat.read(sys.argv[1], as_version=4); "
      + "nbformat.validate(nb); assert nb.nbformat == 4",
    path,
  ]
  let errors = Pipe()
  process.standardError = errors
  try process.run()
  let message = errors.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return process.terminationStatus == 0 ? nil : String(decoding: message, as: UTF8.self)
}

@Suite struct NotebookJupyterTests {
  static let text = """
    # Title

    Prose with "quotes" and a \\ backslash.

    ```fuse
    x = 2
    print("x", x)
    ```

    ```output
    x 2
    ```

    ```fuse
    nope
    ```

    ```error
    nb.md:15:1: error: undefined variable 'nope'
    nope
    ^~~~
    ```

    The end.

    """

  private func exported() throws -> [String: Any] {
    let json = try Notebook(text: NotebookJupyterTests.text).jupyterJSON()
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    return try #require(object as? [String: Any])
  }

  @Test func proseAndCellsBecomeMarkdownAndCodeCells() throws {
    let notebook = try exported()
    #expect(notebook["nbformat"] as? Int == 4)
    #expect(notebook["nbformat_minor"] as? Int == 5)
    let cells = try #require(notebook["cells"] as? [[String: Any]])
    #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "code", "code", "markdown"])
    #expect(cells.map { $0["id"] as? String } == ["cell-1", "cell-2", "cell-3", "cell-4"])
    #expect(
      cells[0]["source"] as? [String]
        == ["# Title\n", "\n", "Prose with \"quotes\" and a \\ backslash."])
    #expect(cells[1]["source"] as? [String] == ["x = 2\n", "print(\"x\", x)"])
    #expect(cells[3]["source"] as? [String] == ["The end."])
  }

  @Test func outputsBecomeStreams() throws {
    let cells = try #require(try exported()["cells"] as? [[String: Any]])
    let output = try #require((cells[1]["outputs"] as? [[String: Any]])?.first)
    #expect(output["output_type"] as? String == "stream")
    #expect(output["name"] as? String == "stdout")
    #expect(output["text"] as? [String] == ["x 2\n"])
    let error = try #require((cells[2]["outputs"] as? [[String: Any]])?.first)
    #expect(error["name"] as? String == "stderr")
    #expect((error["text"] as? [String])?.first == "nb.md:15:1: error: undefined variable 'nope'\n")
  }

  @Test func metadataNamesTheLanguage() throws {
    let metadata = try #require(try exported()["metadata"] as? [String: [String: String]])
    #expect(metadata["kernelspec"]?["language"] == "fuse")
    #expect(metadata["language_info"]?["name"] == "fuse")
  }

  @Test func exportIsTheSameEveryTime() throws {
    let notebook = try Notebook(text: NotebookJupyterTests.text)
    #expect(notebook.jupyterJSON() == notebook.jupyterJSON())
  }

  @Test(
    .enabled(
      if: nbformatIsImportable,
      "python3 cannot import nbformat; run scripts/setup and put data/python/bin first on PATH"))
  func nbformatValidatesTheExport() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fuselab-export-\(UUID().uuidString).ipynb")
    defer { try? FileManager.default.removeItem(at: file) }
    try Notebook(text: NotebookJupyterTests.text).jupyterJSON()
      .write(to: file, atomically: true, encoding: .utf8)
    #expect(try nbformatProblem(with: file.path) == nil)
  }
}
