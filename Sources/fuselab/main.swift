import Foundation

// The fuselab command: a REPL with no arguments, `run FILE` for scripts.
let status = CommandLineTool.main(Array(CommandLine.arguments.dropFirst()))
exit(status.rawValue)
