import Testing

@testable import fuselab

/// Tab completion as a pure function: the text before the cursor and a made-up session in,
/// the candidates (with what follows each) out.
@Suite struct CompletionTests {
  static let vocabulary: Completion.Vocabulary = {
    var vocabulary = Completion.Vocabulary()
    vocabulary.names = [
      "print": .callable(parameters: []),
      "train": .callable(parameters: ["model", "epochs", "batch", "rates", "seed"]),
      "transpose": .callable(parameters: ["x"]),
      "help": .callable(parameters: ["topic"]),
      "load": .callable(parameters: ["path"]),
      "data": .value,
      "h": .value,
      "epsilon": .value,
      "f": .callable(parameters: []),
    ]
    vocabulary.builtinNames = ["print", "train", "transpose", "help", "load"]
    vocabulary.keywords = ["for", "fn", "false", "if", "in", "none", "true"]
    vocabulary.commands = [
      .init(name: "help", argument: .topic), .init(name: "run", argument: .file),
      .init(name: "time", argument: .code), .init(name: "save", argument: .file),
      .init(name: "reset"), .init(name: "history", argument: .other), .init(name: "quit"),
    ]
    vocabulary.members = { path in
      switch path {
      case ["h"]: return [("loss", false), ("lossplot", true), ("epochs", false)]
      case ["h", "loss"]: return []
      default: return []
      }
    }
    return vocabulary
  }()

  private func complete(_ line: String, word: String? = nil) -> Completion.Result {
    // Readline's word: the text after the last code word break, unless the test says.
    let breaks = Set(" \t\n\"'`@$><=;|&{}()[],+-*/%!^:#")
    let word = word ?? String(line.reversed().prefix { !breaks.contains($0) }.reversed())
    return Completion.complete(line: line, word: word, in: CompletionTests.vocabulary)
  }

  @Test(arguments: [
    ("pri", ["print("]),
    ("print", ["print("]),
    ("x = tra", ["train(", "transpose("]),
    ("da", ["data"]),
    ("fo", ["for "]),
    ("tr", ["train(", "transpose(", "true"]),
    ("n", ["none"]),
    ("h.lo", ["h.loss", "h.lossplot("]),
    ("h.loss.x", []),
    ("nothing.x", []),
  ])
  func namesEndAsTheyAreUsed(line: String, expected: [String]) {
    #expect(complete(line) == .candidates(expected))
  }

  @Test func keywordArgumentsOfTheCallTheCursorIsIn() {
    #expect(complete("train(m, ep") == .candidates(["epochs: ", "epsilon"]))
    guard case .candidates(let all) = complete("train(m, epochs: 3, ") else {
      Issue.record("no candidates")
      return
    }
    // model was given by position and epochs by name, so neither is offered again.
    #expect(all.contains("batch: ") && all.contains("rates: ") && all.contains("seed: "))
    #expect(!all.contains("model: ") && !all.contains("epochs: "))
    #expect(all.contains("print("))
  }

  @Test func keywordsOnlyAtTheStartOfAnArgument() {
    #expect(complete("train(m, 1 + ep") == .candidates(["epsilon"]))
    #expect(complete("train(m, [ep") == .candidates(["epsilon"]))
    #expect(complete("print(train(m), ep") == .candidates(["epsilon"]))
    // The string's comma separates nothing; its second argument fills epochs.
    #expect(complete("train(m, \"a,b\", ep") == .candidates(["epsilon"]))
    #expect(complete("train(m, \"a,b\", ba") == .candidates(["batch: "]))
  }

  @Test func helpCompletesBuiltinNames() {
    #expect(complete("help(\"tr", word: "tr") == .candidates(["train", "transpose"]))
    #expect(complete("help(tr") == .candidates(["train", "transpose", "true"]))
    #expect(complete(":help tr", word: "tr") == .candidates(["train", "transpose"]))
  }

  @Test func otherStringsCompleteFileNames() {
    #expect(complete("d = load(\"data/ht", word: "data/ht") == .fileNames)
    #expect(complete("s = \"da", word: "da") == .fileNames)
    #expect(complete("help(x + \"tr", word: "tr") == .fileNames)
    #expect(complete("load('data/ht", word: "data/ht") == .fileNames)
  }

  @Test func commentsCompleteNothing() {
    #expect(complete("x = 1 # pri") == .candidates([]))
  }

  @Test func promptCommands() {
    #expect(
      complete(":", word: "")
        == .candidates(["help ", "run ", "time ", "save ", "reset", "history ", "quit"]))
    #expect(complete(":r", word: "r") == .candidates(["run ", "reset"]))
    #expect(complete(":q", word: ":q") == .candidates([":quit"]))
    #expect(complete("  :hi", word: "hi") == .candidates(["history "]))
    #expect(complete(":run exa", word: "exa") == .fileNames)
    #expect(complete(":ru exa", word: "exa") == .fileNames)
    #expect(complete(":save out/se", word: "out/se") == .fileNames)
    #expect(complete(":reset x", word: "x") == .candidates([]))
    #expect(complete(":history 1", word: "1") == .candidates([]))
  }

  /// `:time` takes code, so what follows it completes as it would at the prompt.
  @Test func timeCompletesCode() {
    #expect(complete(":time pri", word: "pri") == .candidates(["print("]))
    #expect(complete(":ti h.lo", word: "h.lo") == .candidates(["h.loss", "h.lossplot("]))
    #expect(complete(":time train(data, ep", word: "ep") == .candidates(["epochs: ", "epsilon"]))
    #expect(complete(":time load(\"data/ht", word: "data/ht") == .fileNames)
  }
}
