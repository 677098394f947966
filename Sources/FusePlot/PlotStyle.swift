/// How a plot is drawn: its width in terminal columns and the characters it may use.
///
/// Plots never use colour. The caller passes the terminal width (or 80 for a log file) and
/// picks ASCII when the output may end up somewhere that cannot show block characters.
public struct PlotStyle: Sendable, Equatable {
  /// The character repertoire a plot draws with.
  public enum Characters: Sendable, Equatable {
    /// Eighth blocks for bars, box-drawing axes, geometric markers for line series.
    case unicode
    /// `#` bars, `|` and `-` axes, `* o x +` markers.
    case ascii
  }

  /// Total width of every line, in columns. Plots stay within it down to a small minimum.
  public var width: Int
  public var characters: Characters

  public init(width: Int = 80, characters: Characters = .unicode) {
    self.width = width
    self.characters = characters
  }

  public static let unicode = PlotStyle()
  public static let ascii = PlotStyle(characters: .ascii)

  var glyphs: Glyphs { characters == .unicode ? .unicode : .ascii }
}

/// The characters one style draws with.
struct Glyphs {
  var fullBlock: Character
  /// Partial blocks for 1/8 ... 7/8 of a cell; empty when the style only draws whole cells.
  var eighths: [Character]
  var verticalAxis: Character
  var horizontalAxis: Character
  var corner: Character
  var yTick: Character
  var zeroTick: Character
  var rangeDash: String
  var bestMark: String
  var markers: [Character]

  static let unicode = Glyphs(
    fullBlock: "█", eighths: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"],
    verticalAxis: "│", horizontalAxis: "─", corner: "└", yTick: "┤", zeroTick: "┴",
    rangeDash: " – ", bestMark: "← best", markers: ["●", "○", "■", "◆", "▲", "□"])

  static let ascii = Glyphs(
    fullBlock: "#", eighths: [],
    verticalAxis: "|", horizontalAxis: "-", corner: "+", yTick: "+", zeroTick: "+",
    rangeDash: " - ", bestMark: "<- best", markers: ["*", "o", "x", "+", "#", "@"])

  func marker(_ index: Int) -> Character { markers[index % markers.count] }

  /// A horizontal bar `cells` long, drawn with eighth blocks when the style has them.
  func bar(cells: Double) -> String {
    guard cells > 0 else { return "" }
    if eighths.isEmpty {
      return String(repeating: fullBlock, count: Int(cells.rounded()))
    }
    var whole = Int(cells.rounded(.down))
    let parts = Int(((cells - Double(whole)) * 8).rounded())
    if parts == 8 { whole += 1 }
    var text = String(repeating: fullBlock, count: whole)
    if parts > 0 && parts < 8 { text.append(eighths[parts - 1]) }
    return text
  }
}
