import Foundation
import Testing

/// `subset(data, train:, dev:, test:, seed:)` through the built binary on HTAD: what show()
/// says of a subset, which samples it keeps, that a model standardises with its train
/// split, and the sizes and seeds it refuses.
@Suite(
  "subset(), end to end on HTAD",
  .enabled(if: FuselabProcess.htadAvailable, "needs data/htad: run scripts/setup to fetch HTAD"))
struct SubsetEndToEndTests {
  static let htad = FuselabProcess.repositoryRoot.appendingPathComponent("data/htad").path

  static let script = """
    data = load("\(htad)")
    show(data)
    tiny = subset(data, train: 64, dev: 32, test: 32)
    show(tiny)
    print("first", counts(tiny).train)
    small = subset(data, train: 300, seed: 1)
    show(small)
    print("sizes", small.sizes)
    print("drawn", counts(small).train)
    loss = fn(d) { return evaluate(model(d, hidden: [8], seed: 4), "dev").loss }
    print("same", loss(small) == loss(subset(data, train: 300, seed: 1)))
    print("other", loss(small) == loss(subset(data, train: 300, seed: 2)))
    print("whole", loss(small) == loss(data))
    print("full", loss(subset(data, train: 835)) == loss(data))
    """

  /// The class of every HTAD train sample in file order, by the documented split rule:
  /// within each class the k-th sample goes to dev when k % 5 == 3, to test when
  /// k % 5 == 4, otherwise to train. Read from the CSV, apart from the engine.
  static func trainClassesInFileOrder() throws -> [String] {
    let text = try String(contentsOfFile: htad + "/htad.csv", encoding: .utf8)
    var seen: [String: Int] = [:]
    var train: [String] = []
    for line in text.split(whereSeparator: \.isNewline).dropFirst() {
      let label = String(line.prefix { $0 != "," })
      let k = seen[label, default: 0]
      seen[label] = k + 1
      if k % 5 != 3 && k % 5 != 4 { train.append(label) }
    }
    return train
  }

  /// `{a: 1, b: 0}` as a dictionary, leaving out the zero counts.
  static func counts(_ record: String) -> [String: Int] {
    var counts: [String: Int] = [:]
    for field in record.dropFirst().dropLast().split(separator: ",") {
      let parts = field.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
      if parts.count == 2, let count = Int(parts[1]), count > 0 { counts[parts[0]] = count }
    }
    return counts
  }

  @Test func aSubsetShowsWhatItKeptAndKeepsTheSamplesItSays() throws {
    let file = try FuselabProcess.script(Self.script)
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n").map(String.init)
    let rules = lines.filter { $0.hasPrefix("  split rule: ") }
    let splits = lines.filter { $0.hasPrefix("  splits: ") }
    try #require(rules.count == 3 && splits.count == 3, "\(run.standardOutput)")
    let rule = rules[0]

    // show() of the whole set gives the sizes the subsets are taken from.
    #expect(splits[0] == "  splits: train 835, dev 276, test 275")
    #expect(lines.contains("dataset HTAD: 128 samples from \(Self.htad)"))
    #expect(splits[1] == "  splits: train 64, dev 32, test 32")
    #expect(
      rules[1]
        == rule + "; then a subset: 64 of 835 train, 32 of 276 dev, 32 of 275 test samples, the"
        + " first in file order")
    #expect(lines.contains("dataset HTAD: 851 samples from \(Self.htad)"))
    #expect(splits[2] == "  splits: train 300, dev 276, test 275")
    #expect(
      rules[2]
        == rule + "; then a subset: 300 of 835 train samples, drawn at random with seed 1, kept"
        + " in file order")
    #expect(lines.contains("sizes {train: 300, dev: 276, test: 275}"))

    // Without a seed, the first 64 train samples: on HTAD, whose file runs class by class,
    // only the classes the file starts with.
    let first = try Self.trainClassesInFileOrder().prefix(64)
    let expected = Dictionary(first.map { ($0, 1) }, uniquingKeysWith: +)
    let printed = lines.first { $0.hasPrefix("first ") }.map {
      Self.counts(String($0.dropFirst(6)))
    }
    #expect(printed == expected)
    #expect(expected.count < 7)

    // A draw reaches across the file: every class, 300 in all.
    let drawn = lines.first { $0.hasPrefix("drawn ") }.map { Self.counts(String($0.dropFirst(6))) }
    #expect(drawn?.count == 7)
    #expect(drawn?.values.reduce(0, +) == 300)

    // A model standardises with its data set's train split: the same draw builds the same
    // model, another draw or the whole set another one; a subset of every sample is the set.
    #expect(lines.contains("same true"))
    #expect(lines.contains("other false"))
    #expect(lines.contains("whole false"))
    #expect(lines.contains("full true"))
  }

  /// Sizes and seeds subset() refuses, with the argument the diagnostic underlines marked
  /// from 1️⃣ to 2️⃣.
  @Test(arguments: [
    (
      "s = subset(data, 1️⃣train: 02️⃣)",
      "invalid value 0 for 'train': a subset takes from 1 to the split's 835 samples"
    ),
    (
      "s = subset(data, train: 10, 1️⃣dev: 50002️⃣, seed: 1)",
      "invalid value 5000 for 'dev': a subset takes from 1 to the split's 276 samples"
    ),
    (
      "s = subset(data, 1️⃣test: 2762️⃣)",
      "invalid value 276 for 'test': a subset takes from 1 to the split's 275 samples"
    ),
    (
      "s = subset(data, 1️⃣train: 2.52️⃣)",
      "argument 'train' to subset must be a whole number of train samples, or none for all,"
        + " got 2.5"
    ),
    (
      "s = subset(data, train: 10, 1️⃣seed: -12️⃣)",
      "argument 'seed' to subset must be a whole number ≥ 0 to draw the samples at random, or"
        + " none for the first ones, got -1"
    ),
    (
      "s = subset(data, train: 835, 1️⃣seed: 12️⃣)",
      "seed draws the samples of a smaller split, and no split here is smaller than it was;"
        + " give train:, dev: or test: below the split's size, or leave seed out"
    ),
    (
      "s = subset(data, dev: 10, 1️⃣seed: 0.52️⃣)",
      "argument 'seed' to subset must be a whole number ≥ 0 to draw the samples at random, or"
        + " none for the first ones, got 0.5"
    ),
  ])
  func aBadSizeOrSeedIsAnErrorAtItsArgument(marked: String, message: String) throws {
    let source = MarkedLine(marked)
    let file = try FuselabProcess.script(
      "data = load(\"\(Self.htad)\")\nprint(\"loaded\")\n" + source.text + "\nprint(\"after\")\n")
    let run = try FuselabProcess.run(["run", file.path])
    #expect(run.status == 70)
    #expect(run.standardOutput == "loaded\n")
    #expect(
      run.standardError
        == "\(file.path):3:\(source.column): error: \(message)\n\(source.text)\n"
        + source.caret + "\n")
  }
}
