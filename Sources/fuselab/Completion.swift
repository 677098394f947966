/// Tab completion for the REPL, as a pure function of the text before the cursor and of what
/// the session holds, so that it can be tested without readline or a terminal.
///
/// Each candidate carries what should follow it: `print(` for something callable, `epochs: `
/// for a keyword argument, `for ` for a keyword that always takes more, `:run ` for a command
/// that takes an argument. Readline then adds nothing of its own.
enum Completion {
  /// What completes the word before the cursor.
  enum Result: Equatable {
    /// Candidates, each starting with the word being completed.
    case candidates([String])
    /// A file name: readline's own file name completion does it.
    case fileNames
  }

  /// What a name in the session is, as far as completion cares.
  enum NameKind: Equatable {
    case value
    /// A builtin or a function; `parameters` are the names a call may give as keywords.
    case callable(parameters: [String])
  }

  /// A prompt command (`:run`) and what its argument is, if it takes one.
  struct Command: Equatable {
    var name: String
    var argument: Argument? = nil

    enum Argument: Equatable {
      /// A file name (`:run`, `:save`).
      case file
      /// A builtin's name (`:help`).
      case topic
      /// Code, completed as at the prompt (`:time`).
      case code
      /// Anything else, which completion leaves alone (`:history 5`).
      case other
    }
  }

  /// What the session offers for completion.
  struct Vocabulary {
    /// Builtins and global variables; a variable that shadows a builtin replaces it.
    var names: [String: NameKind] = [:]
    /// The builtins' names, which `help("...")` and `:help` complete.
    var builtinNames: [String] = []
    var keywords: [String] = []
    var commands: [Command] = []
    /// The members of the value at a dotted path (`["h"]` for `h.lo`), each with whether it
    /// is callable; empty when the path names nothing with members.
    var members: (_ path: [String]) -> [(name: String, isCallable: Bool)] = { _ in [] }
  }

  /// Keywords that never stand last in a statement, so a space always follows them.
  static let keywordsTakingMore: Set<String> = [
    "and", "or", "not", "if", "else", "for", "in", "while", "return",
  ]

  /// The completions of `word`, the text before the cursor back to the nearest word break,
  /// where `line` is the whole line up to the cursor.
  static func complete(line: String, word: String, in vocabulary: Vocabulary) -> Result {
    if line.drop(while: \.isWhitespace).hasPrefix(":") {
      return completeCommand(line: line, word: word, in: vocabulary)
    }

    let context = CallContext(scanning: line)
    if context.endsInComment { return .candidates([]) }
    if context.isInsideString {
      // help("tr -> help("train"; any other string is most likely a path.
      guard context.stringIsWholeArgument, let call = context.innermostCall,
        call.callee == "help", call.positionalCount == 0
      else { return .fileNames }
      return .candidates(vocabulary.builtinNames.filter { $0.hasPrefix(word) }.sorted())
    }

    if word.contains(".") {
      return .candidates(completeMember(word, in: vocabulary))
    }

    var candidates: [String] = []
    let call = context.innermostCall
    let atArgumentStart =
      call.map { $0.argumentText.dropLast(word.count).allSatisfy(\.isWhitespace) } ?? false
    if atArgumentStart, let call, case .callable(let parameters)? = vocabulary.names[call.callee] {
      let open = parameters.dropFirst(call.positionalCount).filter {
        !call.keywords.contains($0) && $0.hasPrefix(word)
      }
      candidates += open.map { $0 + ": " }
    }

    // help(tr -> help(train: the function itself is the topic, not a call of it.
    let namesTopic = atArgumentStart && call?.callee == "help" && call?.positionalCount == 0
    for (name, kind) in vocabulary.names where name.hasPrefix(word) {
      if case .callable = kind, !namesTopic {
        candidates.append(name + "(")
      } else {
        candidates.append(name)
      }
    }
    for keyword in vocabulary.keywords where keyword.hasPrefix(word) {
      guard vocabulary.names[keyword] == nil else { continue }
      candidates.append(keywordsTakingMore.contains(keyword) ? keyword + " " : keyword)
    }
    return .candidates(candidates.sorted())
  }

