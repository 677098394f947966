import FuseFormat

/// Words with a fixed meaning; none of them can name a variable.
enum Keyword: String, CaseIterable {
  case and, or, not, `if`, `else`, `for`, `in`, `while`, fn, `return`, `break`, `continue`
  case `true`, `false`, none
}

enum TokenKind: Hashable {
  case number(Double)
  case string(String)
  case name(String)
  case keyword(Keyword)
  case leftParen, rightParen, leftBracket, rightBracket, leftBrace, rightBrace
  case comma, colon, dot, semicolon
  case plus, minus, star, slash, percent, power
  case assign, plusAssign, minusAssign, starAssign, slashAssign
  case equal, notEqual, less, lessEqual, greater, greaterEqual
  case newline, end

  /// How messages name the token: "'('", "a number", "the end of the line".
  var spelling: String {
    switch self {
    case .number(let value): return "the number \(formatNumber(value))"
    case .string: return "a string"
    case .name(let name): return "'\(name)'"
    case .keyword(let keyword): return "'\(keyword.rawValue)'"
    case .newline: return "the end of the line"
    case .end: return "the end of the input"
    default: return "'\(symbol)'"
    }
  }

  var symbol: String {
    switch self {
    case .leftParen: return "("
    case .rightParen: return ")"
    case .leftBracket: return "["
    case .rightBracket: return "]"
    case .leftBrace: return "{"
    case .rightBrace: return "}"
    case .comma: return ","
    case .colon: return ":"
    case .dot: return "."
    case .semicolon: return ";"
    case .plus: return "+"
    case .minus: return "-"
    case .star: return "*"
    case .slash: return "/"
    case .percent: return "%"
    case .power: return "**"
    case .assign: return "="
    case .plusAssign: return "+="
    case .minusAssign: return "-="
    case .starAssign: return "*="
    case .slashAssign: return "/="
    case .equal: return "=="
    case .notEqual: return "!="
    case .less: return "<"
    case .lessEqual: return "<="
    case .greater: return ">"
    case .greaterEqual: return ">="
    default: return ""
    }
  }

  /// True for tokens after which a line cannot end: a line ending in one continues.
  var continuesLine: Bool {
    switch self {
    case .plus, .minus, .star, .slash, .percent, .power, .comma, .dot, .colon,
      .assign, .plusAssign, .minusAssign, .starAssign, .slashAssign,
      .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual,
      .keyword(.and), .keyword(.or), .keyword(.not):
      return true
    default:
      return false
    }
  }
}

struct Token {
  let kind: TokenKind
  let span: Span
}
