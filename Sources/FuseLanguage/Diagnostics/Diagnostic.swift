import Foundation

/// Where something is in a program: 1-based line and column, and how many characters it spans.
public struct SourceLocation: Equatable, Sendable {
  public var file: String
  public var line: Int
  public var column: Int
  public var length: Int

  public init(file: String, line: Int, column: Int, length: Int) {
    self.file = file
    self.line = line
    self.column = column
    self.length = length
  }
}

/// An error in a program, found while reading it or while running it.
public struct Diagnostic: Error, Equatable, CustomStringConvertible, LocalizedError {
  public enum Kind: String, Sendable {
    case lexing, parsing, runtime
    /// The run was stopped by the interrupt hook (Ctrl-C).
    case interrupted
  }

  public var kind: Kind
  public var message: String
  public var location: SourceLocation
  /// The text of the line the error is on, without its line break.
  public var sourceLine: String

  public init(kind: Kind, message: String, location: SourceLocation, sourceLine: String) {
    self.kind = kind
    self.message = message
    self.location = location
    self.sourceLine = sourceLine
  }

  public var description: String { rendered() }

  /// The message and its place on one line, `division by zero (run.fuse:3:9)`: what a
  /// training history's stop reason quotes when a rate rule fails.
  public var errorDescription: String? {
    "\(message) (\(location.file):\(location.line):\(location.column))"
  }

  /// The diagnostic as a compiler would print it: a header, the source line, and a caret line.
  ///
  ///     run.fuse:3:7: error: undefined variable 'lr'; did you mean 'rate'?
  ///     print(lr * 2)
  ///           ^~
  public func rendered() -> String {
    // A message quoting a name with a line break in it must still fit on one line.
    let oneLine = message.map { $0.isNewline ? "\\n" : $0 == "\t" ? "\\t" : String($0) }.joined()
    let header =
      "\(location.file):\(location.line):\(location.column): error: \(oneLine)"
    return header + "\n" + sourceLine + "\n" + caretLine()
  }

  private func caretLine() -> String {
    let line = Array(sourceLine)
    let start = max(0, location.column - 1)

    // Copy tabs from the source so the caret lines up in any terminal.
    var caret = ""
    for index in 0..<start {
      caret += index < line.count && line[index] == "\t" ? "\t" : " "
    }
    let available = max(1, line.count - start)
    let length = max(1, min(location.length, available))
    return caret + "^" + String(repeating: "~", count: length - 1)
  }
}

/// A program's text, split into lines, shared by every span that points into it.
final class SourceFile {
  let name: String
  let lines: [String]

  init(name: String, text: String) {
    self.name = name
    lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
      .map(String.init)
  }

  func line(_ number: Int) -> String {
    number >= 1 && number <= lines.count ? lines[number - 1] : ""
  }
}

/// A stretch of one line of a source file.
struct Span {
  let file: SourceFile
  let line: Int
  let column: Int
  let length: Int

  /// The span from this one's start to the end of `other`, clipped to this line.
  func through(_ other: Span) -> Span {
    guard other.line == line else {
      let rest = file.line(line).count - column + 1
      return Span(file: file, line: line, column: column, length: max(1, rest))
    }
    let end = max(column + length, other.column + other.length)
    return Span(file: file, line: line, column: column, length: end - column)
  }

  var location: SourceLocation {
    SourceLocation(file: file.name, line: line, column: column, length: length)
  }

  func diagnostic(_ kind: Diagnostic.Kind, _ message: String) -> Diagnostic {
    Diagnostic(kind: kind, message: message, location: location, sourceLine: file.line(line))
  }
}
