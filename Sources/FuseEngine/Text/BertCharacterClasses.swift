/// The character classes BERT's normaliser and pre-tokeniser test, as the
/// `tokenizers` library (Rust) defines them.
///
/// Unicode categories come from Swift's own Unicode tables. `tokenizers`
/// uses older tables, so a character assigned in a recent Unicode version can
/// be classed differently (for instance counted as punctuation here and as an
/// unassigned letter there). Text in current use is not affected.
enum BertCharacterClass {
  /// Characters removed by text cleaning: NUL, U+FFFD and the "other" categories
  /// Cc, Cf and Co, except tab, line feed and carriage return. Unassigned code
  /// points (Cn) are kept, as `tokenizers` keeps them.
  static func isRemovedControl(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 {
      return asciiRemovedControl[Int(value)]
    }
    if value == 0xFFFD { return true }
    switch scalar.properties.generalCategory {
    case .control, .format, .privateUse, .surrogate: return true
    default: return false
    }
  }

  /// Unicode White_Space, plus tab, line feed and carriage return.
  static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 {
      return value == 0x20 || (value >= 0x09 && value <= 0x0D)
    }
    return scalar.properties.isWhitespace
  }

  /// ASCII punctuation and symbols (`!` to `/`, `:` to `@`, `[` to `` ` ``, `{` to `~`)
  /// and every Unicode punctuation category (Pc, Pd, Ps, Pe, Pi, Pf, Po).
  static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    let value = scalar.value
    if value < 0x80 {
      return asciiPunctuation[Int(value)]
    }
    switch scalar.properties.generalCategory {
    case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
      .initialPunctuation, .finalPunctuation, .otherPunctuation:
      return true
    default:
      return false
    }
  }

  /// The CJK ideograph blocks BERT surrounds with spaces, so that each ideograph
  /// becomes a word of its own. The ranges are those of `tokenizers`, which start
  /// the Extension E/F block at U+2B920 (BERT's Python code starts it at U+2B820).
  static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
      0x2B740...0x2B81F, 0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    default:
      return false
    }
  }

  private static let asciiRemovedControl: [Bool] = (0..<128).map { value in
    // Tab, line feed and carriage return are whitespace, not control characters.
    (value == 0 || value < 0x20 || value == 0x7F) && value != 0x09 && value != 0x0A
      && value != 0x0D
  }

  private static let asciiPunctuation: [Bool] = (0..<128).map { value in
    (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
      || (123...126).contains(value)
  }
}
