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

/// Why a JSON document did not decode as the type FuseLab reads, in plain words that name
/// the field at fault: "field 'model.branches[0].hidden' should be a list, not a string",
/// "it has no field 'dataset'". A document that is not JSON at all is placed by line and
/// column as `jsonFailureReason` places it.
func decodingFailureReason(_ error: Error, in data: Data) -> String {
  guard let failure = error as? DecodingError else { return "\(error)" }
  func place(_ path: [CodingKey]) -> String {
    path.reduce("") { text, key in
      key.intValue.map { "\(text)[\($0)]" }
        ?? (text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)")
    }
  }
  func field(_ path: [CodingKey]) -> String {
    path.isEmpty ? "the document" : "field '\(place(path))'"
  }
  switch failure {
  case .typeMismatch(let type, let context):
    return "\(field(context.codingPath)) should be \(jsonKind(of: type))"
      + (foundKind(in: context.debugDescription).map { ", not \($0)" } ?? "")
  case .valueNotFound(let type, let context):
    return "\(field(context.codingPath)) should be \(jsonKind(of: type)), not null"
  case .keyNotFound(let key, let context):
    let owner = context.codingPath.isEmpty ? "it" : field(context.codingPath)
    return "\(owner) has no field '\(key.stringValue)'"
  case .dataCorrupted(let context):
    if context.codingPath.isEmpty {
      // The decoder says only "not valid JSON"; the parser says where.
      do {
        _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
      } catch {
        return "not valid JSON: " + jsonFailureReason(error, in: data)
      }
    }
    return "\(field(context.codingPath)) " + unreadValue(context.debugDescription)
  @unknown default:
    return "\(error)"
  }
}

/// Why a value was refused: Foundation's "Cannot initialize Activation from invalid String
/// value swish." as the value itself, or FuseLab's own reason ("unknown schedule kind 'x'").
private func unreadValue(_ description: String) -> String {
  guard description.hasPrefix("Cannot initialize") else {
    return "has a value FuseLab does not write (\(description))"
  }
  guard let marker = description.range(of: " value ", options: .backwards) else {
    return "has a value FuseLab does not write"
  }
  var value = String(description[marker.upperBound...])
  if value.hasSuffix(".") { value.removeLast() }
  let isString = description[..<marker.lowerBound].hasSuffix("String")
  return "holds " + (isString ? "\"\(value)\"" : value) + ", which FuseLab does not write there"
}

/// What a Swift type is called in JSON's words.
private func jsonKind(of type: Any.Type) -> String {
  switch type {
  case is String.Type, is Substring.Type: return "a string"
  case is Bool.Type: return "true or false"
  case is Int.Type, is Int64.Type, is UInt64.Type, is Int32.Type, is UInt32.Type:
    return "a whole number"
  case is Double.Type, is Float.Type: return "a number"
  default:
    let name = "\(type)"
    if name.hasPrefix("Array<") { return "a list" }
    return "an object"
  }
}

/// What Foundation's "Expected to decode X but found Y instead." says was found, if it says.
private func foundKind(in description: String) -> String? {
  guard let start = description.range(of: "but found "),
    let end = description.range(of: " instead", range: start.upperBound..<description.endIndex)
  else { return nil }
  let found = String(description[start.upperBound..<end.lowerBound])
  switch found {
  case "an array": return "a list"
  case "a dictionary": return "an object"
  case "a string", "a number", "null": return found
  case "bool", "a bool": return "true or false"
  default: return found
  }
}
