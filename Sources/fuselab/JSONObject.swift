import FuseFormat

/// A JSON value for the one-line reports FuseLab prints (`fuselab bench --json`).
indirect enum JSONValue {
  case null
  case integer(Int)
  /// A non-finite number is written as null, which JSON has in its place.
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  var text: String {
    switch self {
    case .null: return "null"
    case .integer(let value): return String(value)
    case .number(let value): return value.isFinite ? "\(value)" : "null"
    case .string(let value): return jsonQuoted(value)
    case .array(let values): return "[" + values.map(\.text).joined(separator: ", ") + "]"
    case .object(let object): return object.text
    }
  }
}

/// A JSON object that keeps its fields in the order they were set.
struct JSONObject {
  private var fields: [(key: String, value: JSONValue)] = []

  init(_ fields: [(String, JSONValue)] = []) {
    for (key, value) in fields { self[key] = value }
  }

  subscript(key: String) -> JSONValue? {
    get { fields.first { $0.key == key }?.value }
    set {
      let index = fields.firstIndex { $0.key == key }
      switch (index, newValue) {
      case (let index?, let value?): fields[index].value = value
      case (let index?, nil): fields.remove(at: index)
      case (nil, let value?): fields.append((key, value))
      case (nil, nil): break
      }
    }
  }

  /// The object on one line, as Python's json.dumps writes it: `{"key": value, ...}`.
  var text: String {
    "{"
      + fields.map { JSONValue.string($0.key).text + ": " + $0.value.text }
      .joined(separator: ", ") + "}"
  }
}
