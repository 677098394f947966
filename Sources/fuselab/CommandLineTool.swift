import Foundation
import FuseEngine
import FuseLanguage

/// Parses the command line and hands over to the REPL or the script runner.
enum CommandLineTool {
  static let version = "0.1.0"

  static let usage = """
    usage: fuselab [--threads N] [--no-history]       start the interactive prompt
           fuselab run [--threads N] FILE.fuse         run a script; FILE - reads standard input
           fuselab notebook run [--check] [--allow-errors] [--threads N] FILE.md
           fuselab notebook export FILE.md [-o OUT.ipynb]
           fuselab bench [--threads N] [--json]        time training on the standard workload
           fuselab --help | --version

    When standard input is not a terminal, plain `fuselab` runs all of it as one script
    named <stdin>, as `fuselab run -` does: `fuselab < steps.fuse`, `generate | fuselab`.

    options:
      --threads N     OpenBLAS threads for matrix products (default 1, so that runs repeat
                      bit for bit; the OPENBLAS_NUM_THREADS environment variable is ignored);
                      threads(n) in a script or at the prompt changes it from there on
      --no-history    do not read or write the REPL history file

    exit status: 0 success, 64 bad command line, 65 a script that does not parse or is not
    UTF-8, 70 an error while running, 74 standard output cannot be written, 130 interrupted

    The REPL keeps its history in $FUSELAB_HISTORY, or ~/.fuselab_history when unset.
    At the prompt, :help lists its commands: :run (or :load) FILE, :time EXPR, :vars,
    :save FILE, :reset, :history, :quit.
    `fuselab bench --help` says what the benchmark trains and measures.
    """

  /// What a usage error shows under its message: the forms, and where the rest is.
  static let shortUsage = """
    usage: fuselab [--threads N] [--no-history] [run FILE.fuse | notebook run|export FILE.md]
           fuselab bench [--threads N] [--json]
    see 'fuselab --help' for more
    """

  struct Options {
    var command: String?
    var file: String?
    var threads = 1
    var history = true
  }

  struct UsageError: Error {
    var message: String
  }

  static func main(_ arguments: [String]) -> ExitStatus {
    StandardStreams.install()
    if arguments.first == "notebook" {
      return NotebookCommand.main(Array(arguments.dropFirst()))
    }
    if arguments.first == "bench" {
      return BenchCommand.main(Array(arguments.dropFirst()))
    }
    let options: Options
    do {
      options = try parse(arguments)
    } catch let error as UsageError {
      writeStandardError("fuselab: error: \(error.message)\n\(shortUsage)\n")
      return .usage
    } catch {
      return .failure
    }

    switch options.command {
    case "help":
      writeStandardOutput(usage + "\n")
      return .success
    case "version":
      writeStandardOutput("fuselab \(version)\n")
      return .success
    default:
      break
    }

    setMatrixThreadCount(options.threads)
    Interrupts.install()
    if options.command == "run", let file = options.file {
      return ScriptRunner(threads: options.threads).run(file: file)
    }
    // Like Python: piped or redirected input is a script, not a session typed line by line.
    if isatty(STDIN_FILENO) != 1 {
      return ScriptRunner(threads: options.threads).run(file: "-")
    }
    return REPL(threads: options.threads, keepsHistory: options.history).run()
  }

  static func parse(_ arguments: [String]) throws -> Options {
    var options = Options()
    var remaining = try splittingInlineValues(
      arguments, valued: ["--threads"], flags: ["--no-history", "--version", "--help"])[...]
    func take(_ argument: String) throws {
      guard options.command == "run", options.file == nil else {
        if options.command == "run" {
          throw UsageError(message: "run takes one script, got another: '\(argument)'")
        }
        if ["bench", "notebook"].contains(argument) {
          throw UsageError(
            message: "'\(argument)' must come first, its options after it: fuselab \(argument) ...")
        }
        throw UsageError(
          message: "unknown command '\(argument)'; to run a script: fuselab run \(argument)")
      }
      options.file = argument
    }

    while let argument = remaining.popFirst() {
      switch argument {
      case "--":
        // The end of the options: what follows is a script's name, even if it starts with -.
        for rest in remaining { try take(rest) }
        remaining = []
      case "-h", "--help", "help":
        options.command = "help"
        return options
      case "--version":
        options.command = "version"
        return options
      case "--no-history":
        options.history = false
      case "--threads", "-t":
        guard let text = value(from: &remaining) else {
          throw UsageError(message: "--threads needs a number of threads")
        }
        guard let count = Int(text), (1...256).contains(count) else {
          throw UsageError(message: "--threads takes a whole number from 1 to 256, not '\(text)'")
        }
        options.threads = count
      case "run":
        guard options.command == nil else {
          throw UsageError(message: "'run' given twice")
        }
        options.command = "run"
      default:
        if argument.hasPrefix("-") && argument != "-" {
          throw UsageError(message: "unknown option '\(argument)'")
        }
        try take(argument)
      }
    }
    if options.command == "run" && options.file == nil {
      throw UsageError(message: "run needs a script file: fuselab run FILE.fuse")
    }
    return options
  }
}
