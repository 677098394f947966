/// Expressions, loosest binding first:
/// `or`, `and`, `not`, comparisons, `+ -`, `* / %`, unary `-`, `**`, then calls,
/// indexing and member access.
extension Parser {
  mutating func parseExpression() throws -> Expression {
    try enterNesting(current.span)
    defer { nesting -= 1 }
    let expression = try parseOr()
    return try checkDepth(expression, at: expression.span)
  }

  /// The condition of `if` or `while`, or the sequence of `for`: a '{' that cannot start a
  /// record there is the construct's block, so a missing operand is reported as missing
  /// instead of the block being read as a record.
  mutating func parseExpression(beforeBlockOf construct: String) throws -> Expression {
    let outer = blockFollows
    blockFollows = construct
    defer { blockFollows = outer }
    return try parseExpression()
  }

  /// An expression inside brackets, where a '{' is a record again.
  mutating func parseBracketed() throws -> Expression {
    let outer = blockFollows
    blockFollows = nil
    defer { blockFollows = outer }
    return try parseExpression()
  }

  /// Whether the '{' at the current token opens a record: a field name then ':', or `{}`
  /// with more of the expression after it (`{} == r`); an empty `{}` that ends the line is
  /// the block.
  private func braceOpensRecord() -> Bool {
    var offset = 1
    while peek(offset).kind == .newline { offset += 1 }
    switch peek(offset).kind {
    case .rightBrace:
      switch peek(offset + 1).kind {
      case .newline, .end, .semicolon, .rightBrace, .keyword(.else): return false
      default: return true
      }
    case .name, .string, .keyword: return peek(offset + 1).kind == .colon
    default: return false
    }
  }

  private mutating func parseOr() throws -> Expression {
    var left = try parseAnd()
    while match(.keyword(.or)) {
      skipNewlines()
      let right = try parseAnd()
      left = try checkDepth(
        Expression(kind: .logical(isAnd: false, left, right), span: left.span.through(right.span)),
        at: right.span)
    }
    return left
  }

  private mutating func parseAnd() throws -> Expression {
    var left = try parseNot()
    while match(.keyword(.and)) {
      skipNewlines()
      let right = try parseNot()
      left = try checkDepth(
        Expression(kind: .logical(isAnd: true, left, right), span: left.span.through(right.span)),
        at: right.span)
    }
    return left
  }

  private mutating func parseNot() throws -> Expression {
    guard check(.keyword(.not)) else { return try parseComparison() }
    let keyword = advance()
    skipNewlines()
    try enterNesting(keyword.span)
    defer { nesting -= 1 }
    let operand = try parseNot()
    return Expression(kind: .unary(.not, operand), span: keyword.span.through(operand.span))
  }

  /// Built once, not at every expression parsed.
  private static let comparisons: [TokenKind: BinaryOperator] = [
    .equal: .equal, .notEqual: .notEqual, .less: .less, .lessEqual: .lessEqual,
    .greater: .greater, .greaterEqual: .greaterEqual,
  ]

  private mutating func parseComparison() throws -> Expression {
    let left = try parseAdditive()
    guard let op = Parser.comparisons[current.kind] else { return left }
    _ = advance()
    skipNewlines()
    let right = try parseAdditive()
    if Parser.comparisons[current.kind] != nil {
      throw error("comparisons cannot be chained; join them with 'and'", current.span)
    }
    return Expression(kind: .binary(op, left, right), span: left.span.through(right.span))
  }

  private mutating func parseAdditive() throws -> Expression {
    var left = try parseMultiplicative()
    while true {
      let op: BinaryOperator
      switch current.kind {
      case .plus: op = .add
      case .minus: op = .subtract
      default: return left
      }
      _ = advance()
      skipNewlines()
      let right = try parseMultiplicative()
      left = try checkDepth(
        Expression(kind: .binary(op, left, right), span: left.span.through(right.span)),
        at: right.span)
    }
  }

