extension Interpreter {
  /// Names that could complete `prefix`, for the REPL's tab completion.
  ///
  /// `h.lo` completes from the members of the variable `h` (fields of a
  /// record, members of an object); anything else completes from keywords,
  /// builtins and global variables. Completion never runs code.
  public func completions(for prefix: String) -> [String] {
    let parts = prefix.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard parts.count > 1, let last = parts.last else {
      let names = Set(globalNames).union(Interpreter.keywords)
      return names.filter { $0.hasPrefix(prefix) }.sorted()
    }

    guard var value = globals.values[parts[0]] else { return [] }
    for name in parts.dropFirst().dropLast() {
      guard let next = memberValue(of: value, name) else { return [] }
      value = next
    }
    let head = parts.dropLast().joined(separator: ".") + "."
    return memberNames(of: value).filter { $0.hasPrefix(last) }.sorted().map { head + $0 }
  }

  private func memberValue(of value: Value, _ name: String) -> Value? {
    switch value {
    case .record: return value.field(name)
    case .object(let object): return object.member(name)
    default: return nil
    }
  }

  private func memberNames(of value: Value) -> [String] {
    switch value {
    case .record(let fields): return fields.map(\.0)
    case .object(let object): return object.memberNames
    default: return []
    }
  }
}
