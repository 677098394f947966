import Foundation

/// Runs the built `fuselab` on a pseudo-terminal, so that the REPL, readline and progress
/// behave as they do for a person: type lines, press Tab, send Ctrl-C, read the screen.
///
/// Everything the program writes (stdout and stderr, both on the terminal) is collected in
/// `transcript`. `expect` waits for text after the previous match, as pexpect does, so a test
/// types each line only once the prompt for it is there.
final class TerminalSession {
  let process = Process()
  /// The temporary home folder the program runs with; its history file lands here.
  let home: URL
  private let master: Int32
  private let lock = NSLock()
  private var output = Data()
  private var readerDone = DispatchSemaphore(value: 0)
  /// Where the next `expect` starts looking, in `transcript`'s characters.
  private var cursor: String.Index?

  /// Starts `fuselab` with `arguments` on a fresh terminal of `columns` columns, in a fresh
  /// home folder (see `FuselabProcess.isolatedEnvironment`).
  init(
    _ arguments: [String] = [], environment extra: [String: String?] = [:], columns: UInt16 = 100
  )
    throws
  {
    guard let binary = FuselabProcess.binary else { throw FuselabProcess.MissingBinary() }
    let (environment, home) = try FuselabProcess.isolatedEnvironment(extra)
    self.home = home

    // posix_openpt and ptsname are not in Swift's Glibc module; these are their ioctls.
    master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
    var unlock: Int32 = 0
    var number: UInt32 = 0
    guard master >= 0, ioctl(master, TerminalSession.unlockRequest, &unlock) == 0,
      ioctl(master, TerminalSession.numberRequest, &number) == 0
    else { throw TerminalError(message: "no pseudo-terminal: \(String(cString: strerror(errno)))") }
    var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
    guard slave >= 0 else { throw TerminalError(message: "cannot open /dev/pts/\(number)") }
    defer { close(slave) }

    var terminalEnvironment = environment
    // A dumb terminal keeps readline's output plain; no ~/.inputrc or system one applies.
    terminalEnvironment["TERM"] = "dumb"
    terminalEnvironment["INPUTRC"] = "/dev/null"
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = FuselabProcess.repositoryRoot
    process.environment = terminalEnvironment
    let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
    process.standardInput = handle
    process.standardOutput = handle
    process.standardError = handle
    try process.run()

    let thread = Thread { [self] in readUntilClosed() }
    thread.start()
  }

  /// TIOCSPTLCK and TIOCGPTN on Linux.
  private static let unlockRequest: UInt = 0x4004_5431
  private static let numberRequest: UInt = 0x8004_5430

  /// A test that failed half-way must not leave the program running. SIGKILL, because the
  /// test runner's threads block SIGTERM and the child inherits that mask.
  deinit {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    close(master)
  }

  /// Everything written to the terminal so far, line breaks as `\n` (the terminal's `\r\n`).
  var transcript: String {
    lock.lock()
    defer { lock.unlock() }
    return String(decoding: output, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
  }

  /// Types `text` (a `\t` is Tab, `\u{4}` is Ctrl-D).
  func send(_ text: String) {
    let bytes = Array(text.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  /// Ctrl-C. The program has no controlling terminal, so the signal is sent, not typed.
  func interrupt() {
    kill(process.processIdentifier, SIGINT)
  }

  /// Waits until `text` appears after the previous match; returns the transcript up to and
  /// including it. Throws with the whole transcript when it has not come within `timeout`.
  @discardableResult
  func expect(_ text: String, timeout: TimeInterval = 60) throws -> String {
    let deadline = Date().addingTimeInterval(timeout)
    while true {
      let current = transcript
      let start = cursor.map { min($0, current.endIndex) } ?? current.startIndex
      if let found = current.range(of: text, range: start..<current.endIndex) {
        cursor = found.upperBound
        return String(current[..<found.upperBound])
      }
      if Date() > deadline || (!process.isRunning && readerFinished) {
        throw TerminalError(message: "waited for \(text.debugDescription); got:\n\(current)")
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
  }

  /// Waits for the program to end; returns its exit status.
  func waitForExit(timeout: TimeInterval = 60) throws -> Int32 {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
      if Date() > deadline {
        kill(process.processIdentifier, SIGKILL)
        throw TerminalError(message: "fuselab did not exit; transcript:\n\(transcript)")
      }
      Thread.sleep(forTimeInterval: 0.02)
    }
    _ = readerDone.wait(timeout: .now() + 5)
    readerDone.signal()
    return process.terminationStatus
  }

  private var readerFinished: Bool {
    guard readerDone.wait(timeout: .now()) == .success else { return false }
    readerDone.signal()
    return true
  }

  private func readUntilClosed() {
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count = read(master, &buffer, buffer.count)
      if count < 0 && errno == EINTR { continue }
      // EIO once the program has closed its end of the terminal.
      guard count > 0 else { break }
      lock.lock()
      output.append(contentsOf: buffer[0..<count])
      lock.unlock()
    }
    readerDone.signal()
  }

  struct TerminalError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
  }
}
