import Foundation

/// Writes to standard output and standard error with plain `write(2)` calls, so that a
/// failed write is an error FuseLab reports, never a trap inside Foundation.
///
/// - A failed write to standard output (a full disk, a device error) stops the program with a
///   one-line message on standard error and exit status 74 (EX_IOERR): results that cannot be
///   written must not look like a success.
/// - A closed pipe on standard output (`fuselab run x.fuse | head -1`) stops it quietly with
///   status 141, the status a shell shows for a program ended by SIGPIPE.
/// - A failed write to standard error is ignored: there is nowhere left to say so, and the
///   results on standard output still matter.
enum StandardStreams {
  /// Makes a closed pipe a write error (EPIPE) rather than a signal that kills the process,
  /// so that a closed standard error never ends a run whose results still go somewhere.
  static func install() {
    signal(SIGPIPE, SIG_IGN)
  }

  /// Writes all of `text` to `descriptor`; returns the errno of a failed write, nil on success.
  static func write(_ text: String, to descriptor: Int32) -> Int32? {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
      if written < 0 {
        if errno == EINTR { continue }
        return errno
      }
      bytes = bytes.dropFirst(written)
    }
    return nil
  }

  /// Ends the program because standard output cannot be written.
  static func outputFailed(errorNumber: Int32) -> Never {
    if errorNumber == EPIPE { exit(141) }
    let reason = String(cString: strerror(errorNumber))
    _ = write("fuselab: error: cannot write to standard output: \(reason)\n", to: STDERR_FILENO)
    exit(ExitStatus.ioError.rawValue)
  }
}

/// Writes to standard error unbuffered, so diagnostics and progress never interleave badly.
func writeStandardError(_ text: String) {
  _ = StandardStreams.write(text, to: STDERR_FILENO)
}

/// Writes to standard output unbuffered, so output and progress appear in order. A failed write
/// ends the program (see `StandardStreams`).
func writeStandardOutput(_ text: String) {
  if let errorNumber = StandardStreams.write(text, to: STDOUT_FILENO) {
    StandardStreams.outputFailed(errorNumber: errorNumber)
  }
}
