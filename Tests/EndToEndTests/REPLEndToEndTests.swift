import Foundation
import Testing

/// The interactive prompt on a pseudo-terminal, driven as a person would: typed lines, Tab,
/// Ctrl-C, prompt commands. Each session has its own home folder and history file.
@Suite("REPL on a terminal")
struct REPLEndToEndTests {
  static let htad = FuselabProcess.repositoryRoot.appendingPathComponent("data/htad").path

  @Test func tabCompletesCallsKeywordArgumentsHelpTopicsAndCommands() throws {
    let session = try TerminalSession(["--no-history"])
    try session.enter("pri\t\"x\" + \"y\")")
    try session.expect("\nxy\n")
    try session.enter("round(2.567, di\t1)")
    try session.expect("\n2.6\n")
    try session.enter("help(\"forma\t)")
    try session.expect("A number as text with a fixed count of digits after the point.")
    try session.enter(":qu\t")
    #expect(try session.waitForExit() == 0)
    #expect(session.transcript.contains("print(\"x\" + \"y\")"))
    #expect(session.transcript.contains("round(2.567, digits: 1)"))
    #expect(session.transcript.contains("help(\"format\")"))
  }

  /// A bare expression is echoed as `print` writes it: a string bare, strings in a list
  /// quoted; docs/language.md once said strings were echoed in quotes.
  @Test func echoesAValueAsPrintWritesIt() throws {
    let session = try TerminalSession(["--no-history"])
    try session.enter("\"two\" + \"words\"")
    try session.expect("\ntwowords\n")
    try session.enter("[\"a\", 1]")
    try session.expect("\n[\"a\", 1]\n")
    try session.finish()
  }

  @Test func promptCommandsRunResetAndRefuseExtraArguments() throws {
    let script = try FuselabProcess.script("y = x + 41\nprint(\"ran\", y)\n", named: "add.fuse")
    let session = try TerminalSession()
    try session.enter("x = 1")
    try session.enter(":quit now")
    try session.expect(":quit takes no argument, got 'now'")
    try session.enter(":nope")
    try session.expect(
      "unknown command ':nope'; the commands are :help, :run, :load, :time, :vars, :save, :reset, "
        + ":history and :quit")
    try session.enter(":run \(script.path)")
    try session.expect("ran 42")
    try session.enter(":vars")
    try session.expect("x: number\ny: number")
    try session.enter(":history")
    try session.expect("1  x = 1")
    try session.enter("help")
    try session.expect("Lists the builtins, or explains one of them.")
    try session.enter(":reset")
    try session.expect("fresh session")
    try session.enter("print(y)")
    try session.expect("error: undefined variable 'y'")
    try session.enter(":run no/such/script.fuse")
    try session.expect("no such script: no/such/script.fuse")
    try session.finish()
  }

  /// A closer that does not match its opener can never be completed by more lines: the
  /// error comes at once, with the caret under it, and the next line is a fresh entry.
  @Test func aMismatchedCloserIsReportedAtOnce() throws {
    let session = try TerminalSession(["--no-history"])
    try session.enter("y = [1, 2)")
    try session.expect(
      "<stdin>:1:10: error: expected ',' or ']', found ')'\ny = [1, 2)\n         ^\n")
    try session.enter("z = {a: 1)")
    try session.expect(
      "<stdin>:1:10: error: expected ',' or '}', found ')'\nz = {a: 1)\n         ^\n")
    #expect(!session.transcript.contains("  ... "))

    // An open bracket still asks for more.
    try session.enter("xs = [1,")
    try session.expect("  ... ")
    session.send("2)\n")
    try session.expect(
      "<stdin>:2:2: error: expected ',' or ']', found ')'\n2)\n ^\n")
    try session.enter("print(\"back\")")
    try session.expect("\nback\n")
    try session.finish()
  }

