import FuseEngine
import FusePlot

/// A line of progress from long work, for the host to show on standard error.
public enum ProgressUpdate: Equatable, Sendable {
  /// Work in progress (the current batch); a terminal redraws it in place, a log skips it.
  case transient(String)
  /// A finished unit of work (an epoch, a sweep point), worth a line of its own.
  case line(String)
}

/// What the engine builtins need from the program that hosts the interpreter.
public final class EngineHost {
  /// OpenBLAS threads in use, reported with results so that runs can be repeated. The
  /// count is the process's: `threads(n)` in the language changes it for the session.
  public var threads: Int { matrixThreadCount }

  /// How plots are drawn: width in columns and character set.
  public var plotStyle: PlotStyle

  /// Receives progress; the library never prints.
  public let report: (ProgressUpdate) -> Void

  /// Whether `report` shows `.transient` updates at all; when it does not (a log file),
  /// the per-batch lines are not even written, so that a batch costs no text.
  public let showsTransientProgress: Bool

  /// Encodes text modalities for the session: each model folder is read once, and
  /// embeddings made earlier in the session are reused.
  public let textEmbedder = TextEmbedder()

  /// A host whose sessions start with `threads` OpenBLAS threads (set here, for the
  /// whole process).
  public init(
    threads: Int, plotStyle: PlotStyle = PlotStyle(), showsTransientProgress: Bool = true,
    report: @escaping (ProgressUpdate) -> Void = { _ in }
  ) {
    setMatrixThreadCount(threads)
    self.plotStyle = plotStyle
    self.showsTransientProgress = showsTransientProgress
    self.report = report
  }
}

extension Interpreter {
  /// Registers the builtins that load data, build, train and evaluate models, and plot.
  public func registerEngineBuiltins(host: EngineHost) {
    for builtin in EngineBuiltins(host: host).all { register(builtin) }
    for builtin in PlotBuiltins(host: host).all { register(builtin) }
    for builtin in DataBuiltins(host: host).all { register(builtin) }
  }
}
