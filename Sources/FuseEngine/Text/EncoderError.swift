/// Why the text encoder could not be loaded or could not encode its input.
public enum EncoderError: Error, Equatable, CustomStringConvertible {
  /// The model folder lacks a file the encoder needs.
  case missingFile(path: String)

  /// `config.json` is unreadable or describes a model the encoder does not implement.
  case badConfiguration(path: String, reason: String)

  /// A token sequence the encoder cannot take: empty, too long, or with an unknown id.
  case badTokens(sequence: Int, reason: String)

  /// The model folder is not there, or lacks files every model needs. `absolutePath` is
  /// the folder's absolute path when `folder` is relative; `missingFiles` is nil when there
  /// is no folder at all.
  case missingModel(folder: String, absolutePath: String?, missingFiles: [String]?)

  public var description: String {
    switch self {
    case .missingFile(let path):
      return "\(path): no such file; run scripts/fetch-minilm to fetch the model"
    case .badConfiguration(let path, let reason):
      return "\(path): \(reason)"
    case .badTokens(let sequence, let reason):
      return "token sequence \(sequence): \(reason)"
    case .missingModel(let folder, let absolutePath, let missingFiles):
      let place = folder + (absolutePath.map { " (\($0))" } ?? "")
      let problem =
        missingFiles.map { "is not a text encoder folder: no " + $0.joined(separator: ", ") }
        ?? "no such folder"
      return "\(place): \(problem); run scripts/setup (or scripts/fetch-minilm) at the "
        + "repository root to fetch all-MiniLM-L6-v2 into data/minilm, or give the folder of "
        + "another BERT sentence encoder"
    }
  }
}
