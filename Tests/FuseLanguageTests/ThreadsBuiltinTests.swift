import Testing

@testable import FuseLanguage

/// threads() in a session. Setting a count changes the whole process's OpenBLAS, which
/// tests running beside this one share, so setting is tested through the binary
/// (EndToEndTests/ThreadsEndToEndTests); here only reading it and the refusals.
@Suite struct ThreadsBuiltinTests {
  @Test func threadsTellsTheCountTheHostStartedWith() {
    let (text, diagnostic) = engineRun("print(threads())")
    #expect(diagnostic == nil)
    #expect(text == "1\n")
  }

  @Test(arguments: ["0", "-1", "1.5", "257", "\"2\"", "true"])
  func aCountThatIsNotOneTo256IsRefusedAtTheArgument(count: String) {
    let source = MarkedSource("threads(1️⃣\(count))")
    let found = engineRun(source.text).diagnostic
    #expect(
      found?.message.hasPrefix(
        "argument 'count' to threads must be a whole number from 1 to 256, got ") == true,
      "\(found?.message ?? "")")
    #expect(found?.location.line == source.line)
    #expect(found?.location.column == source.column)
    // The refused call changed nothing.
    #expect(engineRun("print(threads())").output == "1\n")
  }
}
