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
}
