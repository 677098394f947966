import Foundation
import FuseLanguage

/// Shows the progress of training and sweeps on standard error.
///
/// On a terminal the current batch is redrawn in place, at most ten times a second; in a log
/// file or a pipe only finished units of work (epochs, sweep points) are written, one a line.
final class ProgressPrinter {
  let isTerminal: Bool
  private var transientShown = false
  private var lastDraw = Date.distantPast

  init(isTerminal: Bool) {
    self.isTerminal = isTerminal
  }

  func show(_ update: ProgressUpdate) {
    switch update {
    case .transient(let text):
      guard isTerminal else { return }
      let now = Date()
      guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
      lastDraw = now
      writeStandardError("\r\u{1B}[2K" + text)
      transientShown = true
    case .line(let text):
      clearTransientLine()
      writeStandardError(text + "\n")
    }
  }

  /// Removes a half-drawn progress line before other output is written.
  func clearTransientLine() {
    guard transientShown else { return }
    writeStandardError("\r\u{1B}[2K")
    transientShown = false
  }

  func finish() { clearTransientLine() }

  /// Ends a half-drawn progress line before a diagnostic is printed. After Ctrl-C on a
  /// terminal the line is ended with a line break instead, to keep where the work stopped:
  /// the terminal has echoed `^C` after it, or at the start of an empty line, and the
  /// diagnostic must not follow on the same line.
  func end(interrupted: Bool) {
    if interrupted && isTerminal {
      writeStandardError("\n")
      transientShown = false
    } else {
      clearTransientLine()
    }
  }
}
