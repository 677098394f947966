import Foundation

/// Ctrl-C while a script or a REPL entry runs: the first press asks the running work to stop
/// between batches; a second press, before the first is honoured, ends the process.
///
/// Readline installs its own handler while it reads a line and restores this one afterwards.
enum Interrupts {
  nonisolated(unsafe) private static var pending: sig_atomic_t = 0

  /// Installs the handler and unblocks SIGINT, which a parent may have left blocked (a blocked
  /// mask survives exec): Ctrl-C would then do nothing at all.
  static func install() {
    signal(SIGINT) { _ in
      if Interrupts.pending != 0 { _exit(130) }
      Interrupts.pending = 1
    }
    var signals = sigset_t()
    sigemptyset(&signals)
    sigaddset(&signals, SIGINT)
    sigprocmask(SIG_UNBLOCK, &signals, nil)
  }

  /// Whether Ctrl-C was pressed since the last `clear()`.
  static var isPending: Bool { pending != 0 }

  static func clear() { pending = 0 }
}
