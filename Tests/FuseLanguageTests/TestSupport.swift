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
