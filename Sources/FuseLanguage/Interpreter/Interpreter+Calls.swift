/// Calling builtins and user functions: argument binding, errors, recursion depth.
extension Interpreter {
  func call(_ callee: Value, _ arguments: [CallArgument], span: Span, calleeSpan: Span) throws
    -> Value
  {
    guard case .function(let callable) = callee else {
      throw calleeSpan.diagnostic(
        .runtime, "\(callee.typeNameWithArticle) cannot be called like a function")
    }
    try checkInterrupt(at: span)

    switch callable.body {
    case .builtin(let builtin):
      return try callBuiltin(builtin, arguments, span: span)
    case .user(let function):
      return try callUser(function, arguments, span: span)
    }
  }

  private func callBuiltin(_ builtin: Builtin, _ arguments: [CallArgument], span: Span) throws
    -> Value
  {
    let shapes = builtin.parameters.map {
      ParameterShape(
        name: $0.name, hasDefault: $0.defaultValue != nil, isVariadic: $0.isVariadic,
        accepts: $0.accepts)
    }
    let slots = try bindArguments(
      callee: builtin.name, parameters: shapes, arguments: arguments, callSpan: span)
    var values: [String: Value] = [:]
    for (parameter, slot) in zip(builtin.parameters, slots) {
      values[parameter.name] = slot ?? parameter.defaultValue ?? .nothing
    }
    let given = Set(
      arguments.compactMap(\.label)
        + builtin.parameters.prefix(
          arguments.filter { $0.label == nil }.count
        ).map(\.name))

    var bound = Arguments(
      builtinName: builtin.name, context: BuiltinContext(interpreter: self),
      parameters: builtin.parameters, values: values, givenNames: given, written: arguments)
    let outerSpan = currentCallSpan
    currentCallSpan = span
    defer { currentCallSpan = outerSpan }
    do {
      return try builtin.body(&bound)
    } catch let diagnostic as Diagnostic {
      throw diagnostic
    } catch is InterruptRequest {
      throw span.diagnostic(.interrupted, "interrupted")
    } catch {
      let place = (error as? ArgumentFault)?.faultyArgument.flatMap {
        argumentSpan(named: $0, in: arguments, parameters: builtin.parameters)
      }
      throw (place ?? span).diagnostic(.runtime, String(describing: error))
    }
  }

  /// Where the call wrote the argument bound to parameter `name` (or, for a place inside
  /// it such as `groups.audio.lr` or `betas[0]`, to its first part), if it wrote it out.
  private func argumentSpan(
    named place: String, in arguments: [CallArgument], parameters: [ParameterSpec]
  ) -> Span? {
    let name = String(place.prefix { $0 != "." && $0 != "[" })
    if let keyword = arguments.first(where: { $0.label == name }) { return keyword.span }
    let positional = arguments.filter { $0.label == nil }
    guard let index = parameters.firstIndex(where: { $0.name == name }),
      !parameters[index].isVariadic, index < positional.count,
      !parameters[..<index].contains(where: \.isVariadic)
    else { return nil }
    return positional[index].span
  }

  private func callUser(_ function: UserFunction, _ arguments: [CallArgument], span: Span) throws
    -> Value
  {
    let declaration = function.declaration
    guard callDepth < Interpreter.callDepthLimit else {
      let limit = Interpreter.callDepthLimit
      throw span.diagnostic(
        .runtime,
        "too many nested calls (more than \(limit)); is '\(declaration.name)' recursing forever?"
      )
    }
    let shapes = declaration.parameters.map {
      ParameterShape(
        name: $0.name, hasDefault: $0.defaultValue != nil, isVariadic: false, accepts: nil)
    }
    let slots = try bindArguments(
      callee: declaration.name, parameters: shapes, arguments: arguments, callSpan: span)

    callDepth += 1
    defer { callDepth -= 1 }
    let scope = Scope(parent: function.closure)
    for (parameter, slot) in zip(declaration.parameters, slots) {
      if let slot {
        scope.values[parameter.name] = slot
      } else if let defaultValue = parameter.defaultValue {
        scope.values[parameter.name] = try evaluate(defaultValue, in: scope)
      }
    }
    if case .returned(let value) = try execute(declaration.body, in: scope) {
      return value
    }
    return .nothing
  }

  /// Calls a function value on behalf of a builtin (see `BuiltinContext.call`).
  func callValue(_ function: Value, _ positional: [Value], keywords: [(String, Value)]) throws
    -> Value
  {
    let span =
      currentCallSpan
      ?? Span(file: SourceFile(name: "<host>", text: ""), line: 1, column: 1, length: 1)
    let arguments =
      positional.map { CallArgument(label: nil, value: $0, span: span) }
      + keywords.map { CallArgument(label: $0.0, value: $0.1, span: span) }
    return try call(function, arguments, span: span, calleeSpan: span)
  }
}
