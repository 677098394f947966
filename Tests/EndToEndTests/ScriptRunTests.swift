import Foundation
import Testing

/// `fuselab run` on scripts with mistakes: the diagnostic names the place, the exit status
/// says what kind of failure it was.
@Suite("Running scripts")
struct ScriptRunTests {
  @Test func parseErrorExits65WithCaret() throws {
    let script = try FuselabProcess.script("x = 1\ny = (x +* 2)\n", named: "bad.fuse")
    let run = try FuselabProcess.run(["run", script.path])
    #expect(run.status == 65)
    let lines = run.standardError.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count >= 3)
    #expect(lines[0].hasPrefix("\(script.path):2:9: error: "))
    #expect(lines[1] == "y = (x +* 2)")
    #expect(lines[2].hasPrefix("        ^"))
  }

  @Test func unterminatedStringExits65() throws {
    let script = try FuselabProcess.script("s = \"abc\n", named: "lex.fuse")
    let run = try FuselabProcess.run(["run", script.path])
    #expect(run.status == 65)
    #expect(run.standardError.hasPrefix("\(script.path):1:5: error: unterminated string"))
  }

  @Test func misspeltBuiltinExits70WithSuggestion() throws {
    let script = try FuselabProcess.script("x = 3\nprnt(x)\n")
    let run = try FuselabProcess.run(["run", script.path])
    #expect(run.status == 70)
    #expect(
      run.standardError.hasPrefix(
        "\(script.path):2:1: error: undefined variable 'prnt'; did you mean 'print'?"))
  }

  @Test func missingDataFolderNamesThePath() throws {
    let script = try FuselabProcess.script("print(1)\ndata = load(\"no/such/folder\")\n")
    let run = try FuselabProcess.run(["run", script.path])
    #expect(run.status == 70)
    #expect(run.standardOutput == "1\n")
    #expect(run.standardError.contains(":2:8: error: "))
    #expect(run.standardError.contains("no/such/folder"))
  }

  @Test(
    .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
  func badOptionNamesTheValue() throws {
    let script = try FuselabProcess.script(
      "data = load(\"\(FuselabProcess.repositoryRoot.path)/data/htad\")\n"
        + "m = model(data, dropout: 1.5)\n")
    let run = try FuselabProcess.run(["run", script.path])
    #expect(run.status == 70)
    #expect(
      run.standardError.hasSuffix(
        ":2:17: error: invalid value 1.5 for 'dropout': dropout must be in [0, 1)\n"
          + "m = model(data, dropout: 1.5)\n" + "                ^~~~~~~~~~~~\n"))
  }

  @Test(
    .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
  func keepWithoutSweepSaysWhatIsMissing() throws {
    let script = try FuselabProcess.script(
      "data = load(\"\(FuselabProcess.repositoryRoot.path)/data/htad\")\n"
        + "m = model(data)\nk = fuse(m, rates: \"keep\")\n")
    let run = try FuselabProcess.run(["run", script.path])
    #expect(run.status == 70)
    #expect(run.standardError.contains("needs the best unimodal rate of 'audio', 'accel'"))
  }

  // Wall times differ from run to run, so they live in h.time and not in the export.
  @Test(
    .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
  func historyTimesEveryEpoch() throws {
    let script = try FuselabProcess.script(
      "data = load(\"\(FuselabProcess.repositoryRoot.path)/data/htad\")\n"
        + "h = train(model(data), epochs: 3)\nt = h.time\n"
        + "print(len(t.train), len(t.dev), len(t.total))\n"
        + "ok = true\nfor i in range(3) { if t.total[i] < t.train[i] + t.dev[i] { ok = false } }\n"
        + "print(min(t.train) > 0, min(t.dev) > 0, ok)\n"
        + "print(h.csv)\n")
    let run = try FuselabProcess.run(["run", script.path])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n")
    #expect(lines.count >= 3)
    #expect(lines.first == "3 3 3")
    #expect(lines.dropFirst().first == "true true true")
    #expect(lines.dropFirst(2).first?.hasPrefix("epoch,loss,") == true)
    #expect(!run.standardOutput.contains("time"))
  }

  /// Pipes and devices used to be refused with "cannot read /dev/stdin".
  @Test func aScriptCanBeReadFromStandardInput() throws {
    let run = try FuselabProcess.run(["run", "/dev/stdin"], input: "print(1 + 1)\n")
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput == "2\n")
    let empty = try FuselabProcess.run(["run", "/dev/null"])
    #expect(empty.status == 0, "\(empty.standardError)")
  }

  @Test(arguments: [
    (["run"], "run needs a script file"),
    (["--bogus"], "unknown option '--bogus'"),
    (["run", "no-such-script.fuse"], "no such script: no-such-script.fuse"),
    (["--threads", "zero"], "--threads takes a whole number"),
    (["notebook", "run", "no-such-notebook.md"], "no such notebook: no-such-notebook.md"),
    (["--threads", "2", "bench"], "'bench' must come first, its options after it"),
  ])
  func commandLineMistakesExit64(arguments: [String], message: String) throws {
    let run = try FuselabProcess.run(arguments)
    #expect(run.status == 64)
    #expect(run.standardError.contains(message))
  }

  /// A usage error printed the whole --help text under its one-line message.
  @Test func aUsageErrorShowsTheShortUsage() throws {
    let run = try FuselabProcess.run(["--bogus"])
    #expect(run.status == 64)
    #expect(
      run.standardError == "fuselab: error: unknown option '--bogus'\n"
        + "usage: fuselab [--threads N] [--no-history] [run FILE.fuse | notebook run|export FILE.md]\n"
        + "       fuselab bench [--threads N] [--json]\n"
        + "see 'fuselab --help' for more\n")
    let notebook = try FuselabProcess.run(["notebook", "walk"])
    #expect(
      notebook.standardError
        == "fuselab notebook: error: unknown notebook command 'walk'; use run or export\n"
        + "usage: fuselab notebook run|export [options] FILE.md\n"
        + "see 'fuselab notebook --help' for more\n")
  }

  /// `--threads=2` was an unknown option; every subcommand takes an option's value after
  /// an equals sign, and no option takes the next option as its value.
  @Test func optionValuesMayFollowAnEqualsSign() throws {
    let script = try FuselabProcess.script("print(threads())\n")
    let run = try FuselabProcess.run(["run", "--threads=2", script.path])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput == "2\n")

    let notebook = script.deletingLastPathComponent().appendingPathComponent("n.md")
    try "```fuse\nprint(threads())\n```\n".write(to: notebook, atomically: true, encoding: .utf8)
    let cells = try FuselabProcess.run(["notebook", "run", "--threads=2", notebook.path])
    #expect(cells.status == 0, "\(cells.standardError)")
    #expect(try String(contentsOf: notebook, encoding: .utf8).contains("```output\n2\n```"))

    let missing = try FuselabProcess.run(["--threads", "--no-history"])
    #expect(missing.status == 64)
    #expect(
      missing.standardError.hasPrefix("fuselab: error: --threads needs a number of threads\n"))
    let flag = try FuselabProcess.run(["--no-history=yes"])
    #expect(flag.status == 64)
    #expect(
      flag.standardError.hasPrefix(
        "fuselab: error: --no-history takes no value, got '--no-history=yes'\n"))
  }

  /// `--` ends the options, so a script whose name starts with a dash can be run.
  @Test func aDoubleDashEndsTheOptions() throws {
    let script = try FuselabProcess.script("print(\"ran\")\n", named: "-dashed.fuse")
    let folder = script.deletingLastPathComponent()
    let run = try FuselabProcess.run(["run", "--", "-dashed.fuse"], in: folder)
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput == "ran\n")
    let threads = try FuselabProcess.run(["run", "--threads", "2", "--", script.path])
    #expect(threads.standardOutput == "ran\n")
    let extra = try FuselabProcess.run(["run", "--", script.path, "--threads"])
    #expect(extra.status == 64)
    #expect(
      extra.standardError.hasPrefix(
        "fuselab: error: run takes one script, got another: '--threads'\n"))
  }
}