  private mutating func parseMultiplicative() throws -> Expression {
    var left = try parseUnary()
    while true {
      let op: BinaryOperator
      switch current.kind {
      case .star: op = .multiply
      case .slash: op = .divide
      case .percent: op = .remainder
      default: return left
      }
      _ = advance()
      skipNewlines()
      let right = try parseUnary()
      left = try checkDepth(
        Expression(kind: .binary(op, left, right), span: left.span.through(right.span)),
        at: right.span)
    }
  }

  /// Unary minus binds looser than `**`, so -2 ** 2 is -4, as in mathematics.
  private mutating func parseUnary() throws -> Expression {
    guard check(.minus) || check(.plus) else { return try parsePower() }
    let sign = advance()
    try enterNesting(sign.span)
    defer { nesting -= 1 }
    let operand = try parseUnary()
    let op: UnaryOperator = sign.kind == .minus ? .negate : .plus
    return Expression(kind: .unary(op, operand), span: sign.span.through(operand.span))
  }

  /// `**` groups to the right: 2 ** 3 ** 2 is 2 ** 9.
  private mutating func parsePower() throws -> Expression {
    let base = try parsePostfix()
    guard match(.power) else { return base }
    skipNewlines()
    try enterNesting(base.span)
    defer { nesting -= 1 }
    let exponent = try parseUnary()
    return Expression(kind: .binary(.power, base, exponent), span: base.span.through(exponent.span))
  }

  private mutating func parsePostfix() throws -> Expression {
    var expression = try parsePrimary()
    while true {
      switch current.kind {
      case .leftParen:
        let opening = advance()
        let (arguments, closing) = try parseArguments(opening: opening)
        expression = try checkDepth(
          Expression(kind: .call(expression, arguments), span: expression.span.through(closing)),
          at: opening.span)
      case .leftBracket:
        let opening = advance()
        let index = try parseBracketed()
        guard check(.rightBracket) else {
          throw unclosedOrUnexpected(opening, expecting: "']'")
        }
        let closing = advance().span
        expression = try checkDepth(
          Expression(kind: .index(expression, index), span: expression.span.through(closing)),
          at: opening.span)
      case .dot:
        _ = advance()
        skipNewlines()
        guard case .name(let name) = current.kind else {
          throw error(
            "expected a member name after '.', found \(current.kind.spelling)", current.span)
        }
        let nameSpan = advance().span
        expression = try checkDepth(
          Expression(
            kind: .member(expression, name: name, nameSpan: nameSpan),
            span: expression.span.through(nameSpan)),
          at: nameSpan)
      default:
        return expression
      }
    }
  }

  /// Positional arguments first, then `name: value` ones.
  private mutating func parseArguments(opening: Token) throws -> ([Argument], Span) {
    var arguments: [Argument] = []
    while !check(.rightParen) {
      if check(.end) || check(.newline) { throw unclosedOrUnexpected(opening, expecting: "')'") }
      var label: String?
      var labelSpan: Span?
      if case .name(let name) = current.kind, peek(1).kind == .colon || peek(1).kind == .assign {
        label = name
        labelSpan = advance().span
        _ = advance()
      }
      let value = try parseBracketed()
      let argument = Argument(label: label, labelSpan: labelSpan, value: value)
      if label == nil, arguments.contains(where: { $0.label != nil }) {
        throw error("positional arguments must come before keyword arguments", value.span)
      }
      if let label, arguments.contains(where: { $0.label == label }) {
        throw error("argument '\(label)' is given twice", argument.span)
      }
      arguments.append(argument)
      if !match(.comma) && !check(.rightParen) {
        throw unclosedOrUnexpected(opening, expecting: "',' or ')'")
      }
    }
    return (arguments, advance().span)
  }

