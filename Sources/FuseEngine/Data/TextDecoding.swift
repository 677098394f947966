/// The encodings a text data file may be in.
public enum TextEncoding: String, Sendable {
  case utf8 = "UTF-8"
  case windows1252 = "Windows-1252"
}

/// Returns a text file's bytes as UTF-8, with a leading byte order mark removed.
///
/// A file that is valid UTF-8 is kept as it is. Any other file is read as
/// Windows-1252, the usual encoding of spreadsheets saved on Windows and a
/// superset of Latin-1 for printable text: every byte maps to one character,
/// so decoding never fails. The five bytes Windows-1252 leaves undefined
/// (0x81, 0x8D, 0x8F, 0x90, 0x9D) become the control characters of the same
/// number, as in Latin-1. A UTF-8 file with a few broken bytes therefore shows
/// those few characters wrongly rather than losing the line.
func utf8Text(_ bytes: [UInt8]) -> (bytes: [UInt8], encoding: TextEncoding) {
  var start = 0
  if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
  let body = bytes[start...]
  if String(validating: body, as: UTF8.self) != nil {
    return (Array(body), .utf8)
  }

  var converted: [UInt8] = []
  converted.reserveCapacity(body.count + body.count / 8)
  for byte in body {
    let scalar = byte < 0x80 || byte >= 0xA0 ? UInt32(byte) : windows1252High[Int(byte - 0x80)]
    converted.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
  }
  return (converted, .windows1252)
}

/// Where the first byte that starts no UTF-8 character is, after a byte order mark: its
/// offset, its line and its column in characters (both from 1, line breaks counted as the
/// CSV reader counts them), or nil for valid UTF-8.
func firstInvalidUTF8(_ bytes: [UInt8]) -> (offset: Int, line: Int, column: Int)? {
  var position = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
  var line = 1
  var column = 1
  func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
    position + offset < bytes.count && range.contains(bytes[position + offset])
  }
  while position < bytes.count {
    let byte = bytes[position]
    var length = 0
    switch byte {
    case 0x00...0x7F: length = 1
    case 0xC2...0xDF where continuation(1): length = 2
    case 0xE0 where continuation(1, 0xA0...0xBF) && continuation(2): length = 3
    case 0xED where continuation(1, 0x80...0x9F) && continuation(2): length = 3
    case 0xE1...0xEF where byte != 0xED && continuation(1) && continuation(2): length = 3
    case 0xF0 where continuation(1, 0x90...0xBF) && continuation(2) && continuation(3):
      length = 4
    case 0xF1...0xF3 where continuation(1) && continuation(2) && continuation(3): length = 4
    case 0xF4 where continuation(1, 0x80...0x8F) && continuation(2) && continuation(3):
      length = 4
    default: return (position, line, column)
    }
    if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
      if byte == UInt8(ascii: "\r"), continuation(1, 0x0A...0x0A) { position += 1 }
      line += 1
      column = 1
    } else {
      column += 1
    }
    position += length
  }
  return nil
}

/// The characters of bytes 0x80 to 0x9F in Windows-1252; undefined bytes map to themselves.
private let windows1252High: [UInt32] = [
  0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
  0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
]
