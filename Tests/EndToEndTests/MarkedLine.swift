/// One line of a script with a span marked from `1️⃣` to `2️⃣`, as swift-format's tests
/// mark text: the line without the markers, and the caret line a diagnostic draws under the
/// span.
struct MarkedLine {
  let text: String

  /// The 1-based column of the span's first character.
  let column: Int

  /// The span's length in characters.
  let length: Int

  init(_ marked: String) {
    let start = marked.components(separatedBy: "1️⃣")
    precondition(start.count == 2, "mark the start of the span once with 1️⃣")
    let end = start[1].components(separatedBy: "2️⃣")
    precondition(end.count == 2, "mark the end of the span once with 2️⃣")
    text = start[0] + end[0] + end[1]
    column = start[0].count + 1
    length = end[0].count
  }

  /// Spaces up to the span, `^` under its first character and `~` under the rest.
  var caret: String {
    String(repeating: " ", count: column - 1) + "^" + String(repeating: "~", count: length - 1)
  }
}
