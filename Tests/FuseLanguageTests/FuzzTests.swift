import Foundation
import Testing

@testable import FuseLanguage

private let seedPrograms = [
  """
  # rates to try
  rates = [1e-4, 1e-3, 1e-2]
  best = {rate: none, score: 0}
  for r in rates {
    score = 1 - abs(r - 0.001) * 10
    if score > best.score { best.rate = r; best.score = score }
  }
  print("best", best, format(best.score, 3))
  """,
  """
  fn fib(n, memo: {}) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
  }
  xs = []
  i = 0
  while i < 10 { xs = append(xs, fib(i)); i += 1 }
  print(xs[-1], len(xs), sum(xs), mean(xs), max(xs), min(xs))
  """,
  """
  r = {a: 1, "b c": [1, 2, {d: "x\\n\\t\\"q\\""}]}
  r.a = r.a * 2 ** 3 % 5
  r["b c"][2].d = "y"
  for k in keys(r) { print(k, type(r[k]), str(r[k])) }
  s = "text" + 3 + [1] + none
  ok = not (1 < 2) or 3 >= 3 and "a" != "b"
  """,
  """
  f = fn(x, y: 2) { return x * y }
  total = 0
  for v in range(0, 20, 3) {
    if v == 9 { continue }
    if v > 15 { break } else if v < 2 { total -= 1 } else { total += f(v, y: 0.5) }
  }
  print(round(total, 2), help(round))
  """,
]

private let fragments = [
  "(", ")", "[", "]", "{", "}", ",", ":", ".", "\n", " ", "\"", "#", "=", "==", "+", "-", "*",
  "/", "%", "**", "<", ">=", "and", "or", "not", "if", "else", "for", "in", "while", "fn",
  "return", "break", "continue", "none", "true", "x", "r", "print", "len", "0", "1e308", "-1",
  "1e", "\\", "'", "@", "!", "&&", "\t", "range(", "xs[", "fib(", "\u{301}", "é", "\r\n", ";",
  "+=", "1_", "0x", "\u{0}", "\u{FEFF}",
]

/// What one shard of the fuzz run saw, counted by how each program ended.
private struct FuzzTally: CustomStringConvertible {
  var programs = 0
  var ran = 0
  var lexingErrors = 0
  var parsingErrors = 0
  var runtimeErrors = 0
  /// Programs that used up their step budget and were stopped, as Ctrl-C stops one.
  var stopped = 0
  var slowest: (seconds: Double, program: String) = (0, "")
  /// What went wrong, recorded as issues once the shard's thread is done.
  var failures: [String] = []

  func adding(_ other: FuzzTally) -> FuzzTally {
    var sum = self
    sum.programs += other.programs
    sum.ran += other.ran
    sum.lexingErrors += other.lexingErrors
    sum.parsingErrors += other.parsingErrors
    sum.runtimeErrors += other.runtimeErrors
    sum.stopped += other.stopped
    if other.slowest.seconds > sum.slowest.seconds { sum.slowest = other.slowest }
    sum.failures += other.failures
    return sum
  }

  var description: String {
    "\(programs) programs: \(ran) ran, \(lexingErrors) lexing errors, \(parsingErrors) parsing "
      + "errors, \(runtimeErrors) run-time errors, \(stopped) stopped"
  }
}

@Suite struct FuzzTests {
  /// How many programs the run tries, each through the lexer, the parser and the interpreter,
  /// in shards that run side by side; the count divides evenly.
  static let programCount = 100_000
  static let shardCount = 4

  /// How many times a program may pass a loop's head or make a call before it is stopped;
  /// a count, not a clock, so that the same programs end the same way on any machine.
  static let stepBudget = 400

  /// Generated, mutated and random programs must lex, parse and run or fail with a
  /// diagnostic that names its place: never crash, never hang.
  @Test(.timeLimit(.minutes(10))) func programsRunOrDiagnose() throws {
    let tally = FuzzTests.runShards()
    for failure in tally.failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
    #expect(tally.failures.isEmpty, "\(tally.failures.count) programs failed")

    let count = FuzzTests.programCount
    #expect(tally.programs == count)
    let ended = tally.ran + tally.lexingErrors + tally.parsingErrors + tally.runtimeErrors
    #expect(ended + tally.stopped == count, "\(tally)")
    // Every way of ending is exercised, not only the cheap ones; the generators as they are
    // give two to four times each of these counts.
    #expect(tally.ran > count / 10, "\(tally)")
    #expect(tally.runtimeErrors > count / 10, "\(tally)")
    #expect(tally.parsingErrors > count / 10, "\(tally)")
    #expect(tally.lexingErrors > count / 20, "\(tally)")
    #expect(tally.stopped > count / 200, "\(tally)")
    #expect(tally.slowest.seconds < 5, "slowest program:\n\(tally.slowest.program)")
  }

  /// The same seed makes the same programs: the run can be repeated and a failure replayed.
  @Test func theProgramsRepeat() {
    var first = ProgramGenerator(seed: 7)
    var second = ProgramGenerator(seed: 7)
    for round in 0..<200 {
      let program = FuzzTests.makeProgram(round: round, generator: &first)
      #expect(program == FuzzTests.makeProgram(round: round, generator: &second))
    }
  }

