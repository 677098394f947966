import Foundation
import FuseLanguage

/// Why a script or notebook could not be read: it is missing, a folder, unreadable.
struct ScriptReadError: Error, CustomStringConvertible {
  var description: String
}

/// A file that was read but is not UTF-8 text, located at its first bad byte so that it reads
/// like any other error in a script.
struct ScriptEncodingError: Error {
  var diagnostic: Diagnostic
}

/// The name diagnostics give a script read from standard input.
let standardInputName = "<stdin>"

/// The text of a script (or, with `kind`, a notebook).
///
/// Read through a file handle, so that pipes and devices work too: `fuselab run /dev/stdin`
/// and `fuselab run <(generate)`.
///
/// - Throws: `ScriptReadError` when the file cannot be read, `ScriptEncodingError` when it is
///   not UTF-8.
func readScript(_ path: String, kind: String = "script") throws -> String {
  var isFolder: ObjCBool = false
  guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
    throw ScriptReadError(description: "no such \(kind): \(path)")
  }
  guard !isFolder.boolValue else {
    throw ScriptReadError(description: "\(path) is a folder, not a \(kind)")
  }
  guard let handle = FileHandle(forReadingAtPath: path),
    let data = try? handle.readToEnd() ?? Data()
  else {
    throw ScriptReadError(description: "cannot read \(path)")
  }
  return try decodeScript(data, file: path)
}

/// All of standard input, as a script called `<stdin>`.
///
/// - Throws: like `readScript`.
func readStandardInputScript() throws -> String {
  guard let data = try? FileHandle.standardInput.readToEnd() ?? Data() else {
    throw ScriptReadError(description: "cannot read standard input")
  }
  return try decodeScript(data, file: standardInputName)
}

private func decodeScript(_ data: Data, file: String) throws -> String {
  let bytes = Array(data)
  guard let badOffset = firstInvalidUTF8Offset(bytes) else {
    return String(decoding: bytes, as: UTF8.self)
  }
  throw ScriptEncodingError(diagnostic: encodingDiagnostic(bytes, badOffset: badOffset, file: file))
}

/// The error at `badOffset`, the first byte of `bytes` that is not UTF-8, with the line and
/// column counted as the lexer counts them (characters; any line break ends a line).
func encodingDiagnostic(_ bytes: [UInt8], badOffset: Int, file: String) -> Diagnostic {
  let before = String(decoding: bytes[..<badOffset], as: UTF8.self)

  var line = 1
  var lineStart = before.startIndex
  for index in before.indices where before[index].isNewline {
    line += 1
    lineStart = before.index(after: index)
  }
  let column = before[lineStart...].count + 1

  // The rest of the line, shown with U+FFFD where bytes are not UTF-8.
  let rest = bytes[badOffset...].prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
  let sourceLine = String(before[lineStart...]) + String(decoding: rest, as: UTF8.self)

  var message = "invalid UTF-8 byte 0x" + String(bytes[badOffset], radix: 16, uppercase: true)
  if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
    message += "; this file is UTF-16 text, save it as UTF-8"
  } else {
    message += "; scripts must be UTF-8 text"
  }
  return Diagnostic(
    kind: .lexing, message: message,
    location: SourceLocation(file: file, line: line, column: column, length: 1),
    sourceLine: sourceLine)
}

/// The offset of the first byte that does not belong to a valid UTF-8 sequence, or nil.
func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
  var offset = 0
  var decoder = UTF8()
  var iterator = bytes.makeIterator()
  while true {
    switch decoder.decode(&iterator) {
    case .scalarValue(let scalar):
      offset += UTF8.width(scalar)
    case .emptyInput:
      return nil
    case .error:
      return offset
    }
  }
}
