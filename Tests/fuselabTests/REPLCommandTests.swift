import Testing

@testable import fuselab

/// The prompt's command table as plain functions: which command a typed name means, how a
/// wall time reads, and the script `:save` writes.
@Suite struct REPLCommandTests {
  private func resolved(_ typed: String) -> String {
    switch REPL.command(named: typed) {
    case .found(let command): return command.name
    case .ambiguous(let candidates):
      return "ambiguous " + candidates.map(\.name).joined(separator: " ")
    case .unknown: return "unknown"
    }
  }

  @Test(arguments: [
    ("help", "help"), ("he", "help"), ("hi", "history"), ("q", "quit"), ("ru", "run"),
    ("re", "reset"), ("l", "load"), ("load", "load"), ("t", "time"), ("s", "save"),
    ("v", "vars"), ("quit", "quit"),
  ])
  func aNameOrAStartNoOtherCommandSharesFindsTheCommand(typed: String, expected: String) {
    #expect(resolved(typed) == expected)
  }

  @Test func aStartSharedByTwoCommandsNamesBoth() {
    #expect(resolved("r") == "ambiguous run reset")
    #expect(resolved("h") == "ambiguous help history")
  }

  @Test func anythingElseIsUnknown() {
    #expect(resolved("") == "unknown")
    #expect(resolved("nope") == "unknown")
    #expect(resolved("runs") == "unknown")
  }

  /// An exact name always wins, even if it starts a longer one; none does today, so the
  /// table is checked instead: no name may be a start of another but through `sameAs`.
  @Test func noNameIsTheStartOfAnother() {
    for command in REPL.commands {
      let longer = REPL.commands.filter {
        $0.name != command.name && $0.name.hasPrefix(command.name)
      }
      #expect(longer.isEmpty, "\(command.name) starts \(longer.map(\.name))")
    }
  }

  @Test func loadIsAnotherNameForRun() {
    guard case .found(let load) = REPL.command(named: "load") else {
      Issue.record("no :load")
      return
    }
    #expect(load.action == "run")
  }

  @Test(arguments: [
    (0.000_000_5, "0.50 µs"), (0.000_045_6, "45.6 µs"), (0.000_812, "812 µs"),
    (0.001, "1.00 ms"), (0.012_34, "12.3 ms"), (0.999_9, "1.00 s"), (1.234, "1.23 s"),
    (12.34, "12.3 s"), (59.4, "59.4 s"), (125, "2 min 5 s"), (3600, "1 h 0 min"),
    (7384, "2 h 3 min"),
  ])
  func wallTimesReadInAUnitThatSuitsThem(seconds: Double, expected: String) {
    #expect(REPL.duration(seconds) == expected)
  }

  @Test func theSavedScriptHoldsTheEntriesInOrder() {
    let script = REPL.script(from: [
      .code("x = 1"), .script("setup.fuse"), .code("for i in range(2) {\n  print(i)\n}\n\n"),
      .code("print(x)  "),
    ])
    #expect(
      script
        == "x = 1\n# :run setup.fuse ran here (prompt commands are not saved)\n"
        + "for i in range(2) {\n  print(i)\n}\nprint(x)\n")
  }

  @Test func anInterruptedEntryIsSavedUnderAComment() {
    let script = REPL.script(from: [.code("m = model(d)"), .interrupted("h = train(m)\n")])
    #expect(
      script
        == "m = model(d)\n# interrupted with Ctrl-C in the session, after part of its work:\n"
        + "h = train(m)\n")
  }
}
