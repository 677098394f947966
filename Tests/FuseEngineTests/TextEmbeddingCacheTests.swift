import Foundation
import Testing

@testable import FuseEngine

/// The embedding cache: a second load reads it, a damaged or foreign file is rebuilt, and
/// other settings never reuse another's numbers.
@Suite(
  "Sentence embeddings cached on disk and in the session",
  .enabled(if: TextFixtures.encoderReady, TextFixtures.skipMessage))
struct TextEmbeddingCacheTests {
  /// Loads the review tables through a fresh embedder (a new session) unless one is given.
  func load(
    _ layout: SplitFilesLayout, embedder: TextEmbedder = TextEmbedder(),
    events: UnsafeEvents? = nil
  ) throws -> (Dataset, TextEmbedder.Statistics) {
    let data = try loadSplitFiles(layout, source: "reviews", embedder: embedder) { event in
      events?.list.append(event)
      return true
    }
    return (data, embedder.statistics)
  }

  /// The events one load reported, in order.
  final class UnsafeEvents {
    var list: [TextEmbeddingEvent] = []
  }

  func cacheFiles(_ folder: URL) throws -> [URL] {
    try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
      .filter { $0.pathExtension == "safetensors" }.sorted { $0.path < $1.path }
  }

  func expectSameData(_ first: Dataset, _ second: Dataset) {
    for split in splitNames {
      #expect(first.splits[split]!.features == second.splits[split]!.features, "\(split)")
      #expect(first.splits[split]!.tokenIDs == second.splits[split]!.tokenIDs, "\(split)")
      #expect(first.splits[split]!.fingerprint == second.splits[split]!.fingerprint, "\(split)")
    }
  }

  @Test("a second session reads every split from the cache, with the same numbers")
  func secondLoadReadsTheCache() throws {
    let cache = try DataTestPaths.temporaryFolder()
    let layout = try TextFixtures.reviewLayout(options: TextFixtures.options(cache: cache))

    let (first, encoded) = try load(layout)
    #expect(encoded.encodedTexts == 16)
    #expect(encoded.encoderLoads == 1)
    #expect(encoded.cacheFileReads == 0)
    #expect(try cacheFiles(cache).count == 3)
    #expect(first.splits["train"]!.tokenIDs["text"]!.count == 8)

    let events = UnsafeEvents()
    let (second, cached) = try load(layout, events: events)
    #expect(cached == TextEmbedder.Statistics(cacheFileReads: 3))
    expectSameData(first, second)
    let sources = events.list.compactMap { event -> EmbeddingSource? in
      guard case .finished(_, _, _, let source) = event else { return nil }
      return source
    }
    #expect(sources.count == 3)
    #expect(sources.allSatisfy { if case .cacheFile = $0 { true } else { false } })
    #expect(!events.list.contains(.loadingEncoder(folder: EncoderTestPaths.minilm.path)))
  }

