/// Why a checkpoint could not be saved or loaded. Every case names the file; problems
/// inside the safetensors layout itself (truncation, offsets, dtypes, a missing tensor)
/// are `SafeTensorsError`s, which name the file and the tensor.
public enum CheckpointError: Error, Equatable, CustomStringConvertible {
  /// A readable safetensors file that is not a FuseLab checkpoint.
  case notACheckpoint(path: String, reason: String)

  /// A checkpoint written in a later format than this FuseLab reads.
  case unsupportedVersion(path: String, version: Int, supported: Int)

  /// The configuration in the metadata is damaged or contradicts the tensors.
  case invalidConfiguration(path: String, reason: String)

  /// The checkpoint was written for another data set than the one given.
  case dataMismatch(path: String, detail: String)

  /// The checkpoint was written for another architecture than the model given.
  case architectureMismatch(path: String, detail: String)

  public var description: String {
    switch self {
    case .notACheckpoint(let path, let reason):
      return "\(path): not a FuseLab checkpoint: \(reason)"
    case .unsupportedVersion(let path, let version, let supported):
      return "\(path): checkpoint format version \(version) is newer than this FuseLab reads "
        + "(\(supported)); use a newer FuseLab"
    case .invalidConfiguration(let path, let reason):
      return "\(path): damaged checkpoint: \(reason)"
    case .dataMismatch(let path, let detail), .architectureMismatch(let path, let detail):
      return "\(path): \(detail)"
    }
  }
}
