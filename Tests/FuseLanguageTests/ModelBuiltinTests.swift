import Foundation
import Testing

@testable import FuseLanguage

/// model() with the engine builtins registered, on a small CSV data set written for the
/// suite: shared defaults, per-modality `branches:`, what show() and m.branches say, and
/// the messages for names and values that do not fit.
@Suite("model() and its branches")
struct ModelBuiltinTests {
  /// Modalities "wide" (5 features) and "thin" (2), classes "x" and "y", 20 rows each.
  static let dataPath: String = {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("fuselab-model-builtin-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    var lines = ["wide_1,wide_2,wide_3,wide_4,wide_5,thin_1,thin_2,class"]
    for row in 0..<40 {
      let label = row % 2 == 0 ? "x" : "y"
      let wide = (1...5).map { String(Double(row * $0 % 7) + (label == "x" ? 0 : 3)) }
      let thin = [String(100 + row), String(Double(row % 3) * 0.5)]
      lines.append((wide + thin + [label]).joined(separator: ","))
    }
    let file = folder.appendingPathComponent("toy.csv")
    try! (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }()

  /// Runs `source` after `data = load(...)` in a session with the engine builtins.
  static func run(_ source: String) throws -> String {
    var printed = ""
    let interpreter = Interpreter { printed += $0 }
    interpreter.registerEngineBuiltins(host: EngineHost(threads: 1))
    try interpreter.run(source: "data = load(\"\(dataPath)\")\n" + source, file: "test.fuse")
    return printed
  }

  /// The message of the error `source` raises, or nil when it runs.
  static func error(_ source: String) -> String? {
    do {
      _ = try run(source)
      return nil
    } catch let diagnostic as Diagnostic {
      return diagnostic.message
    } catch {
      return "\(error)"
    }
  }

  @Test func theDefaultShapeReadsAsBefore() throws {
    let text = try Self.run("show(model(data, seed: 1))")
    #expect(
      text == """
        model: additive late fusion of 2 branches, 2 classes, 1668 parameters
          wide  5 -> 128 -> 2  (dropout 0.1, standardised)
          thin  2 -> 128 -> 2  (dropout 0.1, standardised)
          rates: global(0.01)  wide 0.01, thin 0.01

        """)
  }

  @Test func branchesOverrideTheSharedSettings() throws {
    let text = try Self.run(
      """
      m = model(data, hidden: [8], dropout: 0.1, activation: "tanh", standardize: true,
                branches: {thin: {hidden: [], standardize: false},
                           wide: {hidden: [16, 4], activation: "gelu", dropout: 0.2}}, seed: 7)
      show(m)
      print(m.params)
      print(m.branches.wide)
      print(m.branches.thin)
      """)
    // By hand: 5 -> 16 -> 4 -> 2 is 96 + 68 + 10 weights and biases; 2 -> 2 is 6.
    #expect(
      text == """
        model: additive late fusion of 2 branches, 2 classes, 180 parameters
          wide  5 -> 16 -> 4 -> 2  (gelu, dropout 0.2, standardised)
          thin  2 -> 2  (linear, raw features)
          rates: global(0.01)  wide 0.01, thin 0.01
        180
        {hidden: [16, 4], activation: "gelu", dropout: 0.2, standardize: true}
        {hidden: [], activation: "tanh", dropout: 0.1, standardize: false}

        """)
  }

  @Test func theActivationIsNamedWhenBranchesDiffer() throws {
    let text = try Self.run(
      "show(model(data, hidden: 4, branches: {wide: {activation: \"leaky_relu\"}}))")
    #expect(text.contains("wide  5 -> 4 -> 2  (leaky_relu, dropout 0.1, standardised)"))
    #expect(text.contains("thin  2 -> 4 -> 2  (relu, dropout 0.1, standardised)"))
  }

  // m.branches is what branches: takes, so a model's shapes can be given to another.
  @Test func branchesRoundTrip() throws {
    let text = try Self.run(
      """
      m = model(data, branches: {wide: {hidden: [3, 3], activation: "sigmoid", dropout: 0},
                                 thin: {hidden: [], standardize: false}})
      twin = model(data, branches: m.branches)
      print(twin.branches == m.branches, twin.params == m.params)
      print(str(twin) == str(m))
      """)
    #expect(text == "true true\ntrue\n")
  }

  @Test func activationNamesIgnoreCase() throws {
    let text = try Self.run("print(model(data, activation: \"GELU\").branches.wide.activation)")
    #expect(text == "\"gelu\"\n" || text == "gelu\n")
  }