  /// Runs every shard, each on a thread of its own with the stack the interpreter gives a
  /// run (so that programs need not start a thread each), side by side, and adds up what
  /// they saw. Each shard has its own seed, so the split never changes which programs run.
  private static func runShards() -> FuzzTally {
    final class Results: @unchecked Sendable {
      var tallies = [FuzzTally](repeating: FuzzTally(), count: FuzzTests.shardCount)
    }
    let results = Results()
    let finished = DispatchGroup()
    for shard in 0..<shardCount {
      finished.enter()
      let thread = Thread {
        var generator = ProgramGenerator(seed: 20_260_412 &+ UInt64(shard))
        var tally = FuzzTally()
        for round in 0..<(programCount / shardCount) {
          check(makeProgram(round: round, generator: &generator), round: round, &tally)
        }
        results.tallies[shard] = tally
        finished.leave()
      }
      thread.stackSize = 256 << 20
      thread.start()
    }
    finished.wait()
    return results.tallies.reduce(FuzzTally()) { $0.adding($1) }
  }

  private static func check(_ program: String, round: Int, _ tally: inout FuzzTally) {
    tally.programs += 1
    let start = DispatchTime.now().uptimeNanoseconds
    defer {
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      if seconds > tally.slowest.seconds { tally.slowest = (seconds, program) }
    }

    // The prompt asks the lexer whether an entry is finished before anything runs it.
    if round % 4 == 0 { _ = Lexer.needsMoreInput(program) }
    let interpreter = Interpreter { _ in }
    interpreter.runsOnCallingThread = true
    if round % 2 == 0 { FuzzTests.definePrelude(in: interpreter) }
    var steps = 0
    interpreter.interrupt = {
      steps += 1
      return steps > FuzzTests.stepBudget
    }
    do {
      _ = try interpreter.evaluate(source: program, file: "fuzz.fuse")
      tally.ran += 1
    } catch let diagnostic as Diagnostic {
      switch diagnostic.kind {
      case .lexing: tally.lexingErrors += 1
      case .parsing: tally.parsingErrors += 1
      case .runtime: tally.runtimeErrors += 1
      case .interrupted: tally.stopped += 1
      }
      // The place is in the program, or in a prelude function that the program called.
      let location = diagnostic.location
      let header = "\(location.file):\(location.line):\(location.column): error: "
      let rendered = diagnostic.rendered()
      let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
      let inAProgram = location.file == "fuzz.fuse" || location.file == "prelude"
      if !inAProgram || location.line < 1 || !rendered.hasPrefix(header) || lines.count != 3 {
        tally.failures.append("a malformed diagnostic:\n\(rendered)\nfor the program:\n\(program)")
      }
    } catch {
      tally.failures.append("not a diagnostic: \(error) for the program:\n\(program)")
    }
  }

  /// Half the programs find the variables the generator uses already set, so that they get
  /// further than an undefined name. The functions come from a program run once.
  private static func definePrelude(in interpreter: Interpreter) {
    interpreter[global: "a"] = .number(1)
    interpreter[global: "b"] = .number(2)
    interpreter[global: "n"] = .number(3)
    interpreter[global: "i"] = .number(0)
    interpreter[global: "s"] = .string("text")
    interpreter[global: "xs"] = .list([.number(1), .number(2), .number(3)])
    interpreter[global: "r"] = .record([
      ("k", .number(1)), ("rate", .number(0.1)), ("score", .number(0)), ("name", .string("x")),
    ])
    interpreter[global: "f"] = preludeFunctions[global: "f"]
    interpreter[global: "g"] = preludeFunctions[global: "g"]
  }

  private static let preludeFunctions: Interpreter = {
    let interpreter = Interpreter { _ in }
    try? interpreter.run(
      source: "f = fn(x, y: 2) { return x * y }\ng = fn(x) { return [x, x] }", file: "prelude")
    return interpreter
  }()

  /// Four in ten programs come from the grammar (two of them numbers only), three in ten are
  /// a seed or grammar program with a few edits, two in ten are grammar programs with one edit,
  /// and one in ten is tokens thrown together.
  private static func makeProgram(round: Int, generator: inout ProgramGenerator) -> String {
    switch round % 10 {
    case 0, 4:
      return generator.program()
    case 2, 6:
      return generator.numericProgram()
    case 1, 5, 8:
      let base =
        round % 3 == 0 ? generator.random.pick(seedPrograms) : generator.program()
      return mutate(base, edits: 1 + generator.random.below(4), random: &generator.random)
    case 3, 7:
      return mutate(generator.program(), edits: 1, random: &generator.random)
    default:
      var random = generator.random
      defer { generator.random = random }
      return (0..<random.below(40)).map { _ in random.pick(fragments) }.joined()
    }
  }

  /// `edits` deletions, insertions of a fragment, swaps and copies of a stretch.
  private static func mutate(_ program: String, edits: Int, random: inout SplitMix) -> String {
    var characters = Array(program)
    for _ in 0..<edits {
      guard !characters.isEmpty else { break }
      let position = random.below(characters.count)
      switch random.below(4) {
      case 0:
        let length = min(random.below(6) + 1, characters.count - position)
        characters.removeSubrange(position..<(position + length))
      case 1:
        characters.insert(contentsOf: Array(random.pick(fragments)), at: position)
      case 2:
        characters.swapAt(position, random.below(characters.count))
      default:
        let length = min(random.below(12) + 1, characters.count - position)
        let piece = characters[position..<(position + length)]
        characters.insert(contentsOf: piece, at: random.below(characters.count))
      }
    }
    return String(characters)
  }
}