  /// The progress line is drawn in place on stderr; Ctrl-C must end it before the diagnostic,
  /// which used to be glued to it (`loss 0.0538<stdin>:1:8: error: interrupted`).
  @Test(.enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup"))
  func ctrlCDuringTrainingEndsTheProgressLineFirst() throws {
    let session = try TerminalSession(["--no-history"])
    try session.enter(
      "h = train(model(load(\"\(Self.htad)\"), hidden: [2048]), epochs: 1000, batch: 1, rates: 0.001)"
    )
    try session.expect("batch ")
    // Interrupt while a batch line is on the screen, not just after an epoch line ended it.
    let deadline = Date().addingTimeInterval(30)
    while !(session.transcript.split(separator: "\n").last?.contains("batch ") ?? false),
      Date() < deadline
    {
      Thread.sleep(forTimeInterval: 0.01)
    }
    session.interrupt()
    try session.expect("stopped; every variable keeps the state it had after the last step")
    #expect(session.screenLine(containing: "error: interrupted")?.hasPrefix("<stdin>:1:") == true)
    try session.enter("print(\"alive\", h)")
    try session.expect("error: undefined variable 'h'")
    try session.enter("print(\"alive\")")
    try session.expect("\nalive\n")

    // The interrupted entry did part of its work, which later entries may build on, so
    // :save keeps it under a comment.
    let saved = try FuselabProcess.script("").deletingLastPathComponent()
      .appendingPathComponent("interrupted.fuse").path
    try session.enter(":save \(saved)")
    try session.expect("saved 2 entries to \(saved) (1 interrupted, marked with a comment)\n")
    try session.finish()
    let script = try String(contentsOfFile: saved, encoding: .utf8)
    #expect(
      script.hasPrefix(
        "# interrupted with Ctrl-C in the session, after part of its work:\nh = train("))
    #expect(script.hasSuffix("rates: 0.001)\nprint(\"alive\")\n"))
  }

