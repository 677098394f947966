import Foundation
import FuseFormat

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes Float32 tensors, 64-bit integer tensors and string metadata as a safetensors
/// file, atomically.
///
/// The bytes go to a temporary file in the same folder, which is flushed to disk
/// (`fsync`) and then renamed over `path`; the folder is flushed too. A crash at any
/// point leaves either the old file or the new one, never a damaged mix.
/// Tensors are laid out in name order; the header is padded with spaces to a
/// multiple of 8 bytes so that the data is aligned.
public func writeSafeTensors(
  _ tensors: [String: SafeTensor], integers: [String: SafeIntegerTensor] = [:],
  metadata: [String: String] = [:], to path: String
) throws {
  let bytes = try encodeSafeTensors(tensors, integers: integers, metadata: metadata)
  try writeAtomically(bytes, to: path)
}

/// The bytes of a safetensors file holding `tensors` as F32, `integers` as I64 and
/// `metadata`. A name may be used once across both.
public func encodeSafeTensors(
  _ tensors: [String: SafeTensor], integers: [String: SafeIntegerTensor] = [:],
  metadata: [String: String] = [:]
) throws -> [UInt8] {
  if let twice = integers.keys.sorted().first(where: { tensors[$0] != nil }) {
    throw SafeTensorsError.invalidTensor(tensor: twice, reason: "the name is given twice")
  }
  let entries =
    tensors.map { ($0.key, SafeTensorDType.f32, $0.value.shape, $0.value.values.count) }
    + integers.map { ($0.key, SafeTensorDType.i64, $0.value.shape, $0.value.values.count) }
  var fields: [String] = []
  if !metadata.isEmpty {
    let pairs = metadata.keys.sorted().map { "\(jsonQuoted($0)):\(jsonQuoted(metadata[$0]!))" }
    fields.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
  }

  var offset = 0
  let ordered = entries.sorted { $0.0 < $1.0 }
  for (name, dtype, shape, valueCount) in ordered {
    if name == "__metadata__" {
      throw SafeTensorsError.invalidTensor(tensor: name, reason: "the name is reserved")
    }
    if shape.contains(where: { $0 < 0 }) {
      throw SafeTensorsError.invalidTensor(
        tensor: name, reason: "shape \(shape) has a negative size")
    }
    let count = shape.reduce(1, *)
    guard count == valueCount else {
      throw SafeTensorsError.invalidTensor(
        tensor: name, reason: "shape \(shape) holds \(count) values, given \(valueCount)")
    }
    let end = offset + dtype.size * count
    let dimensions = shape.map(String.init).joined(separator: ",")
    fields.append(
      "\(jsonQuoted(name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(dimensions)],"
        + "\"data_offsets\":[\(offset),\(end)]}")
    offset = end
  }

  var header = Array("{\(fields.joined(separator: ","))}".utf8)
  while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }

  var bytes: [UInt8] = []
  bytes.reserveCapacity(8 + header.count + offset)
  withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes.append(contentsOf: $0) }
  bytes.append(contentsOf: header)
  for (name, dtype, _, _) in ordered {
    if dtype == .f32 {
      for value in tensors[name]!.values {
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
      }
    } else {
      for value in integers[name]!.values {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
      }
    }
  }
  return bytes
}

/// Writes `bytes` to a temporary file beside `path`, flushes it, and renames it into place.
///
/// `beforeRename` runs once the temporary file is complete and flushed: tests throw from it
/// to stand for a crash at the last moment, which must leave the old file and no temporary.
func writeAtomically(
  _ bytes: [UInt8], to path: String, beforeRename: () throws -> Void = {}
) throws {
  let url = URL(fileURLWithPath: path)
  let folder = url.deletingLastPathComponent().path
  func failure(_ step: String) -> SafeTensorsError {
    .unreadable(path: path, reason: "\(step): \(writeFailureReason(errno, folder: folder))")
  }
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

  do {
    try beforeRename()
  } catch {
    unlink(temporary)
    throw error
  }
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

/// Why a write failed, in words, from the system's error number. A folder that exists but
/// takes no new files (such as /proc) reports ENOENT, whose own words, "No such file or
/// directory", would send the user looking for a folder that is there.
func writeFailureReason(_ code: Int32, folder: String) -> String {
  switch code {
  case ENOENT where FileManager.default.fileExists(atPath: folder):
    return "the folder takes no new files"
  case ENOENT: return "the folder does not exist"
  case EACCES, EPERM: return "permission denied"
  case EROFS: return "the file system is read-only"
  case ENOSPC, EDQUOT: return "no space is left on the device"
  case EISDIR: return "it is a folder"
  default: return String(cString: strerror(code))
  }
}
