import Foundation
import Testing

/// Output that cannot be written, input that is not a terminal, files that are not text: the
/// command must end with a clear status and message, never a trap.
@Suite("Standard streams and script input")
struct StandardStreamsEndToEndTests {
  static let printsALot = "for i in range(20000) { print(\"line\", i) }\n"

  @Test func aFullStandardOutputIsAnIOErrorNotATrap() throws {
    let script = try FuselabProcess.script(Self.printsALot)
    guard let full = FileHandle(forWritingAtPath: "/dev/full") else {
      Issue.record("cannot open /dev/full")
      return
    }
    let run = try FuselabProcess.run(["run", script.path], standardOutput: full)
    #expect(run.status == 74)
    #expect(
      run.standardError
        == "fuselab: error: cannot write to standard output: No space left on device\n")

    let help = try FuselabProcess.run(["--help"], standardOutput: full)
    #expect(help.status == 74)
  }

  @Test func aFullStandardErrorStillRunsTheScript() throws {
    let script = try FuselabProcess.script("print(1)\nprnt(2)\n")
    let process = Process()
    guard let binary = FuselabProcess.binary else { throw FuselabProcess.MissingBinary() }
    process.executableURL = binary
    process.arguments = ["run", script.path]
    process.environment = try FuselabProcess.isolatedEnvironment().environment
    let output = Pipe()
    process.standardOutput = output
    guard let full = FileHandle(forWritingAtPath: "/dev/full") else {
      Issue.record("cannot open /dev/full")
      return
    }
    process.standardError = full
    try process.run()
    let printed = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 70)
    #expect(String(decoding: printed, as: UTF8.self) == "1\n")
  }

  /// `fuselab run x.fuse | head -1`: the reader goes away; the writer stops without a word.
  @Test func aClosedPipeEndsTheRunQuietly() throws {
    let script = try FuselabProcess.script(Self.printsALot)
    let process = Process()
    guard let binary = FuselabProcess.binary else { throw FuselabProcess.MissingBinary() }
    process.executableURL = binary
    process.arguments = ["run", script.path]
    process.environment = try FuselabProcess.isolatedEnvironment().environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    _ = output.fileHandleForReading.readData(ofLength: 1)
    try output.fileHandleForReading.close()
    let complaint = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 141)
    #expect(String(decoding: complaint, as: UTF8.self) == "")
  }

  /// Piped input is a script, as in Python: real line numbers, script exit statuses, and
  /// `}` then `else` on the next line.
  @Test func pipedInputRunsAsAScript() throws {
    let unfinished = try FuselabProcess.run(["--no-history"], input: "xs = [1,\n2")
    #expect(unfinished.status == 65)
    #expect(unfinished.standardError.hasPrefix("<stdin>:1:6: error: this '[' is never closed"))

    let script = """
      x = 1
      if x == 2 {
        print("two")
      }
      else {
        print("not two")
      }
      prnt(x)
      print("not reached")

      """
    let run = try FuselabProcess.run([], input: script)
    #expect(run.status == 70)
    #expect(run.standardOutput == "not two\n")
    #expect(run.standardError.hasPrefix("<stdin>:8:1: error: undefined variable 'prnt'"))

    let dash = try FuselabProcess.run(["run", "-"], input: script)
    #expect(dash.status == 70)
    #expect(dash.standardOutput == run.standardOutput)
    #expect(dash.standardError == run.standardError)

    let fine = try FuselabProcess.run(["run", "-"], input: "print(6 * 7)")
    #expect(fine.status == 0)
    #expect(fine.standardOutput == "42\n")
  }

  @Test func aScriptThatIsNotUTF8IsAnErrorAtItsFirstBadByte() throws {
    let folder = try FuselabProcess.script("").deletingLastPathComponent()
    let file = folder.appendingPathComponent("nonutf.fuse")
    try (Data("print(1)\ns = \"caf".utf8) + Data([0xE9]) + Data("\"\n".utf8)).write(to: file)
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 65)
    #expect(run.standardOutput == "")
    #expect(
      run.standardError.hasPrefix(
        "\(file.path):2:9: error: invalid UTF-8 byte 0xE9; scripts must be UTF-8 text\n"))

    let piped = try FuselabProcess.run(["run", "-"], input: "")
    #expect(piped.status == 0)

    let notebook = folder.appendingPathComponent("nonutf.md")
    try (Data("# t\n\n```fuse\n".utf8) + Data([0xFF]) + Data("\n```\n".utf8)).write(to: notebook)
    let cells = try FuselabProcess.run(["notebook", "run", notebook.path])
    #expect(cells.status == 65)
    #expect(cells.standardError.hasPrefix("\(notebook.path):4:1: error: invalid UTF-8 byte 0xFF"))
  }

  /// The `--help` text is kept as a golden file, so a change to it is a visible diff.
  @Test func helpTextMatchesTheGoldenFile() throws {
    let golden = FuselabProcess.repositoryRoot.appendingPathComponent(
      "Tests/EndToEndTests/Golden/fuselab-help.txt")
    let run = try FuselabProcess.run(["--help"])
    #expect(run.status == 0)
    #expect(run.standardOutput == (try String(contentsOf: golden, encoding: .utf8)))
  }
}
