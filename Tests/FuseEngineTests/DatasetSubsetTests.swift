import Testing

@testable import FuseEngine

/// `Dataset.subset(sizes:seed:)`: the first samples of a split, or a seeded draw kept in
/// file order, with everything a sample carries, and the sizes it refuses.
@Suite("Subsets of a data set")
struct DatasetSubsetTests {
  typealias F = EngineFixtures

  /// Blobs (120 train, 45 dev, 45 test samples) whose modality "a" also has token ids, two
  /// per sample, the first being the sample's row: a subset's ids say which rows it kept.
  static func marked(_ data: Dataset = F.blobs()) -> Dataset {
    var data = data
    for name in splitNames {
      let count = data.splits[name]!.count
      data.splits[name]!.tokenIDs["a"] = (0..<count).map { [$0, 1000 + $0 % 7] }
    }
    return data
  }

  /// The rows a subset of a marked data set kept, read from its token ids.
  static func keptRows(_ split: DataSplit) -> [Int] {
    split.tokenIDs["a"]!.map { $0[0] }
  }

  /// Row `row` of a feature matrix, read from its values without `Matrix.rows`.
  static func row(_ row: Int, of matrix: Matrix) -> [Float] {
    Array(matrix.values[(row * matrix.columns)..<((row + 1) * matrix.columns)])
  }

  @Test func withoutASeedEachNamedSplitKeepsItsFirstSamples() throws {
    let data = Self.marked()
    let subset = try data.subset(sizes: ["train": 5, "test": 3])
    let train = subset.splits["train"]!
    let original = data.splits["train"]!

    #expect(train.count == 5)
    #expect(train.features[0].rows == 5 && train.features[0].columns == 4)
    #expect(train.features[0].values == Array(original.features[0].values.prefix(5 * 4)))
    #expect(train.features[1].values == Array(original.features[1].values.prefix(5 * 3)))
    #expect(train.labels == Array(original.labels.prefix(5)))
    #expect(train.labels == [0, 1, 2, 0, 1])
    #expect(train.tokenIDs["a"]! == [[0, 1000], [1, 1001], [2, 1002], [3, 1003], [4, 1004]])
    #expect(Self.keptRows(subset.splits["test"]!) == [0, 1, 2])
    #expect(
      subset.splits["test"]!.features[1].values
        == Array(data.splits["test"]!.features[1].values.prefix(3 * 3)))

