import FuseEngine

/// threads(): the OpenBLAS thread count, read or set from a script.
extension EngineBuiltins {
  /// The counts `threads(n)` and `--threads N` accept.
  static let threadRange = 1...256

  var threads: Builtin {
    Builtin(
      name: "threads",
      summary:
        "The OpenBLAS threads for matrix products; threads(n) sets them. Results repeat bit "
        + "for bit at the same count.",
      parameters: [
        ParameterSpec(
          "n", default: .nothing, accepts: "a whole number from 1 to 256",
          defaultDescription: "none: only report the count")
      ],
      example: "threads(2)\nprint(threads(), h.threads)"
    ) { arguments in
      if !arguments.isNothing("n") {
        let count = try arguments.integer("n")
        guard EngineBuiltins.threadRange.contains(count) else { throw arguments.mismatch("n") }
        setMatrixThreadCount(count)
        host.threads = count
      }
      return .number(Double(host.threads))
    }
  }
}
