import Foundation
import FuseFormat
import Testing

@testable import FuseLanguage

/// A host object shaped like the engine's training history.
private final class FakeHistory: HostObject {
  var kindName: String { "history" }
  var display: String { "history: 2 epochs" }
  var memberNames: [String] { ["loss", "epochs"] }
  func member(_ name: String) -> Value? {
    switch name {
    case "loss": return .list([.number(0.9), .number(0.5)])
    case "epochs": return .number(2)
    default: return nil
    }
  }
}

@Suite struct SessionTests {
  @Test(arguments: [
    ("print(1,", true), ("xs = [1, 2", true), ("r = {a: 1", true), ("for x in xs {", true),
    ("s = \"abc", true), ("x = 1 +", true), ("ok = a and", true), ("x = 1", false),
    ("print(1)", false), ("x = 1 @", false), ("", false), ("f(1) # (", false),
    ("y = [1, 2)", false), ("z = {a: 1)", false), ("f([1,\n2)", false), ("g(1]", false),
    ("f([1], (2", true),
  ])
  func needsMoreInput(source: String, expected: Bool) {
    #expect(Interpreter { _ in }.needsMoreInput(source) == expected)
  }

  @Test(arguments: [
    (3.0, "3"), (-2.0, "-2"), (0.001, "0.001"), (0.1 + 0.2, "0.3"), (1.0 / 3.0, "0.333333"),
    (2.5, "2.5"), (1e-7, "1e-7"), (123456789.0, "123456789"), (1234567.5, "1.23457e6"),
    (1e20, "1e20"), (-0.0, "0"), (Double.nan, "nan"), (-Double.infinity, "-inf"),
  ])
  func numberFormatting(number: Double, expected: String) {
    #expect(formatNumber(number) == expected)
  }

  @Test func printShowsStringsBareAndNestedStringsQuoted() throws {
    #expect(
      try output(of: "print(\"a\", [\"b\"], {c: \"d\"}, none, true)")
        == "a [\"b\"] {c: \"d\"} none true\n")
  }

  @Test func hostObjectsAndMethods() throws {
    var printed = ""
    let interpreter = Interpreter { printed += $0 }
    interpreter[global: "h"] = .object(FakeHistory())
    try interpreter.run(source: "print(h.loss[-1], h.epochs)\nprint(h)", file: "t")
    #expect(printed == "0.5 2\nhistory: 2 epochs\n")
    let echoed = try interpreter.evaluate(source: "h", file: "t")
    #expect(echoed?.echoText == "history: 2 epochs")
    #expect(try interpreter.evaluate(source: "[h]", file: "t")?.echoText == "[<history>]")
    #expect(throws: Diagnostic.self) { try interpreter.run(source: "h.los", file: "t") }
    do {
      try interpreter.run(source: "h.los", file: "t")
    } catch let diagnostic as Diagnostic {
      #expect(diagnostic.message == "a history has no member 'los'; did you mean 'loss'?")
    }
  }

  @Test func builtinsSeeTheContext() throws {
    var printed = ""
    let interpreter = Interpreter { printed += $0 }
    interpreter.register(
      Builtin(
        name: "twice", summary: "Calls a function twice.",
        parameters: [ParameterSpec("f", accepts: "a function")],
        example: "twice(fn(i) { print(i) })"
      ) { arguments in
        let function = try arguments.function("f")
        arguments.context.write("calling\n")
        let first = try arguments.context.call(function, [.number(1)])
        let second = try arguments.context.call(function, [], keywords: [("i", .number(2))])
        return .list([first, second])
      })
    try interpreter.run(source: "print(twice(fn(i) { return i * 10 }))", file: "t")
    #expect(printed == "calling\n[10, 20]\n")
  }

  @Test func longBuiltinsCanPollTheInterrupt() {
    let interpreter = Interpreter { _ in }
    interpreter.interrupt = { true }
    interpreter.register(
      Builtin(name: "work", summary: "Works until stopped.", example: "work()") { arguments in
        try arguments.context.checkInterrupt()
        return .nothing
      })
    #expect(throws: Diagnostic.self) { try interpreter.run(source: "work()", file: "t") }
  }

  @Test func helpUsesTheBuiltinTable() throws {
    let text = try output(of: "help(\"round\")")
    #expect(
      text == """
        round(x, digits: 0)
          Rounds a number to some digits after the point; a half goes away from zero.
        parameters:
          x       a number
          digits  a whole number from 0 to 15 (default 0)
        example:
          round(3.14159, 2)   # 3.14
          round(2.5)   # 3 (Python gives 2), and round(-2.5) is -3

        """)
    let reference = Interpreter { _ in }.markdownReference().split(separator: "\n")
    #expect(
      reference[2] == "| `print(values...)` | Writes values on one line, separated by spaces. |")
    let overview = try output(of: "help()")
    #expect(overview.hasPrefix("print   Writes values on one line, separated by spaces.\n"))
  }
}

@Suite struct CompletionTests {
  @Test func completesNamesAndMembers() throws {
    let interpreter = Interpreter { _ in }
    try interpreter.run(
      source: "result = {loss: [1], lr: 0.1, nested: {deep: 1}}\nrate = 2", file: "t")
    #expect(interpreter.completions(for: "ra") == ["range", "rate"])
    #expect(interpreter.completions(for: "wh") == ["while"])
    #expect(interpreter.completions(for: "result.l") == ["result.loss", "result.lr"])
    #expect(interpreter.completions(for: "result.nested.") == ["result.nested.deep"])
    #expect(interpreter.completions(for: "nothing.x") == [])
  }

  @Test func deeplyNestedValuesStillPrint() throws {
    let text = try output(of: "x = []\nfor i in range(200) { x = [x] }\nprint(len(str(x)) < 200)")
    #expect(text == "true\n")
  }
}

@Suite struct DocumentationTests {
  /// docs/language.md lists every builtin of a fresh session by its signature.
  @Test func documentationNamesEveryBuiltin() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let text = try String(
      contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
    for builtin in Interpreter(output: { _ in }).builtins {
      #expect(text.contains("`\(builtin.signature)`"), "missing \(builtin.signature)")
    }
  }
}

@Suite struct ContinuationTests {
  /// What needsMoreInput asks the REPL to wait for, the parser accepts.
  @Test(arguments: [
    "x = 1 +\n2", "x = not\ntrue", "r = {a: 1}\ny = r.\na", "x =\n3", "ok = true and\nfalse",
    "xs = [1,\n2]", "if 1 < 2 {\n}\nelse {\n}",
  ])
  func continuedLinesParse(source: String) {
    #expect(diagnostic(of: source) == nil)
  }
}
