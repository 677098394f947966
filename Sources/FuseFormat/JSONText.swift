/// `text` as a JSON string literal, quotes included: `"`, `\` and the control characters
/// below U+0020 are escaped (`\n`, `\r`, `\t`, or `\u001b` for the rest); every other
/// character is written as it is, so the result is UTF-8 JSON that any reader accepts.
///
///     jsonQuoted("say \"hi\"\n")   // "\"say \\\"hi\\\"\\n\""
public func jsonQuoted(_ text: String) -> String {
  var result = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    case _ where scalar.value < 0x20:
      let hex = String(scalar.value, radix: 16)
      result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    default: result.unicodeScalars.append(scalar)
    }
  }
  return result + "\""
}
