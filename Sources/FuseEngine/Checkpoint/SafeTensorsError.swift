/// Why a safetensors file could not be read or written.
///
/// Every case names the file and, where there is one, the tensor at fault.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
  /// The file does not exist, cannot be read, or cannot be written.
  case unreadable(path: String, reason: String)

  /// The first eight bytes or the JSON header are damaged.
  case malformedHeader(path: String, reason: String)

  /// One tensor's entry in the header is wrong (type, shape, offsets, size).
  case malformedTensor(path: String, tensor: String, reason: String)

  /// A dtype that the safetensors format does not define.
  case unknownDType(path: String, tensor: String, dtype: String)

  /// A tensor the caller asked for is not in the file.
  case missingTensor(path: String, tensor: String)

  /// A tensor has a shape other than the one the caller needs.
  case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])

  /// A tensor stored with another element type than the caller needs.
  case wrongDType(path: String, tensor: String, expected: String, found: String)

  /// Tensors handed to the writer that cannot be saved as given.
  case invalidTensor(tensor: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let path, let reason):
      return "\(path): cannot access the safetensors file: \(reason)"
    case .malformedHeader(let path, let reason):
      return "\(path): not a valid safetensors file: \(reason)"
    case .malformedTensor(let path, let tensor, let reason):
      return "\(path): tensor '\(tensor)': \(reason)"
    case .unknownDType(let path, let tensor, let dtype):
      let known = SafeTensorDType.allCases.map(\.rawValue).joined(separator: ", ")
      return "\(path): tensor '\(tensor)': unknown dtype '\(dtype)' (known: \(known))"
    case .missingTensor(let path, let tensor):
      return "\(path): no tensor named '\(tensor)'"
    case .shapeMismatch(let path, let tensor, let expected, let found):
      return "\(path): tensor '\(tensor)' has shape \(found), expected \(expected)"
    case .wrongDType(let path, let tensor, let expected, let found):
      return "\(path): tensor '\(tensor)' is stored as \(found), expected \(expected)"
    case .invalidTensor(let tensor, let reason):
      return "cannot save tensor '\(tensor)': \(reason)"
    }
  }
}