  @Test("within a session the embeddings are reused from memory")
  func sessionReuse() throws {
    let layout = try TextFixtures.reviewLayout(options: TextFixtures.options(cache: nil))
    let embedder = TextEmbedder()
    let (first, _) = try load(layout, embedder: embedder)
    let (second, statistics) = try load(layout, embedder: embedder)
    #expect(
      statistics == TextEmbedder.Statistics(encoderLoads: 1, encodedTexts: 16, sessionReuses: 3))
    expectSameData(first, second)
  }

  enum Damage: String, CaseIterable {
    case flippedEmbeddingByte, truncated, notSafetensors, otherSplitsFile, otherSettings
  }

  /// Damages the dev split's cache file; `files` are all three, `layout` the tables.
  func damage(_ damage: Damage, dev: URL, train: URL) throws {
    var bytes = [UInt8](try Data(contentsOf: dev))
    switch damage {
    case .flippedEmbeddingByte:
      // The header's length is the first 8 bytes; the embeddings come first after it.
      let headerLength = bytes[0..<8].reversed().reduce(0) { $0 << 8 | Int($1) }
      bytes[8 + headerLength + 1000] ^= 0x40
    case .truncated:
      bytes.removeLast(bytes.count / 2)
    case .notSafetensors:
      bytes = Array("not a cache file\n".utf8)
    case .otherSplitsFile:
      bytes = [UInt8](try Data(contentsOf: train))
    case .otherSettings:
      let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(
        of: "\"normalize\":\"true\"", with: "\"normalize\":\"fals\"")
      bytes = Array(text.utf8)
    }
    try Data(bytes).write(to: dev)
  }

  @Test(
    "a damaged or foreign cache file is refused, rebuilt and then read", arguments: Damage.allCases)
  func damagedFileIsRebuilt(_ kind: Damage) throws {
    let cache = try DataTestPaths.temporaryFolder()
    let layout = try TextFixtures.reviewLayout(options: TextFixtures.options(cache: cache))
    let (original, _) = try load(layout)
    let embedder = TextEmbedder()
    let digest = { (split: String) in
      let tokens = original.splits[split]!.tokenIDs["text"]!
      return EmbeddingCache(folder: cache.path).path(
        for: EmbeddingCache.Key(
          modelName: "minilm",
          weightsIdentity: try! embedder.sentenceEncoder(folder: EncoderTestPaths.minilm.path)
            .weightsIdentity, normalize: true, maximumLength: 256, tokens: tokens))
    }
    let dev = URL(fileURLWithPath: digest("dev"))
    #expect(FileManager.default.fileExists(atPath: dev.path))
    try damage(kind, dev: dev, train: URL(fileURLWithPath: digest("train")))

    let events = UnsafeEvents()
    let (rebuilt, statistics) = try load(layout, embedder: embedder, events: events)
    #expect(statistics.rejectedCacheFiles == 1)
    #expect(statistics.cacheFileReads == 2)
    #expect(statistics.encodedTexts == 4)
    #expect(
      events.list.contains { if case .cacheRejected(dev.path, _) = $0 { true } else { false } })
    expectSameData(original, rebuilt)

    let (again, reread) = try load(layout)
    #expect(reread == TextEmbedder.Statistics(cacheFileReads: 3))
    expectSameData(original, again)
  }

  @Test("other settings are other cache entries, never another setting's numbers")
  func settingsAreKeys() throws {
    let cache = try DataTestPaths.temporaryFolder()
    let folder = try DataTestPaths.temporaryFolder()
    let normalised = try TextFixtures.reviewLayout(
      options: TextFixtures.options(cache: cache), in: folder)
    let raw = try TextFixtures.reviewLayout(
      options: TextFixtures.options(cache: cache, normalize: false), in: folder)
    let short = try TextFixtures.reviewLayout(
      options: TextFixtures.options(cache: cache, maximumLength: 6), in: folder)
    let (unit, _) = try load(normalised)
    let (plain, plainStatistics) = try load(raw)
    let (cut, cutStatistics) = try load(short)
    #expect(plainStatistics.encodedTexts == 16 && plainStatistics.cacheFileReads == 0)
    #expect(cutStatistics.encodedTexts == 16 && cutStatistics.cacheFileReads == 0)
    #expect(try cacheFiles(cache).count == 9)

    let row = { (data: Dataset) in Array(data.splits["train"]!.features[0].values[0..<384]) }
    let length = { (values: [Float]) in values.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    #expect(abs(length(row(unit)) - 1) < 1e-5)
    #expect(abs(length(row(plain)) - 1) > 0.01)
    let scaled = row(plain).map { $0 / length(row(plain)) }
    #expect(zip(scaled, row(unit)).allSatisfy { abs($0 - $1) < 1e-5 })

    #expect(cut.textModalities["text"]!.maximumLength == 6)
    #expect(cut.textModalities["text"]!.truncated == 16)
    #expect(cut.splits["dev"]!.tokenIDs["text"]!.allSatisfy { $0.count == 6 })
  }

  @Test("a cache that cannot be written is reported and the data set still loads")
  func unwritableCache() throws {
    let folder = try DataTestPaths.temporaryFolder()
    let blocker = try DataTestPaths.write("a file, not a folder", to: "cache", in: folder)
    let layout = try TextFixtures.reviewLayout(
      options: TextFixtures.options(cache: URL(fileURLWithPath: blocker)))
    let events = UnsafeEvents()
    let (data, statistics) = try load(layout, events: events)
    #expect(data.splits["test"]!.count == 4)
    #expect(statistics.encodedTexts == 16)
    let warnings = events.list.filter { if case .cacheNotWritten = $0 { true } else { false } }
    #expect(warnings.count == 3)
  }
}