  @Test(arguments: [
    (
      "branches: {wdie: {hidden: [8]}}",
      "branches names 'wdie', which is not a modality of the data set (wide, thin); "
        + "did you mean 'wide'?"
    ),
    (
      "branches: {speech: {}}",
      "branches names 'speech', which is not a modality of the data set (wide, thin)"
    ),
    (
      "branches: {wide: {hiden: [8]}}",
      "branches.wide has no setting 'hiden' (it takes hidden, activation, dropout, "
        + "standardize, finetune); did you mean 'hidden'?"
    ),
    (
      "branches: {wide: {lr: 0.1}}",
      "branches.wide has no setting 'lr' (it takes hidden, activation, dropout, standardize, "
        + "finetune)"
    ),
    (
      "branches: {wide: {dropout: \"high\"}}",
      "branches.wide.dropout must be a number in [0, 1), got the string \"high\""
    ),
    (
      "branches: {wide: {dropout: 1.5}}",
      "invalid value 1.5 for 'branches.wide.dropout': dropout must be in [0, 1)"
    ),
    (
      "branches: {thin: {hidden: [4, 0]}}",
      "invalid value 0 for 'branches.thin.hidden': hidden widths must be at least 1"
    ),
    ("branches: {thin: {hidden: [2.5]}}", "branches.thin.hidden must be whole widths, got 2.5"),
    (
      "branches: {thin: {hidden: true}}",
      "branches.thin.hidden must be a hidden width or a list of widths ([] for a linear "
        + "branch), got true"
    ),
    (
      "branches: {thin: {standardize: \"no\"}}",
      "branches.thin.standardize must be true or false, got the string \"no\""
    ),
    (
      "branches: {thin: [8]}",
      "branches.thin must be a record such as {hidden: [64], activation: \"gelu\"}, got a list"
    ),
    (
      "branches: {thin: {activation: \"gleu\"}}",
      "unknown activation \"gleu\" for branches.thin.activation (use \"relu\", \"gelu\", "
        + "\"tanh\", \"sigmoid\" or \"leaky_relu\"); did you mean \"gelu\"?"
    ),
    (
      "activation: \"linear\"",
      "unknown activation \"linear\" (use \"relu\", \"gelu\", \"tanh\", \"sigmoid\" or "
        + "\"leaky_relu\"); for a linear branch give no hidden layers: hidden: []"
    ),
    (
      "activation: 1",
      "argument 'activation' to model must be \"relu\", \"gelu\", \"tanh\", \"sigmoid\" or "
        + "\"leaky_relu\", got 1"
    ),
    ("hidden: [1.5]", "argument 'hidden' to model must be whole widths, got 1.5"),
    ("dropout: 1.5", "invalid value 1.5 for 'dropout': dropout must be in [0, 1)"),
  ])
  func mistakesAreNamed(option: String, message: String) {
    #expect(Self.error("m = model(data, \(option))") == message)
  }

  @Test func aTooLargeModelNamesEachModalitysWidths() {
    let message = Self.error("m = model(data, branches: {wide: {hidden: [60000, 60000]}})")
    #expect(
      message?.hasPrefix("invalid value wide [60000, 60000], thin [128] for 'hidden'") == true)
  }

  @Test func unlikeBranchesSweepAndTrain() throws {
    let text = try Self.run(
      """
      m = model(data, branches: {thin: {hidden: [], standardize: false},
                                 wide: {hidden: [6, 6], activation: "gelu"}}, seed: 2)
      best = sweep(m, rates: [0.001, 0.01], epochs: 2, seed: 2)
      k = fuse(m, rates: "keep")
      h = train(k, epochs: 2, seed: 2)
      print(len(h.loss), k.branches == m.branches)
      """)
    #expect(text == "2 true\n")
  }

  @Test func helpAndTheDocumentationDescribeBranches() throws {
    let help = try Self.run("help(\"model\")")
    #expect(help.contains("branches"))
    #expect(help.contains("activation"))
    let interpreter = Interpreter { _ in }
    interpreter.registerEngineBuiltins(host: EngineHost(threads: 1))
    let model = try #require(interpreter.builtin(named: "model"))
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let docs = try String(
      contentsOf: root.appendingPathComponent("docs/language.md"), encoding: .utf8)
    #expect(docs.contains("`\(model.signature)`"), "docs/language.md lacks \(model.signature)")
    for parameter in model.parameters {
      #expect(docs.contains("| `\(parameter.name)` |"), "docs/language.md lacks \(parameter.name)")
    }
  }
}
