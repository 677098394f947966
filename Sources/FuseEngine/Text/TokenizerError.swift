/// Why a tokenizer could not be built or configured.
///
/// Every case names the file or value at fault, so that the message alone is
/// enough to fix it.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
  /// A file the tokenizer needs is missing or cannot be read.
  case unreadable(path: String, reason: String)

  /// A file was read but does not hold what a BERT WordPiece tokenizer needs.
  case malformed(path: String, reason: String)

  /// The file describes a tokenizer this implementation does not reproduce.
  case unsupported(path: String, component: String, found: String)

  /// A token the tokenizer relies on (unknown, class, separator) is not in the vocabulary.
  case missingToken(String)

  /// A configuration value that cannot work, with the reason.
  case invalidSetting(name: String, value: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "\(path): cannot read: \(reason)"
    case .malformed(let path, let reason):
      return "\(path): \(reason)"
    case .unsupported(let path, let component, let found):
      return "\(path): \(component) is '\(found)'; only BERT WordPiece tokenizers are supported"
    case .missingToken(let token):
      return "the vocabulary has no '\(token)' token"
    case .invalidSetting(let name, let value, let reason):
      return "invalid value \(value) for '\(name)': \(reason)"
    }
  }
}
