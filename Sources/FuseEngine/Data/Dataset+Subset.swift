extension DataSplit {
  /// The samples at `rows`, in that order: their features, labels or targets and token ids.
  func rows(_ rows: [Int]) -> DataSplit {
    var split = withFeatures(features.map { $0.rows(rows) })
    if !labels.isEmpty { split.labels = rows.map { labels[$0] } }
    if !targets.isEmpty { split.targets = rows.map { targets[$0] } }
    split.tokenIDs = tokenIDs.mapValues { ids in rows.map { ids[$0] } }
    return split
  }
}

extension Dataset {
  /// A smaller data set for a quick run: for each split named in `sizes`, that many of its
  /// samples, the others whole. Without a seed they are the first ones in file order; with
  /// one, a draw without replacement (each split from its own generator, seeded by `seed`
  /// and the split's name), kept in file order. The model that trains on it standardises
  /// with the smaller train split's statistics, as on any data set.
  ///
  /// - Throws: `EngineError.invalidOption` naming the split when a size is not from 1 to the
  ///   split's sample count, or names a split the data set does not have.
  public func subset(sizes: [String: Int], seed: UInt64? = nil) throws -> Dataset {
    let unknown = sizes.keys.filter { !splitNames.contains($0) }.sorted()
    for name in splitNames.filter({ sizes[$0] != nil }) + unknown {
      let size = sizes[name]!
      guard let split = splits[name] else {
        throw EngineError.invalidOption(
          name: name, value: String(size),
          reason: "the data set has no \(name) split; its splits are "
            + splitNames.filter { splits[$0] != nil }.joined(separator: ", "))
      }
      guard size >= 1, size <= split.count else {
        throw EngineError.invalidOption(
          name: name, value: String(size),
          reason: "a subset takes from 1 to the split's \(split.count) samples")
      }
    }
    var subset = self
    var parts: [String] = []
    for name in splitNames {
      guard let size = sizes[name], let split = splits[name], size < split.count else { continue }
      subset.splits[name] = split.rows(
        Dataset.subsetRows(size, of: split.count, seed: seed, split: name))
      parts.append("\(size) of \(split.count) \(name)")
    }
    if !parts.isEmpty {
      let how =
        seed.map { "drawn at random with seed \($0), kept in file order" }
        ?? "the first in file order"
      subset.splitRule += "; then a subset: " + parts.joined(separator: ", ") + " samples, " + how
    }
    return subset
  }

  /// The rows a subset keeps: the first `size`, or `size` drawn at random, ascending.
  static func subsetRows(_ size: Int, of count: Int, seed: UInt64?, split: String) -> [Int] {
    guard let seed else { return Array(0..<size) }
    var name = FNV1a64()
    name.mix(split)
    var generator = SeededGenerator(seed: seed ^ name.value)
    var order = Array(0..<count)
    generator.shuffle(&order)
    return order.prefix(size).sorted()
  }
}
