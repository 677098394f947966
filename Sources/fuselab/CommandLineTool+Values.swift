/// How every subcommand reads an option's value: `--threads 2` or `--threads=2`, and never
/// the next option, so that `--data --epochs 1` says --data has no folder instead of taking
/// `--epochs` as one.
extension CommandLineTool {
  /// The arguments with each `--name=value` of an option in `valued` split into `--name` and
  /// `value`, up to a `--` that ends the options. A flag in `flags` given a value is refused.
  static func splittingInlineValues(
    _ arguments: [String], valued: Set<String>, flags: Set<String> = []
  ) throws -> [String] {
    var split: [String] = []
    for (index, argument) in arguments.enumerated() {
      if argument == "--" {
        split += arguments[index...]
        break
      }
      guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else {
        split.append(argument)
        continue
      }
      let name = String(argument[..<equals])
      if flags.contains(name) {
        throw UsageError(message: "\(name) takes no value, got '\(argument)'")
      }
      guard valued.contains(name) else {
        split.append(argument)
        continue
      }
      split += [name, String(argument[argument.index(after: equals)...])]
    }
    return split
  }

  /// The value after an option, or nil when there is none or the next argument is another
  /// option (it starts with `--`); the caller says what the option needs.
  static func value(from remaining: inout ArraySlice<String>) -> String? {
    guard let next = remaining.first, !next.hasPrefix("--") else { return nil }
    return remaining.popFirst()
  }
}
