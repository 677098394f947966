import Foundation
import FuseLanguage
import FusePlot

/// One interpreter wired to this process: results to stdout, progress to stderr,
/// Ctrl-C to the interrupt hook, and every FuseLab builtin registered.
final class Session {
  let interpreter: Interpreter
  let progress: ProgressPrinter

  convenience init(threads: Int) {
    self.init(threads: threads, plotStyle: Session.plotStyle(), output: writeStandardOutput)
  }

  /// A session whose printed output goes to `output` instead of stdout (notebooks collect it
  /// per cell), with plots drawn in a fixed style.
  init(threads: Int, plotStyle: PlotStyle, output: @escaping (String) -> Void) {
    let progress = ProgressPrinter(isTerminal: isatty(STDERR_FILENO) == 1)
    self.progress = progress
    interpreter = Interpreter(output: { text in
      progress.clearTransientLine()
      output(text)
    })
    interpreter.interrupt = { Interrupts.isPending }
    let host = EngineHost(
      threads: threads, plotStyle: plotStyle, showsTransientProgress: progress.isTerminal
    ) { update in
      progress.show(update)
    }
    interpreter.registerEngineBuiltins(host: host)
  }

  /// Plots fill the terminal's width (80 columns elsewhere); FUSELAB_ASCII=1 draws them
  /// with ASCII characters for terminals and logs without Unicode block characters.
  static func plotStyle() -> PlotStyle {
    var size = winsize()
    var width = 80
    if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0,
      size.ws_col >= 40
    {
      width = Int(size.ws_col)
    }
    let ascii = ProcessInfo.processInfo.environment["FUSELAB_ASCII"].map {
      !$0.isEmpty && $0 != "0"
    }
    return PlotStyle(width: width, characters: ascii == true ? .ascii : .unicode)
  }
}
