import Testing

@testable import FuseLanguage

/// Runs `source` in a fresh interpreter and returns what it printed.
func output(of source: String, file: String = "test.fuse") throws -> String {
  var printed = ""
  let interpreter = Interpreter { printed += $0 }
  try interpreter.run(source: source, file: file)
  return printed
}

/// The value of a program's last bare expression, run in a fresh interpreter.
func value(of source: String) throws -> Value? {
  let interpreter = Interpreter { _ in }
  return try interpreter.evaluate(source: source, file: "test.fuse")
}

/// The diagnostic a program raises, or nil when it runs cleanly.
func diagnostic(of source: String, file: String = "test.fuse") -> Diagnostic? {
  let interpreter = Interpreter { _ in }
  do {
    try interpreter.run(source: source, file: file)
    return nil
  } catch let diagnostic as Diagnostic {
    return diagnostic
  } catch {
    return nil
  }
}

/// The diagnostic a program raises in a session with the engine's builtins, and what the
/// program printed before it. Progress lines are dropped.
func engineRun(_ source: String, file: String = "test.fuse") -> (
  output: String, diagnostic: Diagnostic?
) {
  var printed = ""
  let interpreter = Interpreter { printed += $0 }
  interpreter.registerEngineBuiltins(host: EngineHost(threads: 1))
  do {
    try interpreter.run(source: source, file: file)
    return (printed, nil)
  } catch let diagnostic as Diagnostic {
    return (printed, diagnostic)
  } catch {
    return (printed + "\(error)", nil)
  }
}

/// Expects `source` to fail, run with the engine's builtins, with `message` (or, with
/// `prefix`, a message starting with it) at the place `source` marks.
func expectEngineError(
  _ source: MarkedSource, _ message: String, prefix: Bool = false,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let found = engineRun(source.text).diagnostic
  let text = found?.message ?? "no error"
  #expect(
    prefix ? text.hasPrefix(message) : text == message, "\(text)", sourceLocation: sourceLocation)
  #expect(found?.location.line == source.line, sourceLocation: sourceLocation)
  #expect(found?.location.column == source.column, sourceLocation: sourceLocation)
}

/// Source text with one place marked by `1️⃣`, as swift-format's tests write it: the text
/// without the marker, and the 1-based line and column the marker stood at.
struct MarkedSource {
  let text: String
  let line: Int
  let column: Int

  init(_ marked: String) {
    var text = ""
    var line = 1
    var column = 1
    var found: (Int, Int)?
    for character in marked {
      if character == "1️⃣" {
        found = (line, column)
        continue
      }
      text.append(character)
      if character.isNewline {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    precondition(found != nil, "the marked source has no 1️⃣")
    self.text = text
    (self.line, self.column) = found!
  }
}
