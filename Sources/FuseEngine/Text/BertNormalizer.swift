import Foundation

/// BERT's text normalisation followed by its split into words, as the
/// `tokenizers` library's `BertNormalizer` and `BertPreTokenizer` do it.
///
/// Normalisation runs four optional steps in this order: cleaning (control
/// characters removed, every whitespace character becomes a space), spaces
/// around CJK ideographs, accent stripping (canonical decomposition, NFD, then
/// nonspacing marks, category Mn, dropped), and lower-casing one Unicode scalar
/// at a time with the full mapping (so a final capital sigma becomes σ, not ς).
/// The word split then breaks the text at whitespace and makes every punctuation
/// character a word of its own.
public struct BertNormalizer: Sendable, Equatable {
  /// Removes control characters and turns whitespace into plain spaces.
  public var cleanText: Bool

  /// Puts spaces around CJK ideographs so that each is a word.
  public var handleChineseCharacters: Bool

  /// Decomposes characters (NFD) and drops the nonspacing marks, so "Café" becomes "Cafe".
  public var stripAccents: Bool

  /// Maps every character to lower case.
  public var lowercase: Bool

  /// The settings of an uncased BERT model (all four steps on).
  public init(
    cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil,
    lowercase: Bool = true
  ) {
    self.cleanText = cleanText
    self.handleChineseCharacters = handleChineseCharacters
    // As in BERT, accents are stripped when lower-casing unless set explicitly.
    self.stripAccents = stripAccents ?? lowercase
    self.lowercase = lowercase
  }

  /// The normalised text, for display and tests.
  public func normalize(_ text: String) -> String {
    var output: [Unicode.Scalar] = []
    normalize(Array(text.unicodeScalars)[...], into: &output)
    var view = String.UnicodeScalarView()
    view.append(contentsOf: output)
    return String(view)
  }

  /// Normalises `text` into `output`, replacing what `output` held.
  func normalize(_ text: ArraySlice<Unicode.Scalar>, into output: inout [Unicode.Scalar]) {
    output.removeAll(keepingCapacity: true)
    var allASCII = true
    for scalar in text {
      if cleanText {
        if BertCharacterClass.isRemovedControl(scalar) { continue }
        if BertCharacterClass.isWhitespace(scalar) {
          output.append(" ")
          continue
        }
      }
      if handleChineseCharacters, BertCharacterClass.isChineseCharacter(scalar) {
        output.append(" ")
        output.append(scalar)
        output.append(" ")
        allASCII = false
        continue
      }
      if scalar.value >= 0x80 { allASCII = false }
      output.append(scalar)
    }

    if stripAccents, !allASCII {
      output = Self.decomposedWithoutMarks(output)
    }
    if lowercase {
      Self.lowercase(&output, allASCII: allASCII)
    }
  }

  /// The scalars in canonical decomposition (NFD) with nonspacing marks removed.
  private static func decomposedWithoutMarks(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars)
    let decomposed = String(view).decomposedStringWithCanonicalMapping
    return decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
  }

  private static func lowercase(_ scalars: inout [Unicode.Scalar], allASCII: Bool) {
    if allASCII {
      for index in scalars.indices {
        let value = scalars[index].value
        if value >= 0x41, value <= 0x5A { scalars[index] = Unicode.Scalar(value + 0x20)! }
      }
      return
    }
    var lowered: [Unicode.Scalar] = []
    lowered.reserveCapacity(scalars.count)
    for scalar in scalars {
      let value = scalar.value
      if value < 0x80 {
        lowered.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 0x20)! : scalar)
      } else {
        lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
      }
    }
    scalars = lowered
  }

  /// Splits normalised text into words: whitespace separates words and is dropped,
  /// and each punctuation character is a word of its own.
  ///
  /// - Returns: the range of each word in `scalars`, in order.
  static func splitWords(_ scalars: [Unicode.Scalar], into words: inout [Range<Int>]) {
    words.removeAll(keepingCapacity: true)
    var start: Int? = nil
    for (index, scalar) in scalars.enumerated() {
      let isSpace = BertCharacterClass.isWhitespace(scalar)
      let isPunctuation = !isSpace && BertCharacterClass.isPunctuation(scalar)
      if isSpace || isPunctuation {
        if let wordStart = start {
          words.append(wordStart..<index)
          start = nil
        }
        if isPunctuation { words.append(index..<(index + 1)) }
      } else if start == nil {
        start = index
      }
    }
    if let wordStart = start { words.append(wordStart..<scalars.count) }
  }
}