  /// In the REPL a diverging train() must name the rate, keep the model as it was before
  /// that run, leave the session usable, and print its error on a line of its own.
  @Test(.enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup"))
  func divergenceInTheREPLKeepsTheLastGoodWeights() throws {
    let session = try TerminalSession(["--no-history"])
    for entry in [
      "d = load(\"\(Self.htad)\")",
      "m = model(d, hidden: [16], seed: 1)",
      "h = train(m, epochs: 2, seed: 1)",
      "before = evaluate(m, \"dev\").acc",
      "bad = train(m, epochs: 2, batch: 100000, rates: 1e30)",
      "print(\"kept\", evaluate(m, \"dev\").acc == before, before > 0)",
      "again = train(m, epochs: 1, seed: 1, rates: 0.01)",
      "print(\"usable\", again.epochs)",
    ] {
      try session.enter(entry)
    }
    try session.expect("usable 1\n")
    try session.finish()
    let transcript = session.transcript
    #expect(transcript.contains("kept true true\n"))
    #expect(transcript.contains("error: training diverged (loss nan) at epoch 1, batch 1"))
    #expect(transcript.contains("at learning rate 1e30 is the likely cause"))
    #expect(transcript.contains("the weights from the start of epoch 1 were kept"))
    let line = session.screenLine(containing: "error: training diverged")
    #expect(line?.hasPrefix("<stdin>:1:") == true, "\(line.debugDescription)")
  }

  /// A train() call that fails, on a bad option or by diverging, must not leave the model
  /// set to the rates or fixed fusion weights it asked for (fusion weights of 1e30 made every
  /// later train() diverge at its first batch), nor print a header for training never run.
  @Test(.enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup"))
  func aFailedTrainLeavesTheModelsRates() throws {
    let session = try TerminalSession(["--no-history"])
    for entry in [
      "d = load(\"\(Self.htad)\")",
      "m = model(d, hidden: [8], seed: 1)",
      "rates(m, 0.02)",
      "h = train(m, epochs: -1, rates: 0.5)",
      "print(\"after a bad option\", m.rates)",
      "h = train(m, epochs: 1, rates: 1e30)",
      "print(\"after divergence\", m.rates)",
      "h = train(m, epochs: 1, fusion: [1e30, 1e30])",
      "h = train(m, epochs: 1)",
      "print(\"fusion weights restored\", h.epochs)",
    ] {
      try session.enter(entry)
    }
    try session.expect("fusion weights restored 1\n")
    try session.finish()
    let transcript = session.transcript
    #expect(transcript.contains("after a bad option {audio: 0.02, accel: 0.02}\n"))
    #expect(transcript.contains("after divergence {audio: 0.02, accel: 0.02}\n"))
    #expect(transcript.contains("invalid value -1 for 'epochs'"))
    #expect(!transcript.contains("train: -1 epochs"))
  }

  /// A history file that cannot be written (its folder is a regular file) is said once at the
  /// start; the session goes on with history in memory.
  @Test func anUnwritableHistoryFileIsReportedOnce() throws {
    let folder = try FuselabProcess.script("").deletingLastPathComponent()
    let notAFolder = folder.appendingPathComponent("plain-file")
    try Data().write(to: notAFolder)
    let path = notAFolder.appendingPathComponent("history").path
    let session = try TerminalSession(environment: ["FUSELAB_HISTORY": path])
    try session.expect("fuselab: warning: cannot write history file \(path): Not a directory")
    try session.enter("x = 1")
    try session.enter("print(x + 1)")
    try session.expect("\n2\n")
    try session.finish()
    #expect(session.transcript.components(separatedBy: "warning:").count == 2)
  }

  /// A history file in a folder that is not there names the folder, not "No such file".
  @Test func aHistoryFileInAMissingFolderNamesTheFolder() throws {
    let folder = try FuselabProcess.script("").deletingLastPathComponent()
      .appendingPathComponent("no-such-folder")
    let path = folder.appendingPathComponent("history").path
    let session = try TerminalSession(environment: ["FUSELAB_HISTORY": path])
    try session.expect(
      "fuselab: warning: cannot write history file \(path): there is no folder \(folder.path); "
        + "history is kept for this session only\n")
    try session.enter("print(1 + 1)")
    try session.expect("\n2\n")
    try session.finish()
    #expect(!FileManager.default.fileExists(atPath: folder.path))
  }

  /// `:help NAME` ran help("NAME"), so an unknown name showed a line the user never typed,
  /// `help("nothing")`, under a caret.
  @Test func helpOnATopicOrANearOne() throws {
    let session = try TerminalSession(["--no-history"])
    try session.enter(":help nothing")
    try session.expect("no help topic 'nothing'\n:help lists the commands, help() every builtin\n")
    try session.enter(":help plto")
    try session.expect("no help topic 'plto'; did you mean 'plot'?\n")
    try session.enter(":help hisotry")
    try session.expect("no help topic 'hisotry'; did you mean ':history'?\n")
    try session.enter(":help :run")
    try session.expect(":run FILE     run a script here; its variables stay\n")
    try session.enter(":help round")
    try session.expect("round(x, digits: 0)\n  Rounds a number")
    try session.finish()
    #expect(!session.transcript.contains("help(\"nothing\")"))
    #expect(!session.transcript.contains("error:"))
  }

  /// Without FUSELAB_HISTORY the history goes to $HOME, which the test helpers always point
  /// at a temporary folder: no test reads or writes the real ~/.fuselab_history.
  @Test func historyGoesToTheHomeFolderTheTestsGive() throws {
    let session = try TerminalSession(environment: ["FUSELAB_HISTORY": nil])
    #expect(session.home.path != NSHomeDirectory())
    try session.enter("marker = 20261204")
    try session.finish()
    let history = session.home.appendingPathComponent(".fuselab_history")
    #expect(try String(contentsOf: history, encoding: .utf8) == "marker = 20261204\n")
  }
}

extension TerminalSession {
  /// Types `entry` and Return once the prompt is on the screen.
  func enter(_ entry: String) throws {
    try expect("fuse> ")
    send(entry + "\n")
  }

  /// Leaves with Ctrl-D at the next prompt and expects a clean exit.
  func finish() throws {
    try expect("fuse> ")
    send("\u{4}")
    #expect(try waitForExit() == 0)
  }

  /// The line of the screen that shows `text`, as a terminal would draw it: a carriage return
  /// goes back to the start of the line, and `ESC [2K` erases the line.
  func screenLine(containing text: String) -> String? {
    guard let raw = transcript.split(separator: "\n").last(where: { $0.contains(text) }) else {
      return nil
    }
    var screen: [Character] = []
    var column = 0
    var rest = Substring(raw)
    while let character = rest.first {
      if rest.hasPrefix("\u{1B}[2K") {
        screen = []
        rest = rest.dropFirst(4)
        continue
      }
      rest = rest.dropFirst()
      if character == "\r" {
        column = 0
        continue
      }
      if column < screen.count { screen[column] = character } else { screen.append(character) }
      column += 1
    }
    return String(screen)
  }
}
