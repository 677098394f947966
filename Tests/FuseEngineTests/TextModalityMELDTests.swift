import Foundation
import Testing

@testable import FuseEngine

/// MELD's Utterance column encoded in the engine, against sentence-transformers' own
/// embeddings of the same utterances in ../shared/data/meld_minilm.
@Suite("MELD's utterances as an in-engine text modality")
struct TextModalityMELDTests {
  static let ready = TextFixtures.encoderReady && EncoderTestPaths.meldEmbeddingsAvailable

  /// The first 200 utterances of each split: the whole of MELD takes about a minute to
  /// encode in an optimised build, too long for every run of the suite.
  static let sliceRows = 200

  @Test(
    "the first 200 utterances of each split match sentence-transformers to 1e-4",
    .enabled(if: ready, "needs data/minilm and ../shared/data (MELD and its MiniLM embeddings)"))
  func sliceMatchesSentenceTransformers() throws {
    let root = try TextFixtures.meldSlice(rows: Self.sliceRows)
    defer { try? FileManager.default.removeItem(at: root) }
    let data = try MELD.load(
      root: root.path, text: "Utterance", context: true, encoder: TextFixtures.options(cache: nil))

    #expect(
      data.modalities == [
        Modality(name: "text", dimension: 384), Modality(name: "context", dimension: 18),
      ])
    #expect(
      data.textModalities["text"]
        == TextModalityDescription(
          column: "Utterance", encoderFolder: EncoderTestPaths.minilm.path, normalized: true,
          maximumLength: 256, truncated: 0))
    var largest: Float = 0
    for split in splitNames {
      let reference = try readNumpy(
        path: EncoderTestPaths.meldEmbeddings.appendingPathComponent("\(split)_minilm.npy").path)
      let embeddings = try #require(data.splits[split]).features[0]
      #expect(embeddings.rows == Self.sliceRows)
      for row in 0..<Self.sliceRows {
        for column in 0..<384 {
          let expected = Float(reference.values[row * 384 + column])
          largest = max(largest, abs(embeddings[row, column] - expected))
        }
      }
      let tokens = try #require(data.splits[split]?.tokenIDs["text"])
      #expect(tokens.count == Self.sliceRows)
      #expect(tokens.allSatisfy { $0.first == 101 && $0.last == 102 && $0.count > 2 })
    }
    #expect(largest <= 1e-4, "max |difference| \(largest) over \(3 * Self.sliceRows) utterances")
  }

  @Test(
    "the in-engine text modality has the precomputed one's shape beside the same context",
    .enabled(if: ready, "needs data/minilm and ../shared/data (MELD and its MiniLM embeddings)"))
  func sameContextAsPrecomputed() throws {
    let root = try TextFixtures.meldSlice(rows: 30)
    defer { try? FileManager.default.removeItem(at: root) }
    let encoded = try MELD.load(
      root: root.path, text: "utterance", encoder: TextFixtures.options(cache: nil))
    let contextOnly = try MELD.load(root: root.path, text: nil, context: true)
    for split in splitNames {
      #expect(encoded.splits[split]!.features[1] == contextOnly.splits[split]!.features[0])
      #expect(encoded.splits[split]!.labels == contextOnly.splits[split]!.labels)
    }
    #expect(encoded.classNames == contextOnly.classNames)
  }
}
