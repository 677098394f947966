import Foundation
import Testing

@testable import FuseEngine

/// The encoder against the reference MELD embeddings made by sentence-transformers.
@Suite("MiniLM encoder on MELD")
struct EncoderMELDTests {
  static let ready =
    EncoderTestPaths.minilmAvailable && EncoderTestPaths.meldEmbeddingsAvailable
    && Python.canImport("tokenizers")

  /// Encodes every `every`-th utterance of each split; returns the largest difference from
  /// the reference, how many utterances were compared and the seconds spent encoding.
  static func compare(every: Int) throws -> (difference: Float, count: Int, seconds: Double) {
    let encoder = try #require(EncoderTestPaths.encoder)
    let ids = try MeldTokenIDs.make(every: every)
    var largest: Float = 0
    var count = 0
    var seconds = 0.0
    for split in MeldTokenIDs.splits {
      let sample = ids.split[split] ?? []
      let reference = try readNumpy(
        path: EncoderTestPaths.meldEmbeddings.appendingPathComponent("\(split)_minilm.npy").path)
      let width = reference.shape[1]
      let started = Date()
      let embeddings = try encoder.encode(sample.map(\.tokens))
      seconds += Date().timeIntervalSince(started)
      for (index, entry) in sample.enumerated() {
        for column in 0..<width {
          let expected = Float(reference.values[entry.row * width + column])
          largest = max(largest, abs(embeddings[index, column] - expected))
        }
      }
      count += sample.count
    }
    return (largest, count, seconds)
  }

  @Test(
    "a sample of utterances matches sentence-transformers to 1e-4",
    .enabled(
      if: ready,
      "needs data/minilm and tokenizers (scripts/setup; data/python/bin first on PATH) and ../shared/data"
    ))
  func sampleMatches() throws {
    let (difference, count, _) = try Self.compare(every: 40)
    #expect(count > 300)
    #expect(difference <= 1e-4, "max |difference| \(difference) over \(count) utterances")
  }

  /// All 13,708 utterances; set FUSELAB_MELD_FULL=1 to run it (about a minute in release).
  @Test(
    "every MELD utterance matches sentence-transformers to 1e-4",
    .enabled(
      if: ready && ProcessInfo.processInfo.environment["FUSELAB_MELD_FULL"] == "1",
      "set FUSELAB_MELD_FULL=1 to compare all of MELD"))
  func everyUtteranceMatches() throws {
    let (difference, count, seconds) = try Self.compare(every: 1)
    print(
      "MELD full comparison: \(count) utterances, max |difference| \(difference), encoded in "
        + "\(String(format: "%.1f", seconds)) s with \(matrixThreadCount) threads, OpenBLAS \(BLASInfo.coreName)"
    )
    #expect(count == 13_708)
    #expect(difference <= 1e-4, "max |difference| \(difference) over \(count) utterances")
  }
}
