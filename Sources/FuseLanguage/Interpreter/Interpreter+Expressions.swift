extension Interpreter {
  func evaluate(_ expression: Expression, in scope: Scope) throws -> Value {
    switch expression.kind {
    case .number(let number): return .number(number)
    case .string(let string): return .string(string)
    case .bool(let bool): return .bool(bool)
    case .nothing: return .nothing
    case .name(let name): return try lookup(name, span: expression.span, in: scope)

    case .list(let items):
      return try list(items, in: scope)

    case .record(let fields):
      return try record(fields, in: scope)

    case .unary(let op, let operandExpression):
      let operand = try evaluate(operandExpression, in: scope)
      return try unary(op, operand, span: expression.span)

    case .binary(let op, let leftExpression, let rightExpression):
      let left = try evaluate(leftExpression, in: scope)
      let right = try evaluate(rightExpression, in: scope)
      return try binary(op, left, right, span: expression.span)

    case .logical(let isAnd, let leftExpression, let rightExpression):
      let left = try evaluate(leftExpression, in: scope)
      if left.isTruthy != isAnd { return left }
      return try evaluate(rightExpression, in: scope)

    case .call(let calleeExpression, let argumentExpressions):
      let callee = try evaluate(calleeExpression, in: scope)
      let arguments = try argumentExpressions.map {
        CallArgument(
          label: $0.label, value: try evaluate($0.value, in: scope), span: $0.span,
          expression: $0.value)
      }
      return try call(callee, arguments, span: expression.span, calleeSpan: calleeExpression.span)

    case .index(let baseExpression, let indexExpression):
      let base = try evaluate(baseExpression, in: scope)
      let index = try evaluate(indexExpression, in: scope)
      return try item(of: base, at: index, span: indexExpression.span)

    case .member(let baseExpression, let name, let nameSpan):
      let base = try evaluate(baseExpression, in: scope)
      return try member(of: base, name, span: nameSpan)

    case .function(let declaration):
      return .function(Callable(UserFunction(declaration: declaration, closure: scope)))
    }
  }

  // Out of `evaluate`, whose stack frame every level of a deep expression pays for.
  @inline(never)
  private func list(_ items: [Expression], in scope: Scope) throws -> Value {
    .list(
      try items.map { item in
        let value = try evaluate(item, in: scope)
        try checkNesting(of: value, levels: 1, span: item.span)
        return value
      })
  }

  @inline(never)
  private func record(_ fields: [(name: String, value: Expression)], in scope: Scope) throws
    -> Value
  {
    .record(
      try fields.map { field in
        let value = try evaluate(field.value, in: scope)
        try checkNesting(of: value, levels: 1, span: field.value.span)
        return (field.name, value)
      })
  }

  private func lookup(_ name: String, span: Span, in scope: Scope) throws -> Value {
    if let value = scope.lookup(name) { return value }
    if let builtin = builtin(named: name) { return .function(Callable(builtin)) }

    let spellings = [
      "nil": "none", "null": "none", "None": "none", "True": "true", "False": "false",
    ]
    if let spelling = spellings[name] {
      throw span.diagnostic(.runtime, "undefined variable '\(name)'; did you mean '\(spelling)'?")
    }
    let candidates = scope.visibleNames + builtins.map(\.name) + ["true", "false", "none"]
    let hint = didYouMean(name, among: candidates)
    throw span.diagnostic(.runtime, "undefined variable '\(name)'\(hint)")
  }

  private func item(of base: Value, at index: Value, span: Span) throws -> Value {
    switch base {
    case .list(let items):
      return items[try listPosition(index, count: items.count, span: span)]
    case .string(let string):
      let characters = Array(string)
      return .string(
        String(characters[try listPosition(index, count: characters.count, span: span)]))
    case .record(let fields):
      guard case .string(let key) = index else {
        throw span.diagnostic(
          .runtime, "a record's fields are named by strings, got \(describeForError(index))")
      }
      guard let value = base.field(key) else {
        throw span.diagnostic(.runtime, missingField(key, fields.map(\.0)))
      }
      return value
    default:
      throw span.diagnostic(.runtime, "cannot index \(base.typeNameWithArticle)")
    }
  }

  private func member(of base: Value, _ name: String, span: Span) throws -> Value {
    switch base {
    case .record(let fields):
      guard let value = base.field(name) else {
        throw span.diagnostic(.runtime, missingField(name, fields.map(\.0)))
      }
      return value
    case .object(let object):
      guard let value = object.member(name) else {
        var message = "\(withArticle(object.kindName)) has no member '\(name)'"
        message += didYouMean(name, among: object.memberNames)
        if message.hasSuffix("'") && !object.memberNames.isEmpty {
          message += "; it has " + object.memberNames.joined(separator: ", ")
        }
        throw span.diagnostic(.runtime, message)
      }
      return value
    default:
      throw span.diagnostic(
        .runtime, "\(base.typeNameWithArticle) has no members, so '.\(name)' means nothing here")
    }
  }

  private func missingField(_ name: String, _ names: [String]) -> String {
    let hint = didYouMean(name, among: names)
    if !hint.isEmpty { return "the record has no field '\(name)'\(hint)" }
    if names.isEmpty { return "the record has no field '\(name)'; it is empty" }
    return "the record has no field '\(name)'; it has " + names.joined(separator: ", ")
  }
}
