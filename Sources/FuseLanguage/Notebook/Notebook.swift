/// A Markdown file whose fenced `fuse` code blocks are cells.
///
/// The notebook keeps every line of the file as it was read, line break included, so that
/// rendering it again with new outputs changes nothing but the output blocks. Each cell knows
/// where it sits in the file and which lines its recorded output occupies.
public struct Notebook: Equatable, Sendable {
  /// The info string word that marks a cell: ```` ```fuse ````.
  public static let cellLanguage = "fuse"
  /// The info string of the block that records what a cell printed.
  public static let outputInfo = "output"
  /// The info string of the block that records the error a cell stopped with.
  public static let errorInfo = "error"

  /// The file's lines, each with its own line break (the last may have none).
  public var lines: [String]
  /// The line break new lines are written with: the file's first one, "\n" when it has none.
  public var lineBreak: String
  public var cells: [NotebookCell]

  /// Reads a notebook; throws `NotebookError` when a `fuse` cell is never closed.
  public init(text: String) throws {
    lines = splitKeepingLineBreaks(text)
    let firstBreak = lines.first(where: { $0.last?.isNewline == true })?.last
    lineBreak = firstBreak == "\r\n" ? "\r\n" : "\n"
    cells = try NotebookParser(lines: lines).cells()
  }

  /// The file's text, unchanged.
  public var text: String { lines.joined() }

  /// The name a cell's source is run under, so that a diagnostic can be traced back to its
  /// cell even when it points into a function another cell defined.
  public static func sourceName(ofCell number: Int) -> String {
    "<notebook cell \(number)>"
  }
}

/// One `fuse` code block, and the output recorded below it.
public struct NotebookCell: Equatable, Sendable {
  /// 1-based position among the notebook's cells.
  public var number: Int
  /// 1-based line of the opening fence in the file.
  public var fenceLine: Int
  /// Spaces before the opening fence; removed from the cell's lines, added to its outputs.
  public var indentation: Int
  /// The cell's code, lines joined with "\n", without the fences.
  public var source: String
  /// How many leading spaces were removed from each source line (for column mapping).
  public var removedIndentation: [Int]
  /// 0-based index of the closing fence in `Notebook.lines`.
  public var closingIndex: Int
  /// The lines after the closing fence that hold the recorded output and error blocks
  /// (0-based, half-open); empty, starting right after the closing fence, when none is recorded.
  public var recordedLines: Range<Int>
  /// What the file records for this cell.
  public var recorded: CellResult

  /// 1-based file line of the cell's first source line.
  public var firstSourceLine: Int { fenceLine + 1 }
}

/// What running a cell produced: the lines it printed and, when it failed, the error's lines.
///
/// Lines are kept without trailing white space and without trailing empty lines, so that an
/// editor that trims white space on save does not make a notebook fail its check.
public struct CellResult: Equatable, Sendable {
  public var output: [String]
  /// nil when the cell ran to its end.
  public var error: [String]?

  public init(output: [String] = [], error: [String]? = nil) {
    self.output = output
    self.error = error
  }

  /// Builds a result from raw printed text and an optional rendered error.
  public init(printed: String, error: String?) {
    output = normalizedLines(printed)
    self.error = error.map(normalizedLines)
  }

  public var isEmpty: Bool { output.isEmpty && error == nil }
}

/// What is wrong with a notebook file itself, before any cell runs.
public struct NotebookError: Error, Equatable, CustomStringConvertible {
  public var line: Int
  public var column: Int
  public var message: String

  public var description: String { "\(line):\(column): \(message)" }
}

/// Splits text into lines that keep their line breaks ("\n" or "\r\n").
func splitKeepingLineBreaks(_ text: String) -> [String] {
  var lines: [String] = []
  var current = ""
  for character in text {
    current.append(character)
    // "\r\n" is one Character in Swift.
    if character == "\n" || character == "\r\n" {
      lines.append(current)
      current = ""
    }
  }
  if !current.isEmpty { lines.append(current) }
  return lines
}

/// A line without its line break.
func content(of line: String) -> String {
  var text = Substring(line)
  while let last = text.last, last == "\n" || last == "\r\n" || last == "\r" {
    text = text.dropLast()
  }
  return String(text)
}

/// Printed text as the lines a notebook records: trailing white space and empty lines dropped.
func normalizedLines(_ text: String) -> [String] {
  var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map {
    line -> String in
    var trimmed = Substring(line)
    while let last = trimmed.last, last == " " || last == "\t" { trimmed = trimmed.dropLast() }
    return String(trimmed)
  }
  while lines.last?.isEmpty == true { lines.removeLast() }
  return lines
}
