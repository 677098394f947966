import FuseFormat
import Testing

@testable import FuseLanguage

/// The expression tree written with every group in parentheses.
private func grouped(_ text: String) throws -> String {
  let statements = try Parser.parse(text, file: SourceFile(name: "t", text: text))
  guard case .expression(let expression)? = statements.first?.kind else { return "?" }
  return show(expression)
}

private func show(_ expression: Expression) -> String {
  switch expression.kind {
  case .number(let number): return formatNumber(number)
  case .name(let name): return name
  case .string(let string): return quoted(string)
  case .bool(let bool): return "\(bool)"
  case .nothing: return "none"
  case .unary(let op, let operand): return "(\(op.rawValue) \(show(operand)))"
  case .binary(let op, let left, let right): return "(\(show(left)) \(op.rawValue) \(show(right)))"
  case .logical(let isAnd, let left, let right):
    return "(\(show(left)) \(isAnd ? "and" : "or") \(show(right)))"
  case .call(let callee, let arguments):
    let shown = arguments.map { ($0.label.map { "\($0): " } ?? "") + show($0.value) }
    return "\(show(callee))(\(shown.joined(separator: ", ")))"
  case .index(let base, let index): return "\(show(base))[\(show(index))]"
  case .member(let base, let name, _): return "\(show(base)).\(name)"
  case .list(let items): return "[" + items.map(show).joined(separator: ", ") + "]"
  case .record(let fields):
    return "{" + fields.map { "\($0.name): \(show($0.value))" }.joined(separator: ", ") + "}"
  case .function(let declaration): return "fn \(declaration.name)"
  }
}

@Suite struct ParserTests {
  @Test(arguments: [
    ("1 + 2 * 3", "(1 + (2 * 3))"),
    ("(1 + 2) * 3", "((1 + 2) * 3)"),
    ("1 - 2 - 3", "((1 - 2) - 3)"),
    ("-2 ** 2", "(- (2 ** 2))"),
    ("2 ** 3 ** 2", "(2 ** (3 ** 2))"),
    ("2 ** -1", "(2 ** (- 1))"),
    ("a or b and not c", "(a or (b and (not c)))"),
    ("not a == b", "(not (a == b))"),
    ("1 + 2 < 3 * 4", "((1 + 2) < (3 * 4))"),
    ("x % 3 == 0 and y", "(((x % 3) == 0) and y)"),
    ("h.loss[-1] + 1", "(h.loss[(- 1)] + 1)"),
    ("train(m, epochs: 30, batch: 64)", "train(m, epochs: 30, batch: 64)"),
    ("f(a)(b).c", "f(a)(b).c"),
    ("[1, {a: 2}]", "[1, {a: 2}]"),
  ])
  func precedence(source: String, expected: String) throws {
    #expect(try grouped(source) == expected)
  }

  @Test func statementsSpanLinesInsideBrackets() throws {
    let text = "x = f(1,\n  b: 2)\nr = {\n  a: 1,\n  b: 2,\n}\nif x { y = 1 }\nelse { y = 2 }"
    let statements = try Parser.parse(text, file: SourceFile(name: "t", text: text))
    #expect(statements.count == 3)
  }

  @Test(arguments: [
    "1 < 2 < 3", "f(a: 1, 2)", "return 1", "break", "if x { ", "x = = 2", "fn f(a: 1, b) {}",
    "1 = x",
  ])
  func rejects(source: String) {
    #expect(throws: Diagnostic.self) {
      try Parser.parse(source, file: SourceFile(name: "t", text: source))
    }
  }
}
