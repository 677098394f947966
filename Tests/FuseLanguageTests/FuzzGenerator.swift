/// Programs for the fuzz test: written from the language's grammar, mutated from a few seed
/// programs, or thrown together from tokens. All of it from one seeded generator, so every
/// run makes the same programs.

/// SplitMix64: small, fast and the same on every platform.
struct SplitMix {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

  mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Writes random programs that follow the grammar: statements of every kind, nested blocks,
/// functions with defaults, records, indexing and calls of the core builtins. Most run into
/// a run-time error sooner or later (a string plus a list, an index out of range), which is
/// as useful to the fuzz test as a program that runs to the end.
struct ProgramGenerator {
  var random: SplitMix
  private var loopDepth = 0
  private var functionDepth = 0

  init(seed: UInt64) {
    random = SplitMix(state: seed)
  }

  private let names = ["a", "b", "n", "xs", "r", "s", "f", "g", "i"]
  private let fields = ["k", "rate", "score", "name"]

  mutating func program() -> String {
    loopDepth = 0
    functionDepth = 0
    return (0..<(1 + random.below(5))).map { _ in statement(depth: 0) }.joined(separator: "\n")
  }

  private mutating func block(depth: Int) -> String {
    let body = (0..<(1 + random.below(2))).map { _ in statement(depth: depth + 1) }
    let indent = String(repeating: "  ", count: depth + 1)
    let closing = String(repeating: "  ", count: depth)
    return "{\n" + body.map { indent + $0 }.joined(separator: "\n") + "\n" + closing + "}"
  }

  private mutating func statement(depth: Int) -> String {
    let nested = depth < 3
    switch random.below(nested ? 16 : 8) {
    case 0, 1: return "\(random.pick(names)) = \(expression(depth: 0))"
    case 2:
      return
        "\(random.pick(names)) \(random.pick(["+=", "-=", "*=", "/="])) \(expression(depth: 1))"
    case 3: return "print(\(arguments(depth: 1)))"
    case 4: return "\(random.pick(names))[\(expression(depth: 2))] = \(expression(depth: 1))"
    case 5: return "\(random.pick(names)).\(random.pick(fields)) = \(expression(depth: 1))"
    case 6: return expression(depth: 0)
    case 7:
      if loopDepth > 0 && random.chance(60) { return random.pick(["break", "continue"]) }
      if functionDepth > 0 { return "return \(expression(depth: 1))" }
      return "\(random.pick(names)) = none"
    case 8, 9:
      var text = "if \(expression(depth: 1)) \(block(depth: depth))"
      if random.chance(40) { text += " else if \(expression(depth: 1)) \(block(depth: depth))" }
      if random.chance(50) { text += " else \(block(depth: depth))" }
      return text
    case 10, 11:
      let source =
        random.chance(50)
        ? "range(\(random.below(6)))"
        : random.pick(["xs", "r", "s", "[1, \"a\", none]", "keys(r)"])
      return "for \(random.pick(names)) in \(source) \(loop(depth: depth))"
    case 12:
      // A counter keeps most loops short; the step budget ends the rest.
      let counter = random.pick(["i", "n"])
      let limit = random.below(8)
      return "\(counter) = 0\n" + String(repeating: "  ", count: depth)
        + "while \(counter) < \(limit) \(loop(depth: depth, counter: counter))"
    case 13, 14:
      // A loop outside the function does not let its body break or continue.
      let outerLoops = loopDepth
      loopDepth = 0
      functionDepth += 1
      defer {
        functionDepth -= 1
        loopDepth = outerLoops
      }
      let parameters = random.pick(["", "x", "x, y", "x, y: 2", "x: 1", "x, y: [1], z: {}"])
      let body = block(depth: depth)
      if random.chance(50) { return "fn \(random.pick(["f", "g"]))(\(parameters)) \(body)" }
      return "\(random.pick(["f", "g"])) = fn(\(parameters)) \(body)"
    default:
      return "\(random.pick(names)) = \(random.pick(["f", "g"]))(\(arguments(depth: 1)))"
    }
  }

  private mutating func loop(depth: Int, counter: String? = nil) -> String {
    loopDepth += 1
    defer { loopDepth -= 1 }
    var body = block(depth: depth)
    if let counter {
      let indent = String(repeating: "  ", count: depth + 1)
      body.insert(contentsOf: "\n\(indent)\(counter) += 1", at: body.index(after: body.startIndex))
    }
    return body
  }

  private mutating func arguments(depth: Int) -> String {
    var items = (0..<random.below(4)).map { _ in expression(depth: depth) }
    if random.chance(20) {
      items.append("\(random.pick(["digits", "y", "by", "x"])): \(expression(depth: depth))")
    }
    return items.joined(separator: ", ")
  }

