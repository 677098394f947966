import Foundation

extension Interpreter {
  func unary(_ op: UnaryOperator, _ operand: Value, span: Span) throws -> Value {
    switch op {
    case .not:
      return .bool(!operand.isTruthy)
    case .negate, .plus:
      guard case .number(let number) = operand else {
        throw span.diagnostic(
          .runtime, "unary '\(op.rawValue)' needs a number, got \(describeForError(operand))")
      }
      return .number(op == .negate ? -number : number)
    }
  }

  func binary(_ op: BinaryOperator, _ left: Value, _ right: Value, span: Span) throws -> Value {
    switch op {
    case .equal: return .bool(left == right)
    case .notEqual: return .bool(left != right)
    case .less, .lessEqual, .greater, .greaterEqual: return try compare(op, left, right, span: span)
    case .add: return try add(left, right, span: span)
    default: break
    }

    guard case .number(let a) = left, case .number(let b) = right else {
      let operands = "\(describeForError(left)) and \(describeForError(right))"
      throw span.diagnostic(.runtime, "'\(op.rawValue)' needs two numbers, got \(operands)")
    }
    switch op {
    case .subtract: return .number(a - b)
    case .multiply: return .number(a * b)
    case .divide:
      guard b != 0 else { throw span.diagnostic(.runtime, "division by zero") }
      return .number(a / b)
    case .remainder:
      guard b != 0 else { throw span.diagnostic(.runtime, "remainder of a division by zero") }
      // The result takes the divisor's sign, so -1 % 3 is 2.
      return .number(a - b * (a / b).rounded(.down))
    case .power:
      return .number(pow(a, b))
    default:
      return .nothing
    }
  }

  /// `+` adds numbers, joins lists, and joins strings (a number or other value beside a string is
  /// written out as `print` would show it).
  private func add(_ left: Value, _ right: Value, span: Span) throws -> Value {
    switch (left, right) {
    case (.number(let a), .number(let b)): return .number(a + b)
    case (.list(let a), .list(let b)):
      try checkSize(a.count + b.count, what: "a list", unit: "items", span: span)
      return .list(a + b)
    case (.string(let a), _):
      let b = right.description
      try checkSize(a.utf8.count + b.utf8.count, what: "a string", unit: "bytes", span: span)
      return .string(a + b)
    case (_, .string(let b)):
      let a = left.description
      try checkSize(a.utf8.count + b.utf8.count, what: "a string", unit: "bytes", span: span)
      return .string(a + b)
    default:
      throw span.diagnostic(
        .runtime,
        "'+' cannot add \(describeForError(left)) and \(describeForError(right))")
    }
  }

  private func compare(_ op: BinaryOperator, _ left: Value, _ right: Value, span: Span) throws
    -> Value
  {
    let order: ComparisonResult
    switch (left, right) {
    case (.number(let a), .number(let b)):
      if a.isNaN || b.isNaN { return .bool(false) }
      order = a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    case (.string(let a), .string(let b)):
      order = a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame
    default:
      let operands = "\(describeForError(left)) and \(describeForError(right))"
      throw span.diagnostic(
        .runtime, "'\(op.rawValue)' compares two numbers or two strings, got \(operands)")
    }
    switch op {
    case .less: return .bool(order == .orderedAscending)
    case .lessEqual: return .bool(order != .orderedDescending)
    case .greater: return .bool(order == .orderedDescending)
    default: return .bool(order != .orderedAscending)
    }
  }
}
