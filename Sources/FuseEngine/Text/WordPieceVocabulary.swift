import Foundation

/// A WordPiece vocabulary: token strings by id, and a prefix tree over their
/// Unicode scalars for greedy longest-match-first lookup.
///
/// Tokens are compared scalar by scalar, not as Swift `String`s: two strings
/// that Swift treats as equal because they are canonically equivalent (a
/// precomposed "é" and "e" with a combining accent) are different tokens here,
/// as they are to the Python and Rust tokenizers.
public struct WordPieceVocabulary: Sendable {
  /// Every token, indexed by its id.
  public let tokens: [String]

  /// The prefix that marks a piece continuing a word, "##" in BERT.
  public let continuingSubwordPrefix: String

  /// Child node of (node, scalar), keyed by `node << 21 | scalar`.
  private var edges: [UInt64: Int32] = [:]

  /// The token id ending at each node, or -1.
  private var terminalIDs: [Int32] = [-1]

  /// The node reached by the continuing prefix, if any token starts with it.
  private var continuationRoot: Int32?

  /// Builds the vocabulary; a token's id is its index in `tokens`.
  ///
  /// When a token string appears twice, lookups find the later id, as BERT's
  /// own loaders do.
  public init(tokens: [String], continuingSubwordPrefix: String = "##") {
    self.tokens = tokens
    self.continuingSubwordPrefix = continuingSubwordPrefix
    edges.reserveCapacity(tokens.count * 4)
    for (id, token) in tokens.enumerated() {
      var node: Int32 = 0
      for scalar in token.unicodeScalars { node = child(of: node, scalar, creating: true)! }
      terminalIDs[Int(node)] = Int32(id)
    }
    continuationRoot = walk(0, Array(continuingSubwordPrefix.unicodeScalars)[...])
  }

  /// The number of tokens.
  public var count: Int { tokens.count }

  /// The id of a token, compared scalar by scalar.
  public func id(of token: String) -> Int32? {
    guard let node = walk(0, Array(token.unicodeScalars)[...]) else { return nil }
    let id = terminalIDs[Int(node)]
    return id >= 0 ? id : nil
  }

  /// The token with this id, if the id is in range.
  public func token(for id: Int32) -> String? {
    tokens.indices.contains(Int(id)) ? tokens[Int(id)] : nil
  }

  /// Splits one word into the longest pieces the vocabulary holds, left to right.
  ///
  /// Every piece after the first is looked up with the continuing prefix.
  /// - Returns: `false`, leaving `pieces` as it was, when some part of the
  ///   word matches no token; the caller then uses the unknown token for the word.
  func appendPieces(
    of scalars: [Unicode.Scalar], in word: Range<Int>, to pieces: inout [Int32]
  ) -> Bool {
    let firstNew = pieces.count
    var start = word.lowerBound
    while start < word.upperBound {
      let root: Int32? = start == word.lowerBound ? 0 : continuationRoot
      guard var node = root else {
        pieces.removeSubrange(firstNew...)
        return false
      }
      var matchedID: Int32 = -1
      var matchedEnd = start
      var position = start
      while position < word.upperBound, let next = child(of: node, scalars[position]) {
        node = next
        position += 1
        if terminalIDs[Int(node)] >= 0 {
          matchedID = terminalIDs[Int(node)]
          matchedEnd = position
        }
      }
      guard matchedID >= 0 else {
        pieces.removeSubrange(firstNew...)
        return false
      }
      pieces.append(matchedID)
      start = matchedEnd
    }
    return true
  }

  private func walk(_ start: Int32, _ scalars: ArraySlice<Unicode.Scalar>) -> Int32? {
    var node = start
    for scalar in scalars {
      guard let next = child(of: node, scalar) else { return nil }
      node = next
    }
    return node
  }

  private func child(of node: Int32, _ scalar: Unicode.Scalar) -> Int32? {
    edges[UInt64(node) << 21 | UInt64(scalar.value)]
  }

  private mutating func child(of node: Int32, _ scalar: Unicode.Scalar, creating: Bool) -> Int32? {
    let key = UInt64(node) << 21 | UInt64(scalar.value)
    if let existing = edges[key] { return existing }
    let created = Int32(terminalIDs.count)
    terminalIDs.append(-1)
    edges[key] = created
    return created
  }
}

extension WordPieceVocabulary {
  /// Reads a `vocab.txt` file: one token per line, the line number (from 0) is the id.
  ///
  /// Trailing whitespace (including a carriage return) is removed from each line,
  /// and a final line break does not add an empty token.
  /// - Throws: `TokenizerError.unreadable` or `.malformed` (not UTF-8, or empty).
  public static func read(path: String, continuingSubwordPrefix: String = "##") throws
    -> WordPieceVocabulary
  {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: path))
    } catch {
      throw TokenizerError.unreadable(path: path, reason: error.localizedDescription)
    }
    guard let text = String(validating: data, as: UTF8.self) else {
      throw TokenizerError.malformed(path: path, reason: "the vocabulary is not UTF-8 text")
    }
    var lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
    if lines.last?.isEmpty == true { lines.removeLast() }
    guard !lines.isEmpty else {
      throw TokenizerError.malformed(path: path, reason: "the vocabulary has no tokens")
    }
    let tokens = lines.map { line -> String in
      var scalars = line
      while let last = scalars.last, BertCharacterClass.isWhitespace(last) {
        scalars.removeLast()
      }
      return String(scalars)
    }
    return WordPieceVocabulary(tokens: tokens, continuingSubwordPrefix: continuingSubwordPrefix)
  }
}
