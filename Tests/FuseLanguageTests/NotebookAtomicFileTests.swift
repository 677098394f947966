import Foundation
import Testing

@testable import FuseLanguage

@Suite struct NotebookAtomicFileTests {
  private func freshFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fuselab-atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func replacesTheFileKeepingItsPermissionsAndLeavesNoTemporaryFile() throws {
    let folder = try freshFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("nb.md")
    try "old\n".write(to: file, atomically: false, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file.path)

    try AtomicFile.write("new\r\n", to: file.path)

    #expect(try String(contentsOf: file, encoding: .utf8) == "new\r\n")
    let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
    #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["nb.md"])
  }

  @Test func aFailedWriteLeavesTheOldFileWhole() throws {
    let folder = try freshFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // A folder in the file's place makes the final rename fail after the data is written.
    let target = folder.appendingPathComponent("nb.md")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
    let inside = target.appendingPathComponent("keep.txt")
    try "keep".write(to: inside, atomically: false, encoding: .utf8)

    #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: target.path) }
    #expect(try String(contentsOf: inside, encoding: .utf8) == "keep")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["nb.md"])

    let missing = folder.appendingPathComponent("no/such/folder/nb.md").path
    #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: missing) }
  }

  @Test func aSymbolicLinkStaysALink() throws {
    let folder = try freshFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let real = folder.appendingPathComponent("real.md")
    let link = folder.appendingPathComponent("link.md")
    try "old".write(to: real, atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(at: link, withDestinationURL: real)

    try AtomicFile.write("new", to: link.path)

    #expect(try String(contentsOf: real, encoding: .utf8) == "new")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
  }
}
