import Foundation

/// Why a JSON file did not parse, placed by line and column when Foundation says where:
/// "line 3, column 12: invalid value" instead of "around character 41", or Foundation's
/// own words ("unexpected end of file during JSON parse") when it gives no place.
func jsonFailureReason(_ error: Error, in data: Data) -> String {
  let detail =
    (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
    ?? error.localizedDescription
  var words = detail.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
  if let first = words.first { words = first.lowercased() + words.dropFirst() }
  guard let marker = words.range(of: " around character "),
    let offset = Int(words[marker.upperBound...].prefix(while: \.isNumber))
  else { return words }

  // Foundation counts bytes from 0; people count lines and characters from 1.
  let before = data.prefix(max(0, min(offset, data.count)))
  let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
  let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
  let column = String(decoding: before[lineStart...], as: UTF8.self).count + 1
  return "line \(line), column \(column): \(words[..<marker.lowerBound])"
}