    // A split left out stays whole.
    let dev = subset.splits["dev"]!
    #expect(dev.count == 45)
    #expect(dev.features == data.splits["dev"]!.features)
    #expect(dev.labels == data.splits["dev"]!.labels)
    #expect(dev.tokenIDs == data.splits["dev"]!.tokenIDs)
    #expect(subset.modalities == data.modalities && subset.classNames == data.classNames)
  }

  @Test func aRegressionSubsetKeepsTheTargetsOfItsRows() throws {
    let data = F.linearTargets()
    let subset = try data.subset(sizes: ["dev": 7])
    let dev = subset.splits["dev"]!
    #expect(dev.count == 7)
    #expect(dev.targets == Array(data.splits["dev"]!.targets.prefix(7)))
    #expect(dev.labels.isEmpty)
    #expect(dev.features[0].values == Array(data.splits["dev"]!.features[0].values.prefix(28)))
    #expect(subset.task == .regression)
    #expect(subset.splits["train"]!.targets == data.splits["train"]!.targets)
  }

  @Test func aSeededDrawIsDistinctAscendingAndFixedBySeed() throws {
    let data = Self.marked()
    let drawn = Self.keptRows(try data.subset(sizes: ["train": 30], seed: 7).splits["train"]!)
    let again = Self.keptRows(try data.subset(sizes: ["train": 30], seed: 7).splits["train"]!)
    let other = Self.keptRows(try data.subset(sizes: ["train": 30], seed: 8).splits["train"]!)

    #expect(drawn.count == 30)
    #expect(Set(drawn).count == 30)
    #expect(drawn == drawn.sorted())
    #expect(drawn.allSatisfy { (0..<120).contains($0) })
    #expect(drawn != Array(0..<30), "a seeded draw is not the first samples")
    #expect(drawn == again)
    #expect(other != drawn)
    #expect(Set(other).count == 30 && other == other.sorted())
  }

  @Test func aSeededSampleCarriesItsOwnFeaturesLabelAndTokenIDs() throws {
    let data = Self.marked()
    let original = data.splits["train"]!
    let train = try data.subset(sizes: ["train": 12], seed: 3).splits["train"]!
    let rows = Self.keptRows(train)
    for (position, row) in rows.enumerated() {
      #expect(Self.row(position, of: train.features[0]) == Self.row(row, of: original.features[0]))
      #expect(Self.row(position, of: train.features[1]) == Self.row(row, of: original.features[1]))
      #expect(train.labels[position] == original.labels[row])
      #expect(train.tokenIDs["a"]![position] == [row, 1000 + row % 7])
    }

    let regression = F.linearTargets()
    let targets = regression.splits["test"]!.targets
    let test = try regression.subset(sizes: ["test": 9], seed: 3).splits["test"]!
    // Linear targets are distinct floats, so each kept target names its row.
    let kept = test.targets.map { targets.firstIndex(of: $0)! }
    #expect(Set(kept).count == 9 && kept == kept.sorted())
    for (position, row) in kept.enumerated() {
      #expect(
        Self.row(position, of: test.features[1])
          == Self.row(row, of: regression.splits["test"]!.features[1]))
    }
  }

  /// Each split draws from its own stream, seeded by the seed and the split's name.
  @Test func theTrainDrawDoesNotDependOnTheOtherSplits() throws {
    let data = Self.marked()
    let alone = try data.subset(sizes: ["train": 20], seed: 5)
    let withDev = try data.subset(sizes: ["train": 20, "dev": 20], seed: 5)
    let withAll = try data.subset(sizes: ["dev": 20, "test": 20, "train": 20], seed: 5)
    #expect(Self.keptRows(alone.splits["train"]!) == Self.keptRows(withDev.splits["train"]!))
    #expect(Self.keptRows(alone.splits["train"]!) == Self.keptRows(withAll.splits["train"]!))
    #expect(Self.keptRows(withDev.splits["dev"]!) == Self.keptRows(withAll.splits["dev"]!))
    // Dev and test have 45 samples each: one stream for both would keep the same rows.
    #expect(Self.keptRows(withAll.splits["test"]!) != Self.keptRows(withAll.splits["dev"]!))
    #expect(alone.splits["dev"]!.count == 45)
  }

  /// The draw as documented: shuffle the rows with the generator seeded by the seed XOR the
  /// FNV-1a hash of the split's name, keep the first `size`, in file order. The literal was
  /// worked out apart from the engine, from the published splitmix64, xoshiro256** and
  /// FNV-1a and a Fisher-Yates shuffle by multiply-high; it pins the draw, so that
  /// `subset(data, train: 4, seed: 1)` picks the same samples in every version.
  @Test func theDrawIsTheDocumentedShuffle() throws {
    var name = FNV1a64()
    name.mix("train")
    var generator = SeededGenerator(seed: 1 ^ name.value)
    var order = Array(0..<10)
    generator.shuffle(&order)
    let expected = order.prefix(4).sorted()

    let small = Self.marked(F.blobs(classes: 2, perClass: (5, 2, 2)))
    let rows = Self.keptRows(try small.subset(sizes: ["train": 4], seed: 1).splits["train"]!)
    #expect(rows == expected)
    #expect(rows == [0, 2, 3, 7])
  }

  @Test func aSplitOfItsWholeSizeIsKeptWholeAndUndescribed() throws {
    let data = Self.marked()
    let subset = try data.subset(sizes: ["train": 120], seed: 2)
    #expect(Self.keptRows(subset.splits["train"]!) == Array(0..<120))
    #expect(subset.splitRule == "synthetic")
  }

  @Test func theSplitRuleSaysWhichSamplesWereKept() throws {
    let data = F.blobs()
    #expect(
      try data.subset(sizes: ["test": 3, "train": 5]).splitRule
        == "synthetic; then a subset: 5 of 120 train, 3 of 45 test samples, the first in file"
        + " order")
    #expect(
      try data.subset(sizes: ["dev": 10], seed: 4).splitRule
        == "synthetic; then a subset: 10 of 45 dev samples, drawn at random with seed 4, kept in"
        + " file order")
  }

  @Test(arguments: [0, -1, 121])
  func aSizeOutsideTheSplitIsRefusedNamingIt(size: Int) throws {
    let data = F.blobs()
    #expect(
      throws: EngineError.invalidOption(
        name: "train", value: String(size),
        reason: "a subset takes from 1 to the split's 120 samples")
    ) {
      _ = try data.subset(sizes: ["dev": 10, "train": size], seed: 1)
    }
    #expect(
      throws: EngineError.invalidOption(
        name: "dev", value: "46", reason: "a subset takes from 1 to the split's 45 samples")
    ) {
      _ = try data.subset(sizes: ["dev": 46])
    }
  }

  @Test func anUnknownSplitIsRefusedNamingTheSplitsThereAre() throws {
    var data = F.blobs()
    #expect(
      throws: EngineError.invalidOption(
        name: "valid", value: "5",
        reason: "the data set has no valid split; its splits are train, dev, test")
    ) {
      _ = try data.subset(sizes: ["valid": 5])
    }
    data.splits["test"] = nil
    #expect(
      throws: EngineError.invalidOption(
        name: "test", value: "5",
        reason: "the data set has no test split; its splits are train, dev")
    ) {
      _ = try data.subset(sizes: ["test": 5])
    }
  }
}
