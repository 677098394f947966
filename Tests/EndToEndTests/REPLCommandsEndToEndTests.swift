import Foundation
import Testing

/// Prompt commands, pasted blocks, Ctrl-C at an idle prompt and the history file, on a
/// pseudo-terminal as a person would use them.
@Suite("REPL commands on a terminal")
struct REPLCommandsEndToEndTests {
  @Test func aStartSharedByTwoCommandsIsRefusedWithBoth() throws {
    let session = try TerminalSession(["--no-history"])
    try session.enter("x = 1")
    try session.enter(":r")
    try session.expect("':r' is ambiguous: :run, :reset\n")
    try session.enter(":h")
    try session.expect("':h' is ambiguous: :help, :history\n")
    try session.enter(":he")
    try session.expect(":time EXPR")
    try session.enter(":v")
    try session.expect("x: number\n")
    try session.enter(":re")
    try session.expect("fresh session: no variables\n")
    try session.finish()
  }

  @Test func timePrintsTheValueThenTheWallTime() throws {
    let session = try TerminalSession(["--no-history"])
    try session.enter("x = 2")
    try session.enter(":time x * 21")
    try session.expect("\n42\ntime: ")
    try session.enter(":ti for i in range(2) {")
    try session.expect("  ... ")
    session.send("print(\"step\", i)\n")
    try session.expect("  ... ")
    session.send("}\n")
    try session.expect("step 0\nstep 1\ntime: ")
    try session.enter(":time y = x + 1")
    try session.expect("time: ")
    try session.enter("print(y)")
    try session.expect("\n3\n")
    try session.enter(":time nothing + 1")
    try session.expect("<stdin>:1:1: error: undefined variable 'nothing'\nnothing + 1\n^~~~~~~\n")
    try session.enter(":time")
    try session.expect(":time needs EXPR: :time EXPR\n")
    try session.finish()

    let times = session.transcript.components(separatedBy: "time: ").dropFirst()
    #expect(times.count == 3)
    for time in times {
      let shown = time.prefix { $0 != "\n" }
      #expect(shown.hasSuffix(" µs") || shown.hasSuffix(" ms") || shown.hasSuffix(" s"), "\(shown)")
    }
  }

