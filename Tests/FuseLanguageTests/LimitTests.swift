import Testing

@testable import FuseLanguage

/// Values a loop can grow without bound must stop with a diagnostic, not crash the session:
/// nested hundreds of thousands deep they overflowed the stack when freed or compared.
@Suite("Limits on the values a program builds")
struct LimitTests {
  @Test(arguments: [
    "x = []\nfor i in range(5000) { x = [x] }",
    "x = {}\nfor i in range(5000) { x = {next: x} }",
    "x = []\nfor i in range(5000) { x = append([], x) }",
    "x = [[]]\nfor i in range(5000) { x[0] = [x[0]] }",
    "x = {a: {}}\nfor i in range(5000) { x.a = {a: x.a} }",
    "x = {a: []}\nfor i in range(5000) { x[\"a\"] = [x] }",
  ])
  func nestingPastTheLimitStopsOnTheLineThatWouldPassIt(source: String) {
    let found = diagnostic(of: source)
    #expect(found?.message == Interpreter.nestingMessage)
    #expect(found?.location.line == 2)
  }

  @Test func aValueAtTheLimitIsKeptAndStillUsable() throws {
    let interpreter = Interpreter { _ in }
    try interpreter.run(source: "x = []\nfor i in range(999) { x = [x] }", file: "deep.fuse")
    #expect(throws: Diagnostic.self) {
      try interpreter.run(source: "y = [x]", file: "deep.fuse")
    }
    let same = try interpreter.evaluate(source: "x == x and len(str(x)) > 0", file: "deep.fuse")
    #expect(same == .bool(true))
    #expect(interpreter[global: "y"] == nil)
  }

  /// A chain such as 1 + 1 + ... is a tree as deep as it is long; 200000 terms overflowed
  /// the stack while it was evaluated.
  @Test(arguments: [" + 1", " and 1", "[0]", ".a", "()"])
  func chainsDeeperThanTheLimitStopAtTheParser(link: String) {
    let source =
      "x = [0]\ny = {a: 1}\nf = fn() { return f }\nz = (x" + String(repeating: link, count: 200_000)
      + ")"
    let found = diagnostic(of: source)
    #expect(found?.kind == .parsing)
    #expect(found?.message.hasPrefix("this expression is more than 500 operations deep") == true)
  }

  /// The worst case the limits allow: a recursive function 199 calls deep whose every call
  /// sits at the bottom of a chain just under the limit.
  @Test func theDeepestExpressionInTheDeepestRecursionRuns() throws {
    let chain = String(repeating: " + 1", count: 490)
    let source = "fn f(n) {\n  if n <= 0 { return 0 }\n  return f(n - 1)\(chain)\n}\nf(198)"
    #expect(try value(of: source) == .number(198 * 490))
  }

  @Test func joiningPastTheSizeLimitStops() {
    let list = diagnostic(of: "x = range(1000000)\nfor i in range(10) { x = x + x }")
    #expect(list?.message == "'+' would make a list of 16000000 items; the limit is 10000000 items")
    let text = diagnostic(of: "s = \"0123456789\"\nfor i in range(30) { s += s }")
    #expect(text?.message.hasPrefix("'+' would make a string of 10485760 bytes") == true)
  }

  @Test func roundLeavesNumbersTooLargeToScale() throws {
    #expect(try value(of: "round(1.797e308, 15)") == .number(1.797e308))
    #expect(try value(of: "round(-1e300, 10)") == .number(-1e300))
    #expect(try value(of: "round(3.14159, 2)") == .number(3.14))
  }

  /// As help("round") says: halves go away from zero, not to the even neighbour.
  @Test func roundTakesAHalfAwayFromZero() throws {
    #expect(
      try value(of: "[round(2.5), round(-2.5), round(0.5), round(0.125, 2)]")
        == .list([
          .number(3), .number(-3), .number(1), .number(0.13),
        ]))
  }
}
