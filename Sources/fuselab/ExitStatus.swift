/// The process exit statuses, following the BSD sysexits convention.
enum ExitStatus: Int32 {
  case success = 0
  /// A failure that is neither a usage error nor an error in the script.
  case failure = 1
  /// The command line itself is wrong: an unknown option, a missing file name.
  case usage = 64
  /// The script does not lex or parse.
  case scriptError = 65
  /// The script is well formed but failed while running.
  case runtimeFailure = 70
  /// Standard output could not be written: a full disk, a device error.
  case ioError = 74
  /// The user pressed Ctrl-C.
  case interrupted = 130
}
