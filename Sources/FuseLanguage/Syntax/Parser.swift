/// Builds the syntax tree from tokens, one statement per line.
///
/// Every error is a `Diagnostic` of kind `.parsing` pointing at the token
/// that could not be understood.
struct Parser {
  /// How deeply expressions and blocks may nest before the parser gives up.
  static let nestingLimit = 100

  /// How deep an expression's tree may grow, chains included (`a + b + c` is 3 deep). The
  /// interpreter evaluates and frees the tree recursively, inside up to 200 nested calls.
  static let depthLimit = 500

  var tokens: [Token]
  var position = 0
  var nesting = 0
  var loopDepth = 0
  var functionDepth = 0
  /// The construct whose block follows the expression being parsed ("if", "while", "for"),
  /// while no bracket has opened since; there a '{' starts the block, not a record.
  var blockFollows: String?
  /// Where the brackets are that the input never closes, as the lexer found them.
  var unclosedBrackets: [(line: Int, column: Int)] = []

  init(tokens: [Token]) {
    self.tokens = tokens
  }

  static func parse(_ text: String, file: SourceFile) throws -> [Statement] {
    var lexer = Lexer(file: file, text: text)
    var parser = Parser(tokens: try lexer.run())
    parser.unclosedBrackets = lexer.openBrackets.map { ($0.span.line, $0.span.column) }
    return try parser.parseProgram()
  }

  mutating func parseProgram() throws -> [Statement] {
    let statements = try parseStatements()
    if case .rightBrace = current.kind {
      throw error("unexpected '}' with no '{' to close", current.span)
    }
    return statements
  }

  // MARK: - Tokens

  var current: Token { tokens[min(position, tokens.count - 1)] }