  private mutating func expression(depth: Int) -> String {
    if depth > 2 || random.chance(35 + depth * 20) { return atom() }
    switch random.below(10) {
    case 0, 1:
      let operators = [
        "+", "-", "*", "/", "%", "**", "==", "!=", "<", "<=", ">", ">=", "and", "or",
      ]
      let text =
        "\(expression(depth: depth + 1)) \(random.pick(operators)) \(expression(depth: depth + 1))"
      // Mostly bracketed, as people write them; bare, comparisons may chain, which is refused.
      return depth > 0 && random.chance(80) ? "(\(text))" : text
    case 2:
      let text = "\(random.pick(["-", "not "]))\(expression(depth: depth + 1))"
      return depth > 0 && random.chance(80) ? "(\(text))" : text
    case 3: return "(\(expression(depth: depth + 1)))"
    case 4:
      return "["
        + (0..<random.below(4)).map { _ in expression(depth: depth + 1) }
        .joined(separator: ", ") + "]"
    case 5:
      let items = (0..<random.below(3)).map { _ in
        "\(random.pick(fields + ["\"a b\""])): \(expression(depth: depth + 1))"
      }
      return "{" + items.joined(separator: ", ") + "}"
    case 6:
      let builtins = [
        "len", "range", "str", "min", "max", "sum", "mean", "round", "abs", "format", "keys",
        "type", "append", "f", "g",
      ]
      return "\(random.pick(builtins))(\(arguments(depth: depth + 1)))"
    case 7: return "\(expression(depth: depth + 1))[\(expression(depth: depth + 1))]"
    case 8: return "\(random.pick(names)).\(random.pick(fields))"
    default: return "fn(x) { return \(expression(depth: depth + 1)) }"
    }
  }

  private mutating func atom() -> String {
    switch random.below(6) {
    case 0, 1: return random.pick(names)
    case 2:
      return random.pick([
        "0", "1", "-1", "2", "0.5", "3", "1e308", "1e-320", "1_000", "1e6", "0.1", "7",
      ])
    case 3: return random.pick(["\"\"", "\"a\"", "'b c'", "\"x\\n\\t\\\"y\\\"\"", "\"é\u{301}\""])
    case 4: return random.pick(["true", "false", "none"])
    default: return random.pick(["xs[0]", "xs[-1]", "r.k", "r[\"a b\"]", "s + \"!\""])
    }
  }

  // MARK: - Programs that mostly run

  /// A program of numbers only: its variables are set before use, its operators get numbers
  /// and its calls the arguments they take, so most such programs run to the end and reach
  /// the parts of the interpreter that an early type error never gets to.
  mutating func numericProgram() -> String {
    loopDepth = 0
    let start =
      "a = \(random.pick(numbers))\nb = \(random.pick(numbers))\nn = 3\ni = 0\n"
      + "fn h(x, y: 2) { return x * y + a }"
    let body = (0..<(1 + random.below(5))).map { _ in numericStatement(depth: 0) }
    return ([start] + body).joined(separator: "\n")
  }

  private let numbers = ["0", "1", "2", "-1", "0.5", "3", "10", "1e-3", "1e300", "7"]

  private mutating func numericBlock(depth: Int) -> String {
    let body = (0..<(1 + random.below(2))).map { _ in numericStatement(depth: depth + 1) }
    let indent = String(repeating: "  ", count: depth + 1)
    let closing = String(repeating: "  ", count: depth)
    return "{\n" + body.map { indent + $0 }.joined(separator: "\n") + "\n" + closing + "}"
  }

  private mutating func numericStatement(depth: Int) -> String {
    let target = random.pick(["a", "b", "n"])
    switch random.below(depth < 3 ? 9 : 4) {
    case 0: return "\(target) = \(numericExpression(depth: 0))"
    case 1:
      return "\(target) \(random.pick(["+=", "-=", "*=", "/="])) \(numericExpression(depth: 1))"
    case 2: return "print(\(numericExpression(depth: 1)), \(numericExpression(depth: 1)))"
    case 3:
      if loopDepth > 0 && random.chance(30) { return random.pick(["break", "continue"]) }
      return "\(target) = round(\(numericExpression(depth: 1)), digits: \(random.below(4)))"
    case 4, 5:
      var text = "if \(condition()) \(numericBlock(depth: depth))"
      if random.chance(50) { text += " else \(numericBlock(depth: depth))" }
      return text
    case 6:
      loopDepth += 1
      defer { loopDepth -= 1 }
      return "for i in range(\(random.below(6))) \(numericBlock(depth: depth))"
    case 7:
      loopDepth += 1
      defer { loopDepth -= 1 }
      let indent = String(repeating: "  ", count: depth + 1)
      var body = numericBlock(depth: depth)
      body.insert(contentsOf: "\n\(indent)i += 1", at: body.index(after: body.startIndex))
      return "i = 0\n" + String(repeating: "  ", count: depth)
        + "while i < \(random.below(6)) \(body)"
    default:
      return "xs = [\(numericExpression(depth: 1)), \(numericExpression(depth: 1))]; "
        + "\(target) = xs[\(random.pick(["0", "1", "-1"]))] + sum(xs) + len(xs)"
    }
  }

  private mutating func condition() -> String {
    let comparison =
      "\(numericExpression(depth: 1)) \(random.pick(["<", "<=", ">", ">=", "==", "!="])) "
      + numericExpression(depth: 1)
    switch random.below(4) {
    case 0: return "not (\(comparison))"
    case 1: return "\(comparison) \(random.pick(["and", "or"])) \(random.pick(["a", "b"])) > 0"
    default: return comparison
    }
  }

  private mutating func numericExpression(depth: Int) -> String {
    if depth > 2 || random.chance(30 + depth * 20) {
      return random.chance(50) ? random.pick(["a", "b", "n", "i"]) : random.pick(numbers)
    }
    let operand = { (generator: inout ProgramGenerator) in
      generator.numericExpression(depth: depth + 1)
    }
    switch random.below(7) {
    case 0, 1, 2:
      let op = random.pick(["+", "-", "*", "/", "%", "**"])
      return "(\(operand(&self)) \(op) \(operand(&self)))"
    case 3: return "-\(operand(&self))"
    case 4: return "\(random.pick(["abs", "round"]))(\(operand(&self)))"
    case 5: return "\(random.pick(["min", "max"]))(\(operand(&self)), \(operand(&self)))"
    default:
      return random.chance(50)
        ? "h(\(operand(&self)))" : "h(\(operand(&self)), y: \(operand(&self)))"
    }
  }
}
