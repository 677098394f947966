/// What binding needs to know of one parameter, for builtins and user functions alike.
struct ParameterShape {
  let name: String
  let hasDefault: Bool
  let isVariadic: Bool
  let accepts: String?
}

/// One argument as written in a call, with where it is for messages.
struct CallArgument {
  let label: String?
  let value: Value
  let span: Span
  /// The expression that gave the value; nil when the host made the call.
  var expression: Expression? = nil
}

/// Matches a call's arguments to parameters: positional ones in order, then
/// keyword ones by name. Returns one slot per parameter; nil means "use the default".
func bindArguments(
  callee: String, parameters: [ParameterShape], arguments: [CallArgument], callSpan: Span
) throws -> [Value?] {
  var slots = [Value?](repeating: nil, count: parameters.count)
  let fixed = parameters.prefix { !$0.isVariadic }
  var variadicItems: [Value] = []
  var positionalCount = 0

  for argument in arguments where argument.label == nil {
    if positionalCount < fixed.count {
      slots[positionalCount] = argument.value
    } else if fixed.count < parameters.count {
      variadicItems.append(argument.value)
    } else {
      throw argument.span.diagnostic(.runtime, tooMany(callee, fixed.map(\.name), arguments))
    }
    positionalCount += 1
  }
  if let variadic = parameters.firstIndex(where: \.isVariadic) {
    slots[variadic] = .list(variadicItems)
  }

  for argument in arguments {
    guard let label = argument.label else { continue }
    guard let slot = parameters.firstIndex(where: { $0.name == label && !$0.isVariadic }) else {
      let names = parameters.filter { !$0.isVariadic }.map(\.name)
      var message = "unknown argument '\(label)' to \(callee)"
      if let match = closestMatch(to: label, among: names) {
        message += "; did you mean '\(match)'?"
      } else if names.isEmpty {
        message += "; it takes no named arguments"
      } else {
        message += "; it takes " + names.map { "'\($0)'" }.joined(separator: ", ")
      }
      throw argument.span.diagnostic(.runtime, message)
    }
    if slots[slot] != nil {
      throw argument.span.diagnostic(
        .runtime, "argument '\(label)' to \(callee) is given twice")
    }
    slots[slot] = argument.value
  }

  for (slot, parameter) in parameters.enumerated() where slots[slot] == nil && !parameter.hasDefault
  {
    // What it accepts goes in brackets, unless it has brackets of its own.
    let accepts = parameter.accepts.map { $0.contains("(") ? ": \($0)" : " (\($0))" } ?? ""
    throw callSpan.diagnostic(.runtime, "\(callee) needs argument '\(parameter.name)'\(accepts)")
  }
  return slots
}

private func tooMany(_ callee: String, _ names: [String], _ arguments: [CallArgument]) -> String {
  let given = arguments.filter { $0.label == nil }.count
  if names.isEmpty { return "\(callee) takes no arguments, got \(given)" }
  let noun = names.count == 1 ? "argument" : "arguments"
  let listed = names.joined(separator: ", ")
  return "\(callee) takes \(names.count) \(noun) (\(listed)), got \(given)"
}
