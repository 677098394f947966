import Foundation
import FuseEngine
import FuseLanguage

/// `fuselab notebook run|export`: the command line of Markdown notebooks.
enum NotebookCommand {
  static let usage = """
    usage: fuselab notebook run [--check] [--allow-errors] [--threads N] FILE.md
           fuselab notebook export FILE.md [-o OUT.ipynb]

    run       runs the notebook's fuse cells top to bottom in a fresh session and writes
              each cell's output below it; stops at the first failing cell
    export    writes the notebook as Jupyter .ipynb (nbformat 4), with its recorded outputs

    options:
      --check          run, change no file, and fail (exit 1) when any output differs
                       from the recorded one
      --allow-errors   record a failing cell's error and go on with the next cell
      --threads N      OpenBLAS threads (default 1)
      -o OUT.ipynb     where export writes (default: FILE with .ipynb for .md; - for stdout)

    exit status: 0 success, 1 check mismatch or unwritable file, 64 usage,
    65 a cell does not parse or the notebook is malformed, 70 a cell failed while running,
    130 interrupted
    """

  /// What a usage error shows under its message.
  static let shortUsage = """
    usage: fuselab notebook run|export [options] FILE.md
    see 'fuselab notebook --help' for more
    """

  struct Options {
    var action = ""
    var file: String?
    var output: String?
    var threads = 1
    var check = false
    var allowErrors = false
  }

  static func main(_ arguments: [String]) -> ExitStatus {
    let options: Options
    do {
      options = try parse(arguments)
    } catch let error as CommandLineTool.UsageError {
      writeStandardError("fuselab notebook: error: \(error.message)\n\(shortUsage)\n")
      return .usage
    } catch {
      return .failure
    }
    guard let file = options.file else {
      writeStandardOutput(usage + "\n")
      return .success
    }

    if options.action == "export" {
      return export(file: file, to: options.output ?? defaultExportPath(for: file))
    }
    setMatrixThreadCount(options.threads)
    Interrupts.install()
    let runner = NotebookRunner(
      path: file, threads: options.threads, check: options.check,
      allowErrors: options.allowErrors)
    return runner.run()
  }

  static func parse(_ arguments: [String]) throws -> Options {
    typealias UsageError = CommandLineTool.UsageError
    var options = Options()
    var remaining = try CommandLineTool.splittingInlineValues(
      arguments, valued: ["--threads", "--output"], flags: ["--check", "--allow-errors", "--help"]
    )[...]
    guard let action = remaining.popFirst() else {
      throw UsageError(message: "notebook needs a command: run or export")
    }
    switch action {
    case "-h", "--help", "help": return options
    case "run", "export": options.action = action
    default: throw UsageError(message: "unknown notebook command '\(action)'; use run or export")
    }

    while let argument = remaining.popFirst() {
      switch argument {
      case "--check" where action == "run": options.check = true
      case "--allow-errors" where action == "run": options.allowErrors = true
      case "--threads" where action == "run", "-t" where action == "run":
        guard let text = CommandLineTool.value(from: &remaining), let count = Int(text),
          (1...256).contains(count)
        else { throw UsageError(message: "--threads takes a whole number from 1 to 256") }
        options.threads = count
      case "-o" where action == "export", "--output" where action == "export":
        guard let path = CommandLineTool.value(from: &remaining) else {
          throw UsageError(message: "\(argument) needs a file name")
        }
        options.output = path
      case "-h", "--help":
        options.file = nil
        return options
      default:
        if argument.hasPrefix("-") {
          throw UsageError(message: "unknown option '\(argument)' for notebook \(action)")
        }
        guard options.file == nil else {
          throw UsageError(message: "notebook \(action) takes one file, got another: '\(argument)'")
        }
        options.file = argument
      }
    }
    guard options.file != nil else {
      throw UsageError(message: "notebook \(action) needs a Markdown file: FILE.md")
    }
    return options
  }

  static func defaultExportPath(for file: String) -> String {
    (file.lowercased().hasSuffix(".md") ? String(file.dropLast(3)) : file) + ".ipynb"
  }

  static func export(file: String, to output: String) -> ExitStatus {
    let notebook: Notebook
    switch readNotebook(file) {
    case .failure(let error): return error.status
    case .success(let read): notebook = read
    }
    let json = notebook.jupyterJSON()
    if output == "-" {
      writeStandardOutput(json)
      return .success
    }
    do {
      try AtomicFile.write(json, to: output)
      return .success
    } catch {
      writeStandardError("fuselab: error: \(error)\n")
      return .failure
    }
  }

  /// The parsed notebook, or the exit status after saying on stderr what is wrong.
  static func readNotebook(_ path: String) -> Result<Notebook, ExitStatusError> {
    let text: String
    switch ScriptRunner.read(path, kind: "notebook") {
    case .failure(let error): return .failure(error)
    case .success(let read): text = read
    }
    do {
      return .success(try Notebook(text: text))
    } catch let error as NotebookError {
      writeStandardError("\(path):\(error.line):\(error.column): error: \(error.message)\n")
      return .failure(ExitStatusError(status: .scriptError))
    } catch {
      writeStandardError("fuselab: error: \(error)\n")
      return .failure(ExitStatusError(status: .scriptError))
    }
  }
}