  func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }

  mutating func advance() -> Token {
    let token = current
    if position < tokens.count - 1 { position += 1 }
    return token
  }

  func check(_ kind: TokenKind) -> Bool { current.kind == kind }

  mutating func match(_ kind: TokenKind) -> Bool {
    guard check(kind) else { return false }
    _ = advance()
    return true
  }

  mutating func skipNewlines() {
    while check(.newline) { _ = advance() }
  }

  func error(_ message: String, _ span: Span) -> Diagnostic {
    span.diagnostic(.parsing, message)
  }

  /// The expression, or an error at `span` when its tree is deeper than `depthLimit`.
  func checkDepth(_ expression: Expression, at span: Span) throws -> Expression {
    guard expression.depth > Parser.depthLimit else { return expression }
    throw error(
      "this expression is more than \(Parser.depthLimit) operations deep; "
        + "split it into steps with variables", span)
  }

  mutating func enterNesting(_ span: Span) throws {
    nesting += 1
    if nesting > Parser.nestingLimit {
      throw error("nested too deeply (more than \(Parser.nestingLimit) levels)", span)
    }
  }

  // MARK: - Statements

  /// Statements up to a `}` or the end of the input, which is left unconsumed.
  mutating func parseStatements() throws -> [Statement] {
    var statements: [Statement] = []
    while true {
      while check(.newline) || check(.semicolon) { _ = advance() }
      if check(.end) || check(.rightBrace) { return statements }
      let statement = try parseStatement()
      statements.append(statement)
      try expectEndOfStatement(after: statement)
    }
  }

  mutating func expectEndOfStatement(after statement: Statement) throws {
    switch current.kind {
    case .newline, .semicolon, .end, .rightBrace: return
    default: break
    }

    // A misspelt keyword reads as a name followed by something unexpected.
    if case .expression(let expression) = statement.kind, case .name(let word) = expression.kind {
      if let hint = keywordHint(for: word) {
        throw error(hint, expression.span)
      }
    }
    if case .name(let word) = current.kind, let hint = keywordHint(for: word) {
      throw error(hint, current.span)
    }
    if case .assign = current.kind, case .expression = statement.kind {
      throw error("cannot assign to this expression", statement.span)
    }
    throw error(
      "expected a new line or ';' after the statement, found \(current.kind.spelling)",
      current.span)
  }

  func keywordHint(for word: String) -> String? {
    switch word {
    case "def", "func", "function":
      return "'\(word)' is not a keyword; use 'fn' to define a function"
    case "elif", "elsif", "elseif": return "'\(word)' is not a keyword; write 'else if'"
    default: break
    }
    let keywords = ["for", "in", "if", "else", "while", "fn", "return", "break", "continue"]
    guard let match = closestMatch(to: word, among: keywords) else { return nil }
    return "unknown word '\(word)'; did you mean '\(match)'?"
  }

  mutating func parseStatement() throws -> Statement {
    let start = current.span
    try enterNesting(start)
    defer { nesting -= 1 }

    if case .keyword(let keyword) = current.kind, Parser.assignments[peek(1).kind] != nil {
      throw error(
        "'\(keyword.rawValue)' is a keyword, so it cannot be assigned to; choose another name",
        start)
    }

    switch current.kind {
    case .keyword(.for): return try parseFor()
    case .keyword(.while): return try parseWhile()
    case .keyword(.if): return try parseIf()
    case .keyword(.fn) where peek(1).kind != .leftParen:
      let declaration = try parseFunction()
      return Statement(kind: .function(declaration), span: declaration.span)
    case .keyword(.return): return try parseReturn()
    case .keyword(.break), .keyword(.continue):
      let token = advance()
      let isBreak = token.kind == .keyword(.break)
      guard loopDepth > 0 else {
        throw error("'\(isBreak ? "break" : "continue")' outside a loop", token.span)
      }
      return Statement(kind: isBreak ? .breakLoop : .continueLoop, span: token.span)
    case .keyword(.else):
      throw error("'else' must follow the '}' of an if block", start)
    default:
      return try parseAssignmentOrExpression()
    }
  }

  /// The assignment tokens, with the operator of an update such as `+=`.
  static let assignments: [TokenKind: BinaryOperator?] = [
    .assign: nil, .plusAssign: .add, .minusAssign: .subtract,
    .starAssign: .multiply, .slashAssign: .divide,
  ]

  mutating func parseAssignmentOrExpression() throws -> Statement {
    let expression = try parseExpression()
    guard let entry = Parser.assignments[current.kind] else {
      return Statement(kind: .expression(expression), span: expression.span)
    }

    switch expression.kind {
    case .name, .index, .member: break
    default:
      let hint = current.kind == .assign ? "; use '==' to compare" : ""
      throw error("cannot assign to this expression\(hint)", expression.span)
    }
    _ = advance()
    skipNewlines()
    let value = try parseExpression()
    // Messages then name the function as the script does: "is 'f' recursing forever?"
    if entry == nil, case .name(let variable) = expression.kind,
      case .function(let declaration) = value.kind, declaration.name == Parser.anonymousName
    {
      declaration.name = variable
    }
    return Statement(
      kind: .assign(target: expression, update: entry, value: value),
      span: expression.span.through(value.span))
  }

  mutating func parseFor() throws -> Statement {
    let keyword = advance()
    guard case .name(let variable) = current.kind else {
      throw error(
        "expected a variable name after 'for', found \(current.kind.spelling)", current.span)
    }
    _ = advance()
    guard match(.keyword(.in)) else {
      let hint = current.kind == .name("of") ? "; write 'in'" : ""
      throw error(
        "expected 'in' after 'for \(variable)', found \(current.kind.spelling)\(hint)",
        current.span)
    }
    let sequence = try parseExpression(beforeBlockOf: "for")
    let body = try parseLoopBody(named: "for")
    return Statement(
      kind: .forIn(variable: variable, sequence: sequence, body: body), span: keyword.span)
  }

  mutating func parseWhile() throws -> Statement {
    let keyword = advance()
    let condition = try parseExpression(beforeBlockOf: "while")
    let body = try parseLoopBody(named: "while")
    return Statement(kind: .whileLoop(condition: condition, body: body), span: keyword.span)
  }

  mutating func parseLoopBody(named name: String) throws -> [Statement] {
    loopDepth += 1
    defer { loopDepth -= 1 }
    return try parseBlock(after: name)
  }

  mutating func parseIf() throws -> Statement {
    let keyword = advance()
    let condition = try parseExpression(beforeBlockOf: "if")
    let then = try parseBlock(after: "if")

    // `else` may sit on the line after the closing brace.
    let saved = position
    skipNewlines()
    guard match(.keyword(.else)) else {
      position = saved
      return Statement(
        kind: .ifElse(condition: condition, then: then, otherwise: nil), span: keyword.span)
    }
    var otherwise: [Statement]
    if check(.keyword(.if)) {
      try enterNesting(current.span)
      defer { nesting -= 1 }
      otherwise = [try parseIf()]
    } else {
      otherwise = try parseBlock(after: "else")
    }
    return Statement(
      kind: .ifElse(condition: condition, then: then, otherwise: otherwise), span: keyword.span)
  }

  mutating func parseReturn() throws -> Statement {
    let keyword = advance()
    guard functionDepth > 0 else {
      throw error("'return' outside a function", keyword.span)
    }
    switch current.kind {
    case .newline, .semicolon, .end, .rightBrace:
      return Statement(kind: .returnValue(nil), span: keyword.span)
    default:
      let value = try parseExpression()
      return Statement(kind: .returnValue(value), span: keyword.span.through(value.span))
    }
  }

  /// `{ statements }`; `construct` names what the block belongs to, for messages.
  mutating func parseBlock(after construct: String) throws -> [Statement] {
    guard check(.leftBrace) else {
      var hint = ""
      if check(.colon) { hint = " (blocks use braces, not ':')" }
      if check(.assign) { hint = "; did you mean '=='?" }
      throw error(
        "expected '{' to start the \(construct) block, found \(current.kind.spelling)\(hint)",
        current.span)
    }
    let opening = advance()
    try enterNesting(opening.span)
    defer { nesting -= 1 }

    let statements = try parseStatements()
    guard match(.rightBrace) else {
      throw error("this '{' is never closed; add a '}'", opening.span)
    }
    return statements
  }
}
