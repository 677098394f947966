import Testing

@testable import FuseLanguage

@Suite struct EvaluationTests {
  @Test(arguments: [
    ("1 + 2 * 3", "7"),
    ("7 / 2", "3.5"),
    ("-7 % 3", "2"),
    ("2 ** 10", "1024"),
    ("-2 ** 2", "-4"),
    ("0.1 + 0.2", "0.3"),
    ("1e-3", "0.001"),
    ("\"a\" + \"b\" + 1", "\"ab1\""),
    ("[1, 2] + [3]", "[1, 2, 3]"),
    ("[10, 20, 30][-1]", "30"),
    ("\"fuse\"[1]", "\"u\""),
    ("{a: 1, b: \"x\"}.b", "\"x\""),
    ("{a: 1, b: 2}[\"a\"]", "1"),
    ("3 > 2 and 2 >= 2", "true"),
    ("not (1 == 1)", "false"),
    ("none or 5", "5"),
    ("1 != 1 or \"a\" < \"b\"", "true"),
    ("[1, [2, 3]] == [1, [2, 3]]", "true"),
    // A record of numbers, such as best rates by modality, aggregates over its values.
    ("min({audio: 0.1, accel: 0.03})", "0.03"),
    ("max({audio: 0.1, accel: 0.03})", "0.1"),
    ("sum({a: 1, b: 2, c: 3})", "6"),
    ("mean({a: 1, b: 2})", "1.5"),
    ("min([{a: 1}][0])", "1"),
    ("sum({})", "0"),
  ])
  func expression(source: String, expected: String) throws {
    #expect(try value(of: source)?.literal == expected)
  }

  /// A record prints so that it can be typed back: a field name the parser reads as a name
  /// is bare, any other (a dot, a space, a leading digit, a reserved word) is quoted.
  @Test func printedRecordsReadBack() throws {
    let source = "{a_b: 1, \"text.encoder\": 2, \"a b\": 3, \"if\": 4, é: 5, \"2x\": 6, _x: 7}"
    let printed = try #require(try value(of: source)?.literal)
    #expect(
      printed == "{a_b: 1, \"text.encoder\": 2, \"a b\": 3, \"if\": 4, é: 5, \"2x\": 6, _x: 7}")
    #expect(try value(of: printed) == value(of: source))
  }

  @Test func controlFlow() throws {
    let program = """
      total = 0
      for x in range(1, 6) {
        if x % 2 == 0 { continue }
        total += x
      }
      n = 0
      while true {
        n = n + 1
        if n >= 4 { break }
      }
      if total > 100 {
        print("big")
      } else if total == 9 {
        print("nine", n)
      } else {
        print("other")
      }
      """
    #expect(try output(of: program) == "nine 4\n")
  }

  @Test func functionsWithDefaultsAndKeywords() throws {
    let program = """
      fn scale(x, by: 2) { return x * by }
      fn fact(n) {
        if n <= 1 { return 1 }
        return n * fact(n - 1)
      }
      add = fn(a, b) { return a + b }
      print(scale(3), scale(3, by: 10), scale(by: 4, x: 1), fact(10), add(1, 2))
      """
    #expect(try output(of: program) == "6 30 4 3628800 3\n")
  }

  @Test func closuresSeeTheirDefiningScope() throws {
    let program = """
      fn counter(start) {
        fn next(step: 1) { return start + step }
        return next
      }
      f = counter(10)
      print(f(), f(step: 5))
      """
    #expect(try output(of: program) == "11 15\n")
  }

  @Test func assignmentIntoListsAndRecords() throws {
    let program = """
      xs = [1, 2, 3]
      xs[-1] = 30
      r = {a: {b: 1}}
      r.a.b = 2
      r["c"] = xs
      ys = xs
      ys[0] = 100
      print(xs, r, ys)
      """
    #expect(try output(of: program) == "[1, 2, 30] {a: {b: 2}, c: [1, 2, 30]} [100, 2, 30]\n")
  }

  @Test func builtins() throws {
    let program = """
      print(len([1, 2]), len({a: 1}), len("abc"), range(3), range(0, 10, 5), range(3, 0, -1))
      print(str(1.5) + "!", min([3, 1, 2]), max(3, 9), sum([1, 2, 3]), mean([1, 2, 3, 4]))
      print(round(3.14159, 2), round(2.5), abs(-2), format(0.91234, 3), format(2))
      print(keys({a: 1, b: 2}), type([]), type(none), type(print), append([1], "x"))
      """
    #expect(
      try output(of: program) == """
        2 1 3 [0, 1, 2] [0, 5] [3, 2, 1]
        1.5! 1 9 6 2.5
        3.14 3 2 0.912 2.00
        ["a", "b"] list none function [1, "x"]

        """)
  }

  @Test func echoGivesTheLastBareExpression() throws {
    let interpreter = Interpreter { _ in }
    #expect(try interpreter.evaluate(source: "1 + 2", file: "repl")?.literal == "3")
    #expect(try interpreter.evaluate(source: "x = 5", file: "repl") == nil)
    #expect(try interpreter.evaluate(source: "none", file: "repl") == nil)
    #expect(try interpreter.evaluate(source: "print(1)", file: "repl") == nil)
    #expect(try interpreter.evaluate(source: "x * 2", file: "repl") == .number(10))
    #expect(try interpreter.evaluate(source: "\"hi\"", file: "repl")?.literal == "\"hi\"")
  }

  @Test func stateSurvivesAnError() throws {
    let interpreter = Interpreter { _ in }
    try interpreter.run(source: "a = 1", file: "repl")
    #expect(throws: Diagnostic.self) {
      try interpreter.run(source: "b = 2\nc = a / 0\nd = 4", file: "repl")
    }
    #expect(interpreter[global: "a"] == .number(1))
    #expect(interpreter[global: "b"] == .number(2))
    #expect(interpreter[global: "d"] == nil)
    #expect(interpreter.globalNames.contains("b"))
    #expect(interpreter.globalNames.contains("print"))
  }

  @Test func deepRecursionStopsWithADiagnostic() {
    let found = diagnostic(of: "fn f(n) { return f(n + 1) }\nf(0)")
    #expect(found?.message.hasPrefix("too many nested calls (more than 200)") == true)
  }

  /// A function assigned to a variable is named by it; it was called 'function'.
  @Test(arguments: [
    ("f = fn(s) { return 1️⃣f(s) }\nf(0)", "f"),
    ("g = [fn(s) { return 1️⃣g[0](s) }]\ng[0](1)", "function"),
  ])
  func deepRecursionNamesTheFunction(marked: String, name: String) {
    let source = MarkedSource(marked)
    let found = diagnostic(of: source.text)
    #expect(
      found?.message == "too many nested calls (more than 200); is '\(name)' recursing forever?")
    #expect(found?.location.line == source.line)
    #expect(found?.location.column == source.column)
  }

  @Test func deepNestingStopsWithADiagnostic() {
    let source = String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500)
    #expect(diagnostic(of: source)?.message == "nested too deeply (more than 100 levels)")
  }

  @Test func interruptStopsALoop() {
    var polls = 0
    let interpreter = Interpreter { _ in }
    interpreter.interrupt = {
      polls += 1
      return polls > 50
    }
    do {
      try interpreter.run(source: "while true {\n  x = 1\n}", file: "loop.fuse")
      Issue.record("the loop should have been interrupted")
    } catch let diagnostic as Diagnostic {
      #expect(diagnostic.kind == .interrupted)
      #expect(diagnostic.rendered() == "loop.fuse:1:1: error: interrupted\nwhile true {\n^~~~~")
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }
}
