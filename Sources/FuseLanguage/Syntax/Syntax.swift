/// The syntax tree the parser builds and the interpreter walks.

enum BinaryOperator: String {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case remainder = "%"
  case power = "**"
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case lessEqual = "<="
  case greater = ">"
  case greaterEqual = ">="
}

enum UnaryOperator: String {
  case negate = "-"
  case plus = "+"
  case not = "not"
}

struct Expression {
  indirect enum Kind {
    case number(Double)
    case string(String)
    case bool(Bool)
    case nothing
    case name(String)
    case list([Expression])
    case record([(name: String, value: Expression)])
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    /// `and` when `isAnd`, otherwise `or`; both stop at the first operand that decides.
    case logical(isAnd: Bool, Expression, Expression)
    case call(Expression, [Argument])
    case index(Expression, Expression)
    case member(Expression, name: String, nameSpan: Span)
    case function(FunctionDeclaration)
  }

  let kind: Kind
  let span: Span
  /// Levels of the tree below and including this node (a name is 1, `a + b` 2); the parser
  /// bounds it, so evaluating and freeing the tree cannot overflow the stack.
  let depth: Int

  init(kind: Kind, span: Span) {
    self.kind = kind
    self.span = span
    depth = 1 + kind.children.reduce(0) { max($0, $1.depth) }
  }

  /// The expression as written when it is a variable or a chain of members, `h.loss`; nil
  /// for anything else. Plots take it as their default title.
  var pathText: String? {
    switch kind {
    case .name(let name): return name
    case .member(let base, let name, _): return base.pathText.map { "\($0).\(name)" }
    default: return nil
    }
  }
}

extension Expression.Kind {
  /// The expressions directly inside this one (a function's body is not: it runs in a call).
  var children: [Expression] {
    switch self {
    case .number, .string, .bool, .nothing, .name, .function: return []
    case .list(let items): return items
    case .record(let fields): return fields.map(\.value)
    case .unary(_, let operand): return [operand]
    case .binary(_, let left, let right), .logical(_, let left, let right): return [left, right]
    case .call(let callee, let arguments): return [callee] + arguments.map(\.value)
    case .index(let base, let index): return [base, index]
    case .member(let base, _, _): return [base]
    }
  }
}

struct Argument {
  /// The keyword, for `name: value` arguments.
  let label: String?
  let labelSpan: Span?
  let value: Expression

  var span: Span { labelSpan.map { $0.through(value.span) } ?? value.span }
}

struct Parameter {
  let name: String
  let defaultValue: Expression?
  let span: Span
}

final class FunctionDeclaration {
  /// The name after `fn`; an anonymous function takes the variable it is first assigned
  /// to (`f = fn(s) { ... }` is `f`), else it is "function".
  var name: String
  let parameters: [Parameter]
  let body: [Statement]
  let span: Span

  init(name: String, parameters: [Parameter], body: [Statement], span: Span) {
    self.name = name
    self.parameters = parameters
    self.body = body
    self.span = span
  }
}

struct Statement {
  indirect enum Kind {
    case expression(Expression)
    /// `target = value`, or `target op= value` when `update` is set.
    case assign(target: Expression, update: BinaryOperator?, value: Expression)
    case ifElse(condition: Expression, then: [Statement], otherwise: [Statement]?)
    case forIn(variable: String, sequence: Expression, body: [Statement])
    case whileLoop(condition: Expression, body: [Statement])
    case function(FunctionDeclaration)
    case returnValue(Expression?)
    case breakLoop
    case continueLoop
  }

  let kind: Kind
  let span: Span
}
