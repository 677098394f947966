/// Function definitions, named (a statement) or anonymous (an expression).
extension Parser {
  /// What messages call a function defined without a name and not assigned to one.
  static let anonymousName = "function"

  /// `fn name(a, b: 2) { ... }`, or without a name as an expression.
  mutating func parseFunction() throws -> FunctionDeclaration {
    let keyword = advance()
    let outerBlock = blockFollows
    blockFollows = nil
    defer { blockFollows = outerBlock }
    var name = Parser.anonymousName
    if case .name(let given) = current.kind {
      name = given
      _ = advance()
    } else if !check(.leftParen) {
      throw error(
        "expected a function name after 'fn', found \(current.kind.spelling)", current.span)
    }

    guard check(.leftParen) else {
      throw error("expected '(' after 'fn \(name)', found \(current.kind.spelling)", current.span)
    }
    let opening = advance()
    var parameters: [Parameter] = []
    while !check(.rightParen) {
      guard case .name(let parameter) = current.kind else {
        if check(.end) { throw error("this '(' is never closed; add a ')'", opening.span) }
        throw error("expected a parameter name, found \(current.kind.spelling)", current.span)
      }
      let span = advance().span
      if parameters.contains(where: { $0.name == parameter }) {
        throw error("parameter '\(parameter)' appears twice", span)
      }
      var defaultValue: Expression?
      if match(.colon) || match(.assign) {
        defaultValue = try parseExpression()
      } else if parameters.last?.defaultValue != nil {
        throw error("parameter '\(parameter)' needs a default, like the ones before it", span)
      }
      parameters.append(Parameter(name: parameter, defaultValue: defaultValue, span: span))
      if !match(.comma) && !check(.rightParen) {
        throw error(
          "expected ',' or ')' in the parameters, found \(current.kind.spelling)", current.span)
      }
    }
    _ = advance()

    // A function body is its own world: loops outside it do not reach in.
    let (savedLoops, savedFunctions) = (loopDepth, functionDepth)
    (loopDepth, functionDepth) = (0, functionDepth + 1)
    defer { (loopDepth, functionDepth) = (savedLoops, savedFunctions) }
    let body = try parseBlock(after: "fn")
    return FunctionDeclaration(name: name, parameters: parameters, body: body, span: keyword.span)
  }
}