  private static func completeCommand(line: String, word: String, in vocabulary: Vocabulary)
    -> Result
  {
    let text = line.drop(while: \.isWhitespace).dropFirst()
    guard let space = text.firstIndex(where: \.isWhitespace) else {
      // Readline may or may not count the colon as part of the word.
      let hasColon = word.hasPrefix(":")
      let typed = hasColon ? String(word.dropFirst()) : word
      let matches = vocabulary.commands.filter { $0.name.hasPrefix(typed) }
      return .candidates(
        matches.map { (hasColon ? ":" : "") + $0.name + ($0.argument != nil ? " " : "") })
    }

    // As the prompt runs them: an exact name, else every command the typed start begins.
    let typed = String(text[..<space])
    let named = vocabulary.commands.filter { $0.name == typed }
    let commands = named.isEmpty ? vocabulary.commands.filter { $0.name.hasPrefix(typed) } : named
    guard let argument = commands.first?.argument, commands.allSatisfy({ $0.argument == argument })
    else { return .candidates([]) }
    switch argument {
    case .file: return .fileNames
    case .topic:
      return .candidates(vocabulary.builtinNames.filter { $0.hasPrefix(word) }.sorted())
    case .code:
      let code = String(text[space...].drop(while: \.isWhitespace))
      return complete(line: code, word: word, in: vocabulary)
    case .other: return .candidates([])
    }
  }

  private static func completeMember(_ word: String, in vocabulary: Vocabulary) -> [String] {
    let parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard let last = parts.last, !parts[0].isEmpty else { return [] }
    let head = parts.dropLast().joined(separator: ".") + "."
    return vocabulary.members(Array(parts.dropLast()))
      .filter { $0.name.hasPrefix(last) }
      .map { head + $0.name + ($0.isCallable ? "(" : "") }
      .sorted()
  }
}

/// Where the cursor stands in the code before it: inside which call, after which arguments,
/// inside a string or a comment. Brackets, strings and comments are followed as the lexer
/// does; anything it would reject is read as well as it can be.
struct CallContext {
  struct Call {
    /// The name just before the `(`, or "" for a bracket that is not a call.
    var callee: String
    var positionalCount = 0
    var keywords: Set<String> = []
    /// The text of the argument the cursor is in, from after the `(` or `,`.
    var argumentText: Substring = ""
  }

  /// The innermost open `(` that is a call, when it is also the innermost open bracket.
  private(set) var innermostCall: Call?
  /// Whether the cursor is inside a string literal.
  private(set) var isInsideString = false
  /// Whether that string is all of the argument so far: `help("tr`, not `help(a + "tr`.
  private(set) var stringIsWholeArgument = false
  private(set) var endsInComment = false

  init(scanning line: String) {
    var frames: [(bracket: Character, call: Call, argumentStart: String.Index)] = []
    var quote: Character?
    var stringStart = line.startIndex
    var escaped = false
    var index = line.startIndex

    while index < line.endIndex {
      let character = line[index]
      defer { index = line.index(after: index) }
      if let open = quote {
        if escaped {
          escaped = false
        } else if character == "\\" {
          escaped = true
        } else if character == open {
          quote = nil
        }
        continue
      }

      switch character {
      case "\"", "'":
        quote = character
        stringStart = index
      case "#":
        endsInComment = true
        return
      case "(", "[", "{":
        let callee = character == "(" ? CallContext.name(endingAt: index, in: line) : ""
        frames.append((character, Call(callee: callee), line.index(after: index)))
      case ")", "]", "}":
        if !frames.isEmpty { frames.removeLast() }
      case "," where !frames.isEmpty:
        let argument = line[frames[frames.count - 1].argumentStart..<index]
        if let keyword = CallContext.keyword(of: argument) {
          frames[frames.count - 1].call.keywords.insert(keyword)
        } else if !argument.allSatisfy(\.isWhitespace) {
          frames[frames.count - 1].call.positionalCount += 1
        }
        frames[frames.count - 1].argumentStart = line.index(after: index)
      default:
        break
      }
    }

    isInsideString = quote != nil
    guard let frame = frames.last, frame.bracket == "(", !frame.call.callee.isEmpty else {
      return
    }
    var call = frame.call
    call.argumentText = line[frame.argumentStart...]
    innermostCall = call
    stringIsWholeArgument =
      isInsideString && line[frame.argumentStart..<stringStart].allSatisfy(\.isWhitespace)
  }

  /// The identifier (dots allowed) that ends just before `index`, skipping spaces.
  private static func name(endingAt index: String.Index, in line: String) -> String {
    let before = line[..<index].reversed().drop(while: { $0 == " " })
    let name = before.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }
    return String(name.reversed())
  }

  /// The keyword of an argument written `name: value`, or nil.
  private static func keyword(of argument: Substring) -> String? {
    let text = argument.drop(while: \.isWhitespace)
    let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
    guard !name.isEmpty, name.first?.isNumber == false else { return nil }
    let rest = text.dropFirst(name.count).drop(while: \.isWhitespace)
    return rest.first == ":" ? String(name) : nil
  }
}
