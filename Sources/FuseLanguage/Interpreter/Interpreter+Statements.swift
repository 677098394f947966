/// How a statement finished: normally, or by leaving a loop or a function early.
enum Flow {
  case normal
  case breakLoop
  case continueLoop
  case returned(Value)
}

extension Interpreter {
  func execute(_ statements: [Statement], in scope: Scope) throws -> Flow {
    for statement in statements {
      let flow = try execute(statement, in: scope)
      if case .normal = flow { continue }
      return flow
    }
    return .normal
  }

  func execute(_ statement: Statement, in scope: Scope) throws -> Flow {
    switch statement.kind {
    case .expression(let expression):
      _ = try evaluate(expression, in: scope)
      return .normal

    case .assign(let target, let update, let valueExpression):
      var value = try evaluate(valueExpression, in: scope)
      if let update {
        let current = try evaluate(target, in: scope)
        value = try binary(update, current, value, span: statement.span)
      }
      let levels = Interpreter.containerLevels(above: target)
      if levels > 0 { try checkNesting(of: value, levels: levels, span: valueExpression.span) }
      try assign(value, to: target, in: scope)
      return .normal

    case .ifElse(let condition, let then, let otherwise):
      if try evaluate(condition, in: scope).isTruthy {
        return try execute(then, in: scope)
      }
      return try otherwise.map { try execute($0, in: scope) } ?? .normal

    case .forIn(let variable, let sequenceExpression, let body):
      let sequence = try evaluate(sequenceExpression, in: scope)
      for item in try items(of: sequence, span: sequenceExpression.span) {
        try checkInterrupt(at: statement.span)
        scope.values[variable] = item
        let flow = try execute(body, in: scope)
        if case .breakLoop = flow { break }
        if case .returned = flow { return flow }
      }
      return .normal

    case .whileLoop(let condition, let body):
      while try evaluate(condition, in: scope).isTruthy {
        try checkInterrupt(at: statement.span)
        let flow = try execute(body, in: scope)
        if case .breakLoop = flow { break }
        if case .returned = flow { return flow }
      }
      return .normal

    case .function(let declaration):
      let function = UserFunction(declaration: declaration, closure: scope)
      scope.values[declaration.name] = .function(Callable(function))
      return .normal

    case .returnValue(let expression):
      return .returned(try expression.map { try evaluate($0, in: scope) } ?? .nothing)

    case .breakLoop:
      return .breakLoop

    case .continueLoop:
      return .continueLoop
    }
  }

  /// What a `for` loop walks: a list's items, a record's field names, a string's characters.
  private func items(of sequence: Value, span: Span) throws -> [Value] {
    switch sequence {
    case .list(let items): return items
    case .record(let fields): return fields.map { .string($0.0) }
    case .string(let string): return string.map { .string(String($0)) }
    case .number:
      throw span.diagnostic(.runtime, "cannot loop over a number; use range(n) for 0 to n-1")
    default:
      throw span.diagnostic(.runtime, "cannot loop over \(sequence.typeNameWithArticle)")
    }
  }

  /// How many lists and records a target reaches into: 0 for `x`, 2 for `x.rates[0]`.
  static func containerLevels(above target: Expression) -> Int {
    var levels = 0
    var node = target
    while true {
      switch node.kind {
      case .index(let base, _), .member(let base, _, _):
        levels += 1
        node = base
      default:
        return levels
      }
    }
  }

  /// Stores `value` into a variable, a list item or a record field, writing
  /// changed containers back up to the variable that holds them.
  private func assign(_ value: Value, to target: Expression, in scope: Scope) throws {
    switch target.kind {
    case .name(let name):
      scope.values[name] = value

    case .index(let base, let indexExpression):
      let container = try evaluate(base, in: scope)
      let index = try evaluate(indexExpression, in: scope)
      let updated = try replacing(in: container, at: index, with: value, span: indexExpression.span)
      try assign(updated, to: base, in: scope)

    case .member(let base, let name, let nameSpan):
      let container = try evaluate(base, in: scope)
      guard case .record(var fields) = container else {
        throw nameSpan.diagnostic(
          .runtime, "cannot set '\(name)' on \(container.typeNameWithArticle)")
      }
      if let position = fields.firstIndex(where: { $0.0 == name }) {
        fields[position].1 = value
      } else {
        fields.append((name, value))
      }
      try assign(.record(fields), to: base, in: scope)

    default:
      throw target.span.diagnostic(.runtime, "cannot assign to this expression")
    }
  }

  private func replacing(
    in container: Value, at index: Value, with value: Value, span: Span
  ) throws -> Value {
    switch container {
    case .list(var items):
      let position = try listPosition(index, count: items.count, span: span)
      items[position] = value
      return .list(items)
    case .record(var fields):
      guard case .string(let key) = index else {
        throw span.diagnostic(
          .runtime, "a record's fields are named by strings, got \(describeForError(index))")
      }
      if let position = fields.firstIndex(where: { $0.0 == key }) {
        fields[position].1 = value
      } else {
        fields.append((key, value))
      }
      return .record(fields)
    default:
      throw span.diagnostic(.runtime, "cannot set an item of \(container.typeNameWithArticle)")
    }
  }

  /// The array position of a list index; negative indices count from the end.
  func listPosition(_ index: Value, count: Int, span: Span) throws -> Int {
    guard case .number(let number) = index, let whole = wholeNumber(number) else {
      throw span.diagnostic(
        .runtime, "an index must be a whole number, got \(describeForError(index))")
    }
    let position = whole < 0 ? whole + count : whole
    guard position >= 0 && position < count else {
      let valid =
        count == 0 ? "it is empty" : "valid indices are 0 to \(count - 1), or -1 to -\(count)"
      throw span.diagnostic(.runtime, "index \(whole) is out of range; \(valid)")
    }
    return position
  }
}