  /// At the end of the input an opener was never closed; so it is when the input never
  /// closes it and the unexpected token starts a later line (line breaks inside brackets
  /// are skipped, so `(1 + 2` runs on into the next statement). Otherwise something odd
  /// sits inside the brackets.
  private func unclosedOrUnexpected(_ opening: Token, expecting: String) -> Diagnostic {
    if check(.end) {
      return error("this '\(opening.kind.symbol)' is never closed", opening.span)
    }
    let neverClosed = unclosedBrackets.contains {
      $0.line == opening.span.line && $0.column == opening.span.column
    }
    if neverClosed, position > 0, current.span.line > tokens[position - 1].span.line {
      return error("this '\(opening.kind.symbol)' is never closed", opening.span)
    }
    return error("expected \(expecting), found \(current.kind.spelling)", current.span)
  }

  private mutating func parsePrimary() throws -> Expression {
    let token = current
    switch token.kind {
    case .number(let value):
      _ = advance()
      return Expression(kind: .number(value), span: token.span)
    case .string(let value):
      _ = advance()
      return Expression(kind: .string(value), span: token.span)
    case .keyword(.true), .keyword(.false):
      _ = advance()
      return Expression(kind: .bool(token.kind == .keyword(.true)), span: token.span)
    case .keyword(.none):
      _ = advance()
      return Expression(kind: .nothing, span: token.span)
    case .name(let name):
      _ = advance()
      return Expression(kind: .name(name), span: token.span)
    case .leftParen:
      _ = advance()
      let inner = try parseBracketed()
      guard check(.rightParen) else { throw unclosedOrUnexpected(token, expecting: "')'") }
      let closing = advance()
      return Expression(kind: inner.kind, span: token.span.through(closing.span))
    case .leftBracket:
      return try parseList()
    case .leftBrace:
      if let construct = blockFollows, !braceOpensRecord() {
        let previous = tokens[max(0, position - 1)]
        let wanted =
          previous.kind == .keyword(.if) || previous.kind == .keyword(.while)
          ? "a condition" : "an expression"
        throw error(
          "expected \(wanted) after \(previous.kind.spelling), found '{', which starts the "
            + "\(construct) block", token.span)
      }
      return try parseRecord()
    case .keyword(.fn):
      let declaration = try parseFunction()
      return Expression(kind: .function(declaration), span: declaration.span)
    case .end where position > 0:
      // Past the last line there is nothing to show; point at what wants the expression.
      var last = position - 1
      while last > 0, tokens[last].kind == .newline { last -= 1 }
      let previous = tokens[last]
      throw error(
        "expected an expression after \(previous.kind.spelling), found the end of the input",
        previous.span)
    default:
      throw error("expected an expression, found \(token.kind.spelling)", token.span)
    }
  }

  private mutating func parseList() throws -> Expression {
    let opening = advance()
    var items: [Expression] = []
    while !check(.rightBracket) {
      items.append(try parseBracketed())
      if !match(.comma) && !check(.rightBracket) {
        throw unclosedOrUnexpected(opening, expecting: "',' or ']'")
      }
    }
    let closing = advance()
    return Expression(kind: .list(items), span: opening.span.through(closing.span))
  }

  /// `{name: value, "any key": value}`; line breaks are allowed between fields.
  private mutating func parseRecord() throws -> Expression {
    let opening = advance()
    var fields: [(name: String, value: Expression)] = []
    skipNewlines()
    while !check(.rightBrace) {
      let key: String
      switch current.kind {
      case .name(let name): key = name
      case .string(let text): key = text
      case .keyword(let keyword): key = keyword.rawValue
      case .end: throw error("this '{' is never closed", opening.span)
      default:
        throw error(
          "expected a field name in the record, found \(current.kind.spelling)", current.span)
      }
      let keySpan = advance().span
      guard match(.colon) else {
        throw error(
          "expected ':' after the field name '\(key)', found \(current.kind.spelling)", current.span
        )
      }
      skipNewlines()
      if fields.contains(where: { $0.name == key }) {
        throw error("field '\(key)' appears twice in the record", keySpan)
      }
      fields.append((key, try parseBracketed()))
      skipNewlines()
      if !match(.comma) && !check(.rightBrace) {
        throw unclosedOrUnexpected(opening, expecting: "',' or '}'")
      }
      skipNewlines()
    }
    let closing = advance()
    return Expression(kind: .record(fields), span: opening.span.through(closing.span))
  }
}
