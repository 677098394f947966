import FuseEngine
import FuseFormat

extension EngineBuiltins {
  /// The most OpenBLAS threads `threads(n)` accepts, as the command line's `--threads`.
  static let maximumThreads = 256

  var threads: Builtin {
    Builtin(
      name: "threads",
      summary:
        "The OpenBLAS thread count for matrix products; threads(n) sets it for what follows.",
      parameters: [
        ParameterSpec(
          "count", default: .nothing,
          accepts: "a whole number from 1 to \(EngineBuiltins.maximumThreads)",
          defaultDescription: "none: only tell the count in force")
      ],
      example: """
        threads()     # 1, or the count --threads gave
        threads(2)    # train() then says "2 threads"
        """
    ) { arguments in
      guard !arguments.isNothing("count") else { return .number(Double(host.threads)) }
      let range = 1...EngineBuiltins.maximumThreads
      guard case .number(let number) = arguments["count"], let count = wholeNumber(number),
        range.contains(count)
      else {
        throw arguments.mismatch("count")
      }
      setMatrixThreadCount(count)
      return .number(Double(host.threads))
    }
  }
}
