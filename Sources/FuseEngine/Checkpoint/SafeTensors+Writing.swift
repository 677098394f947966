import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes Float32 tensors and string metadata as a safetensors file, atomically.
///
/// The bytes go to a temporary file in the same folder, which is flushed to disk
/// (`fsync`) and then renamed over `path`; the folder is flushed too. A crash at any
/// point leaves either the old file or the new one, never a damaged mix.
/// Tensors are laid out in name order; the header is padded with spaces to a
/// multiple of 8 bytes so that the data is aligned.
public func writeSafeTensors(
  _ tensors: [String: SafeTensor], metadata: [String: String] = [:], to path: String
) throws {
  let bytes = try encodeSafeTensors(tensors, metadata: metadata)
  try writeAtomically(bytes, to: path)
}

/// The bytes of a safetensors file holding `tensors` as F32 and `metadata`.
public func encodeSafeTensors(
  _ tensors: [String: SafeTensor], metadata: [String: String] = [:]
) throws -> [UInt8] {
  let names = tensors.keys.sorted()
  var fields: [String] = []
  if !metadata.isEmpty {
    let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
    fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
  }

  var offset = 0
  for name in names {
    let tensor = tensors[name]!
    if name == "__metadata__" {
      throw SafeTensorsError.invalidTensor(tensor: name, reason: "the name is reserved")
    }
    if tensor.shape.contains(where: { $0 < 0 }) {
      throw SafeTensorsError.invalidTensor(
        tensor: name, reason: "shape \(tensor.shape) has a negative size")
    }
    let count = tensor.shape.reduce(1, *)
    guard count == tensor.values.count else {
      throw SafeTensorsError.invalidTensor(
        tensor: name,
        reason: "shape \(tensor.shape) holds \(count) values, given \(tensor.values.count)")
    }
    let end = offset + 4 * count
    let shape = tensor.shape.map(String.init).joined(separator: ",")
    fields.append(
      "\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],"
        + "\"data_offsets\":[\(offset),\(end)]}")
    offset = end
  }

  var header = Array("{\(fields.joined(separator: ","))}".utf8)
  while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

  var bytes: [UInt8] = []
  bytes.reserveCapacity(8 + header.count + offset)
  withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
  bytes.append(contentsOf: header)
  for name in names {
    for value in tensors[name]!.values {
      withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }
  }
  return bytes
}

/// A JSON string literal for `text`, escaping what JSON requires.
func jsonString(_ text: String) -> String {
  var result = "\""
  for scalar in text.unicodeScalars {
    switch scalar {
    case "\"": result += "\\\""
    case "\\": result += "\\\\"
    case "\n": result += "\\n"
    case "\r": result += "\\r"
    case "\t": result += "\\t"
    case _ where scalar.value < 0x20:
      result += String(format: "\\u%04x", scalar.value)
    default: result.unicodeScalars.append(scalar)
    }
  }
  return result + "\""
}

/// Writes `bytes` to a temporary file beside `path`, flushes it, and renames it into place.
func writeAtomically(_ bytes: [UInt8], to path: String) throws {
  func failure(_ step: String) -> SafeTensorsError {
    .unreadable(path: path, reason: "\(step): \(String(cString: strerror(errno)))")
  }

  let url = URL(fileURLWithPath: path)
  let folder = url.deletingLastPathComponent().path
  let temporary = "\(folder)/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
  let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
  guard descriptor >= 0 else { throw failure("cannot create a temporary file in \(folder)") }

  var written = 0
  let wroteAll = bytes.withUnsafeBytes { raw -> Bool in
    while written < raw.count {
      let result = write(descriptor, raw.baseAddress! + written, raw.count - written)
      if result < 0 {
        if errno == EINTR { continue }
        return false
      }
      written += result
    }
    return true
  }
  guard wroteAll, fsync(descriptor) == 0 else {
    let error = failure("cannot write the temporary file")
    close(descriptor)
    unlink(temporary)
    throw error
  }
  close(descriptor)

  guard rename(temporary, path) == 0 else {
    let error = failure("cannot move the temporary file into place")
    unlink(temporary)
    throw error
  }

  // Flush the folder so that the rename itself survives a crash.
  let folderDescriptor = open(folder, O_RDONLY)
  if folderDescriptor >= 0 {
    fsync(folderDescriptor)
    close(folderDescriptor)
  }
}
