import Foundation

/// Writes files so that a crash never leaves a half-written one behind.
public enum AtomicFile {
  public struct WriteError: Error, CustomStringConvertible {
    public var description: String
  }

  /// Replaces the file at `path` with `text`: writes a temporary file beside it, flushes it
  /// to disk, gives it the old file's permissions, then renames it over the old one. Until the
  /// rename the old file is untouched; after it the new one is complete. A symbolic link is
  /// followed, so the file it points to is replaced and the link stays.
  public static func write(_ text: String, to path: String) throws {
    let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    let folder = (target as NSString).deletingLastPathComponent
    let name = (target as NSString).lastPathComponent
    var template = Array(
      ((folder.isEmpty ? "." : folder) + "/." + name + ".fuselab-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw WriteError(
        description: "cannot create a temporary file beside \(path): "
          + String(cString: strerror(errno)))
    }
    let temporary = String(cString: template)
    var renamed = false
    defer {
      if !renamed { unlink(temporary) }
    }

    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes {
        Glibc.write(descriptor, $0.baseAddress, $0.count)
      }
      guard count > 0 else {
        close(descriptor)
        throw WriteError(description: "cannot write \(path): " + String(cString: strerror(errno)))
      }
      written += count
    }
    var status = stat()
    let mode = stat(target, &status) == 0 ? status.st_mode & 0o7777 : 0o644
    fchmod(descriptor, mode)
    let synced = fsync(descriptor) == 0
    close(descriptor)
    guard synced else {
      throw WriteError(
        description: "cannot flush \(path) to disk: " + String(cString: strerror(errno)))
    }
    guard rename(temporary, target) == 0 else {
      throw WriteError(description: "cannot replace \(path): " + String(cString: strerror(errno)))
    }
    renamed = true
  }
}
