import Testing

@testable import FuseLanguage

@Suite struct DiagnosticTests {
  @Test func lexingErrorRendersWithCaret() {
    let found = diagnostic(of: "x = 1\ny = x @ 2", file: "demo.fuse")
    #expect(found?.kind == .lexing)
    #expect(
      found?.rendered() == """
        demo.fuse:2:7: error: unexpected character '@'
        y = x @ 2
              ^
        """)
  }

  @Test func parseErrorRendersWithCaret() {
    let found = diagnostic(of: "if x = 3 {\n  print(x)\n}", file: "demo.fuse")
    #expect(found?.kind == .parsing)
    #expect(
      found?.rendered() == """
        demo.fuse:1:6: error: expected '{' to start the if block, found '='; did you mean '=='?
        if x = 3 {
             ^
        """)
  }

  /// `none = 3` said "cannot assign to this expression; use '==' to compare".
  @Test(arguments: [
    ("none = 3", "none"), ("true += 1", "true"), ("x = 1\n  in = 2", "in"), ("fn = 1", "fn"),
  ])
  func assigningToAKeywordNamesIt(source: String, keyword: String) {
    let found = diagnostic(of: source, file: "demo.fuse")
    #expect(found?.kind == .parsing)
    #expect(
      found?.message
        == "'\(keyword)' is a keyword, so it cannot be assigned to; choose another name")
    let line = source.split(separator: "\n").last!
    #expect(found?.location.column == line.prefix { $0 == " " }.count + 1)
    #expect(found?.location.length == keyword.count)
  }

  @Test func runtimeErrorUnderlinesTheWholeName() {
    let found = diagnostic(of: "rate = 0.1\nprint(rat * 2)", file: "demo.fuse")
    #expect(found?.kind == .runtime)
    #expect(
      found?.rendered() == """
        demo.fuse:2:7: error: undefined variable 'rat'; did you mean 'rate'?
        print(rat * 2)
              ^~~
        """)
  }

  /// At the end of the input the caret used to sit on the empty line after the file, which
  /// showed nothing; it now marks the token that wants the missing expression.
  @Test func aMissingExpressionAtTheEndPointsAtWhatWantsIt() {
    let found = diagnostic(of: "rate = 0.1\nx = rate +\n\n", file: "demo.fuse")
    #expect(
      found?.rendered() == """
        demo.fuse:2:10: error: expected an expression after '+', found the end of the input
        x = rate +
                 ^
        """)
    let parenthesis = diagnostic(of: "x = (\n", file: "demo.fuse")
    #expect(parenthesis?.location.line == 1 && parenthesis?.location.column == 5)
  }

  @Test(arguments: [("x = 1\u{0}", "U+0000"), ("x = 1\u{200B}", "U+200B"), ("x = 1 @", "'@'")])
  func unexpectedCharactersThatCannotBeSeenAreNamedByCodePoint(source: String, shown: String) {
    #expect(diagnostic(of: source)?.message == "unexpected character \(shown)")
  }

  @Test func tabsInTheSourceLineUpTheCaret() {
    let found = diagnostic(of: "\tx = 1 / 0", file: "t.fuse")
    #expect(found?.rendered() == "t.fuse:1:6: error: division by zero\n\tx = 1 / 0\n\t    ^~~~~")
  }

  @Test(arguments: [
    ("fro x in [1] { }", "unknown word 'fro'; did you mean 'for'?", 1),
    ("if true { } esle { }", "unknown word 'esle'; did you mean 'else'?", 13),
    ("def f(x) { }", "'def' is not a keyword; use 'fn' to define a function", 1),
    ("whlie true { }", "unknown word 'whlie'; did you mean 'while'?", 1),
    ("x = nil", "undefined variable 'nil'; did you mean 'none'?", 5),
    ("x = True", "undefined variable 'True'; did you mean 'true'?", 5),
    ("prnt(1)", "undefined variable 'prnt'; did you mean 'print'?", 1),
    ("x = 1 && 2", "use 'and' instead of '&&'", 7),
    ("r = {loss: 1}\nr.los", "the record has no field 'los'; did you mean 'loss'?", 3),
  ])
  func suggestions(source: String, message: String, column: Int) {
    let found = diagnostic(of: source)
    #expect(found?.message == message)
    #expect(found?.location.column == column)
  }

  @Test(arguments: [
    ("round(1, 2, 3)", "round takes 2 arguments (x, digits), got 3", 13),
    ("round(1, digts: 2)", "unknown argument 'digts' to round; did you mean 'digits'?", 10),
    ("round(1, zzz: 2)", "unknown argument 'zzz' to round; it takes 'x', 'digits'", 10),
    ("round(digits: 2)", "round needs argument 'x' (a number)", 1),
    ("round(1, x: 2)", "argument 'x' to round is given twice", 10),
    // An argument of the wrong kind is marked where it is written, not the whole call.
    ("round(\"a\")", "argument 'x' to round must be a number, got the string \"a\"", 7),
    ("len(3)", "argument 'x' to len must be a list, record or string, got 3", 5),
    (
      "round(1, digits: 99)",
      "argument 'digits' to round must be a whole number from 0 to 15, got 99", 10
    ),
    ("fn f(a, b: 1) { }\nf(1, c: 2)", "unknown argument 'c' to f; it takes 'a', 'b'", 6),
    ("[1, 2][2]", "index 2 is out of range; valid indices are 0 to 1, or -1 to -2", 8),
    ("[1][0.5]", "an index must be a whole number, got 0.5", 5),
    ("1 + none", "'+' cannot add 1 and none", 1),
    ("\"a\" * 2", "'*' needs two numbers, got the string \"a\" and 2", 1),
    ("x = 5\nx(1)", "a number cannot be called like a function", 1),
    ("for x in 3 { }", "cannot loop over a number; use range(n) for 0 to n-1", 10),
  ])
  func runtimeMessages(source: String, message: String, column: Int) {
    let found = diagnostic(of: source)
    #expect(found?.message == message)
    #expect(found?.location.column == column)
  }

  /// The marker 1️⃣ stands where the caret must point. A block after a missing operand was
  /// read as a record ("expected ':' after the field name 'print'"), and a '(' left open ran
  /// on into the next line, which took the blame ("2:1: expected ')', found 'print'").
  @Test(arguments: [
    (
      "x = 1\nif x > 1️⃣{ print(1) }",
      "expected an expression after '>', found '{', which starts the if block"
    ),
    ("if 1️⃣{ print(1) }", "expected a condition after 'if', found '{', which starts the if block"),
    (
      "x = 1\nwhile x < 1️⃣{ }",
      "expected an expression after '<', found '{', which starts the while block"
    ),
    (
      "for i in 1️⃣{\n  print(i)\n}",
      "expected an expression after 'in', found '{', which starts the for block"
    ),
    ("x = 1️⃣(1 + 2\nprint(x)", "this '(' is never closed"),
    ("xs = 1️⃣[1, 2\nprint(xs)", "this '[' is never closed"),
    ("r = 1️⃣{a: 1\nprint(r)", "this '{' is never closed"),
    // The inner '(' is closed on the next line; the outer one never is.
    ("print1️⃣((2\n)", "this '(' is never closed"),
    // A '(' that is closed later is not blamed: the token that breaks the list is.
    ("f = fn(a, b) { return a }\nf(1,\n  2\n  1️⃣3)", "expected ',' or ')', found the number 3"),
    ("x = (1 + 2 1️⃣print(x)", "expected ')', found 'print'"),
  ])
  func parseErrorsPointAtTheirCause(marked: String, message: String) {
    let source = MarkedSource(marked)
    let found = diagnostic(of: source.text)
    #expect(found?.kind == .parsing)
    #expect(found?.message == message)
    #expect(found?.location.line == source.line, "\(found?.rendered() ?? "no error")")
    #expect(found?.location.column == source.column, "\(found?.rendered() ?? "no error")")
  }

  /// A record may still stand in a condition: after a comparison, or in brackets.
  @Test(arguments: [
    "r = {a: 1}\nif r == {a: 1} { print(1) }", "if {} == {} { print(1) }",
    "r = {a: 1}\nif (r == {\n  a: 1\n}) { print(1) }", "for k in {a: 1, b: 2} { print(k) }",
    "if [{a: 1}][0].a == 1 { print(1) }",
  ])
  func recordsInConditionsStillParse(source: String) throws {
    #expect(try output(of: source).hasPrefix(source.hasPrefix("for") ? "a\n" : "1\n"))
  }

  @Test func errorsThrownByBuiltinsPointAtTheCall() {
    struct DataProblem: Error, CustomStringConvertible {
      var description: String { "no file at data/htad" }
    }
    let interpreter = Interpreter { _ in }
    interpreter.register(
      Builtin(
        name: "load", summary: "Loads a dataset.",
        parameters: [ParameterSpec("path", accepts: "a folder path")],
        example: "load(\"data/htad\")"
      ) { _ in throw DataProblem() })
    do {
      try interpreter.run(source: "data = load(\"data/htad\")", file: "s.fuse")
      Issue.record("expected an error")
    } catch let diagnostic as Diagnostic {
      #expect(
        diagnostic.rendered() == """
          s.fuse:1:8: error: no file at data/htad
          data = load("data/htad")
                 ^~~~~~~~~~~~~~~~~
          """)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }
}