  /// `:save` writes what ran without error, in order, as a script that `fuselab run` runs;
  /// failed entries and prompt commands are left out, and a second save replaces the file.
  @Test func saveWritesTheAcceptedEntriesAsAScript() throws {
    let folder = try FuselabProcess.script("").deletingLastPathComponent()
    let helper = folder.appendingPathComponent("helper.fuse")
    try "print(\"helper ran\")\n".write(to: helper, atomically: true, encoding: .utf8)
    let saved = folder.appendingPathComponent("session.fuse").path

    let session = try TerminalSession(["--no-history"])
    try session.enter(":save \(saved)")
    try session.expect("nothing to save to \(saved): no entry has run without error yet\n")
    try session.enter("x = 20")
    try session.enter("oops + 1")
    try session.expect("error: undefined variable 'oops'")
    try session.enter("for i in range(2) {")
    session.send("x += 1\n")
    try session.expect("  ... ")
    session.send("}\n")
    try session.enter(":vars")
    try session.enter(":l \(helper.path)")
    try session.expect("helper ran\n")
    try session.enter(":time x = x * 2")
    try session.expect("time: ")
    try session.enter("print(\"x is\", x)")
    try session.expect("x is 44\n")
    try session.enter(":s \(saved)")
    try session.expect("saved 4 entries to \(saved), and 1 :run as a comment\n")
    try session.enter("print(\"again\")")
    try session.enter(":save \(saved)")
    try session.expect("saved 5 entries to \(saved), and 1 :run as a comment\n")

    let missing = folder.appendingPathComponent("no-such-folder/x.fuse").path
    try session.enter(":save \(missing)")
    try session.expect(
      "cannot save to \(missing): there is no folder \(folder.path)/no-such-folder\n")
    try session.enter(":save \(folder.path)")
    try session.expect("cannot save to \(folder.path): it is a folder\n")
    try session.finish()

    let script = try String(contentsOfFile: saved, encoding: .utf8)
    #expect(
      script == """
        x = 20
        for i in range(2) {
        x += 1
        }
        # :run \(helper.path) ran here (prompt commands are not saved)
        x = x * 2
        print("x is", x)
        print("again")

        """)
    let outcome = try FuselabProcess.run(["run", saved])
    #expect(outcome.status == 0, "\(outcome.standardError)")
    #expect(outcome.standardOutput == "x is 44\nagain\n")
  }

  /// `:run` and `:load` are one command; a missing file is named.
  @Test func loadRunsAScriptInTheSession() throws {
    let script = try FuselabProcess.script("z = 5\n", named: "defines.fuse")
    let session = try TerminalSession(["--no-history"])
    try session.enter(":load \(script.path)")
    try session.enter("print(z * 2)")
    try session.expect("\n10\n")
    try session.enter(":load no/such.fuse")
    try session.expect("no such script: no/such.fuse\n")
    try session.finish()
  }

  /// Readline hands over a bracketed paste as one line with line breaks in it: one entry,
  /// run as a whole (so `else` may start a line) and kept in the history as one.
  @Test func aPastedBlockRunsAsOneEntry() throws {
    let session = try TerminalSession()
    let block = """
      for i in range(2) {
      \tprint("loop", i)
      }
      if false {
        print("no")
      }
      else {
        print("pasted else")
      }
      last = 7

      """
    try session.expect("fuse> ")
    session.send("\u{1B}[200~" + block + "\u{1B}[201~")
    session.send("\r")
    try session.expect("loop 0\nloop 1\npasted else\n")
    try session.enter(":history")
    try session.expect("1  for i in range(2) {\n   \tprint(\"loop\", i)\n")
    try session.expect("   last = 7\nfuse> ")

    // Two complete statements pasted together are one entry too, and a command that a paste
    // starts with must stand alone.
    session.send("\u{1B}[200~a = 1\nprint(\"a is\", a)\u{1B}[201~\r")
    try session.expect("a is 1\n")
    try session.expect("fuse> ")
    session.send("\u{1B}[200~:vars\nprint(\"not run\")\u{1B}[201~\r")
    try session.expect(
      "a prompt command must be an entry of its own: :vars and the line after it did not run\n")
    try session.finish()

    #expect(!session.transcript.contains("\nnot run\n"))
    let history = try String(
      contentsOf: session.home.appendingPathComponent("test_history"), encoding: .utf8)
    let entries = history.split(separator: "\n")
    #expect(entries.count == 4, "\(entries)")
    #expect(entries.first?.hasPrefix("for i in range(2) {\\n\tprint(") == true)
    #expect(entries.first?.hasSuffix("\\nlast = 7") == true)
    #expect(entries.dropFirst(2).first == "a = 1\\nprint(\"a is\", a)")
  }

  /// Ctrl-C at the prompt drops the half-typed line (or the half-typed entry of several lines)
  /// and gives a fresh prompt; nothing of it runs.
  @Test func ctrlCAtAnIdlePromptClearsTheLine() throws {
    let session = try TerminalSession(["--no-history"])
    try session.expect("fuse> ")
    session.send("print(\"half")
    try session.expect("print(\"half")
    session.interrupt()
    try session.expect("^C\nfuse> ")
    session.send("xs = [1,\n")
    try session.expect("  ... ")
    session.interrupt()
    try session.expect("^C\nfuse> ")
    session.send("print(\"fresh\")\n")
    try session.expect("\nfresh\n")
    try session.enter("print(xs)")
    try session.expect("error: undefined variable 'xs'")
    try session.finish()
    #expect(!session.transcript.contains("half\n"))
  }

  /// Each entry is in the history file before it runs, so a process killed during a long
  /// entry has already kept it.
  @Test func anEntryIsInTheHistoryFileBeforeItRuns() throws {
    let session = try TerminalSession()
    let history = session.home.appendingPathComponent("test_history")
    try session.enter("warm = 1")
    try session.enter("print(\"started\"); i = 0; while true { i += 1 }")
    try session.expect("started\n")
    let whileRunning = try String(contentsOf: history, encoding: .utf8)
    kill(session.process.processIdentifier, SIGKILL)
    _ = try session.waitForExit()
    #expect(session.process.terminationReason == .uncaughtSignal)
    #expect(whileRunning == "warm = 1\nprint(\"started\"); i = 0; while true { i += 1 }\n")
    #expect(try String(contentsOf: history, encoding: .utf8) == whileRunning)
  }
}
