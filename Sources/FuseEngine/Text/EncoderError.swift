/// Why the text encoder could not be loaded or could not encode its input.
public enum EncoderError: Error, Equatable, CustomStringConvertible {
  /// The model folder lacks a file the encoder needs.
  case missingFile(path: String)

  /// `config.json` is unreadable or describes a model the encoder does not implement.
  case badConfiguration(path: String, reason: String)

  /// A token sequence the encoder cannot take: empty, too long, or with an unknown id.
  case badTokens(sequence: Int, reason: String)

  public var description: String {
    switch self {
    case .missingFile(let path):
      return "\(path): no such file; run scripts/fetch-minilm to fetch the model"
    case .badConfiguration(let path, let reason):
      return "\(path): \(reason)"
    case .badTokens(let sequence, let reason):
      return "token sequence \(sequence): \(reason)"
    }
  }
}
