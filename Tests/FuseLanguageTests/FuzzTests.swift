import Foundation
import Testing

@testable import FuseLanguage

/// A small deterministic generator (SplitMix64), so every run mutates the same way.
private struct SplitMix {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }
}

private let corpus = [
  """
  # rates to try
  rates = [1e-4, 1e-3, 1e-2]
  best = {rate: none, score: 0}
  for r in rates {
    score = 1 - abs(r - 0.001) * 10
    if score > best.score { best.rate = r; best.score = score }
  }
  print("best", best, format(best.score, 3))
  """,
  """
  fn fib(n, memo: {}) {
    if n < 2 { return n }
    return fib(n - 1) + fib(n - 2)
  }
  xs = []
  i = 0
  while i < 10 { xs = append(xs, fib(i)); i += 1 }
  print(xs[-1], len(xs), sum(xs), mean(xs), max(xs), min(xs))
  """,
  """
  r = {a: 1, "b c": [1, 2, {d: "x\\n\\t\\"q\\""}]}
  r.a = r.a * 2 ** 3 % 5
  r["b c"][2].d = "y"
  for k in keys(r) { print(k, type(r[k]), str(r[k])) }
  s = "text" + 3 + [1] + none
  ok = not (1 < 2) or 3 >= 3 and "a" != "b"
  """,
  """
  f = fn(x, y: 2) { return x * y }
  total = 0
  for v in range(0, 20, 3) {
    if v == 9 { continue }
    if v > 15 { break } else if v < 2 { total -= 1 } else { total += f(v, y: 0.5) }
  }
  print(round(total, 2), help(round))
  """,
]

private let fragments = [
  "(", ")", "[", "]", "{", "}", ",", ":", ".", "\n", " ", "\"", "#", "=", "==", "+", "-", "*",
  "/", "%", "**", "<", ">=", "and", "or", "not", "if", "else", "for", "in", "while", "fn",
  "return", "break", "continue", "none", "true", "x", "r", "print", "len", "0", "1e308", "-1",
  "1e", "\\", "'", "@", "!", "&&", "\t", "range(", "xs[", "fib(", "\u{301}", "é", "\r\n",
]

@Suite struct FuzzTests {
  /// Mutated and random programs must either run or fail with a diagnostic, never crash or hang.
  @Test func mutatedProgramsRunOrDiagnose() throws {
    var random = SplitMix(state: 20_260_412)
    let start = Date()
    var ran = 0
    var diagnosed = 0

    for round in 0..<5_000 {
      let program = makeProgram(round: round, random: &random)
      let deadline = Date().addingTimeInterval(0.2)
      let interpreter = Interpreter { _ in }
      interpreter.interrupt = { Date() > deadline }
      do {
        _ = try interpreter.evaluate(source: program, file: "fuzz.fuse")
        ran += 1
      } catch let diagnostic as Diagnostic {
        diagnosed += 1
        let rendered = diagnostic.rendered()
        #expect(rendered.hasPrefix("fuzz.fuse:\(diagnostic.location.line):"))
        #expect(
          rendered.split(separator: "\n", omittingEmptySubsequences: false).count == 3,
          "\(rendered)")
      } catch {
        Issue.record("not a diagnostic: \(error) for program:\n\(program)")
      }
      _ = interpreter.needsMoreInput(program)
    }

    #expect(ran + diagnosed == 5_000)
    #expect(ran > 100)
    #expect(diagnosed > 100)
    #expect(Date().timeIntervalSince(start) < 120)
  }

  private func makeProgram(round: Int, random: inout SplitMix) -> String {
    if round % 10 == 9 {
      return (0..<random.below(40)).map { _ in fragments[random.below(fragments.count)] }.joined()
    }
    var characters = Array(corpus[random.below(corpus.count)])
    for _ in 0..<random.below(4) {
      guard !characters.isEmpty else { break }
      let position = random.below(characters.count)
      switch random.below(4) {
      case 0:
        let length = min(random.below(6) + 1, characters.count - position)
        characters.removeSubrange(position..<(position + length))
      case 1:
        characters.insert(contentsOf: Array(fragments[random.below(fragments.count)]), at: position)
      case 2:
        let other = random.below(characters.count)
        characters.swapAt(position, other)
      default:
        let length = min(random.below(12) + 1, characters.count - position)
        let piece = characters[position..<(position + length)]
        characters.insert(contentsOf: piece, at: random.below(characters.count))
      }
    }
    return String(characters)
  }
}
