import Foundation
import Testing

@testable import FuseEngine

/// The text encoder's gradients on the real all-MiniLM-L6-v2 against PyTorch's, from
/// Fixtures/encoder_gradient_fixture.json (made by make_encoder_gradient_fixture.py, whose
/// docstring gives the loss, the batch and the command that regenerates it).
///
/// PyTorch's side is float64 on the float32 weights, so the differences are the encoder's
/// float32 rounding. PyTorch's own float32 gradients differ from its float64 ones by the
/// fixture's `float32_norm_drift` (about 5e-7 in norm). The encoder's sums run in another
/// order; measured, its norms agree to 1e-6 and its entries to 5e-5 relative, or 3e-4 for
/// an entry a hundred times smaller than its tensor's root-mean-square entry. The
/// tolerance is 1e-3 relative to the entry or to that root mean square, whichever is
/// larger: a wrong term moves a norm by far more.
@Suite("Text encoder gradients against PyTorch")
struct EncoderTorchGradientTests {
  struct Fixture: Decodable {
    struct Gradient: Decodable {
      var norm: Double
      /// Pairs of a flat row-major index and the gradient's entry there.
      var entries: [[Double]]
    }
    var tokens: [[Int]]
    var tokenTypes: [[Int]]
    var loss: Double
    var embeddingHead: [[Double]]
    var gradients: [String: Gradient]

    enum CodingKeys: String, CodingKey {
      case tokens, loss, gradients
      case tokenTypes = "token_types"
      case embeddingHead = "embedding_head"
    }
  }

  static let tolerance = 1e-3

  /// c[s, j] = cos(0.37 (width s + j) + 0.1), as the fixture's script makes it.
  static func lossWeights(rows: Int, columns: Int) -> Matrix {
    Matrix(
      rows: rows, columns: columns,
      values: (0..<rows * columns).map { Float(cos(0.37 * Double($0) + 0.1)) })
  }

  @Test(
    "every tensor's gradient matches PyTorch's on all-MiniLM-L6-v2",
    .enabled(if: EncoderTestPaths.minilmAvailable, "needs data/minilm (scripts/fetch-minilm)"))
  func gradientsMatchPyTorch() throws {
    let data = try Data(
      contentsOf: EncoderTestPaths.fixtures.appendingPathComponent(
        "encoder_gradient_fixture.json"))
    let fixture = try JSONDecoder().decode(Fixture.self, from: data)
    // A model of its own: the backward pass fills 90 MB of gradients.
    let encoder = try TextEncoder(folder: EncoderTestPaths.minilm.path)
    try encoder.validate(fixture.tokens, tokenTypes: fixture.tokenTypes)

    let activations = TextEncoder.Activations()
    let embeddings = encoder.sentenceEmbeddings(
      fixture.tokens, tokenTypes: fixture.tokenTypes, normalize: true,
      activations: activations)
    let c = Self.lossWeights(rows: embeddings.rows, columns: embeddings.columns)
    let loss = zip(embeddings.values, c.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    #expect(abs(loss - fixture.loss) <= 1e-5 * abs(fixture.loss), "loss \(loss)")
    for (s, head) in fixture.embeddingHead.enumerated() {
      for (j, expected) in head.enumerated() {
        #expect(abs(Double(embeddings[s, j]) - expected) < 1e-5, "embedding [\(s), \(j)]")
      }
    }

    encoder.backward(embeddingGradient: c, activations: activations)
    let gradients = encoder.stateTensors(of: { $0.gradient })
    #expect(Set(gradients.keys) == Set(fixture.gradients.keys))
    for (name, expected) in fixture.gradients.sorted(by: { $0.key < $1.key }) {
      let gradient = try #require(gradients[name], "no gradient for \(name)")
      let norm = Matrix(rows: 1, columns: gradient.values.count, values: gradient.values).norm
      if name.hasSuffix("attention.self.key.bias") {
        // Zero in exact arithmetic: a constant added to a row of scores leaves its softmax
        // unchanged. In float32 it is rounding, far below the query bias's gradient.
        let query = try #require(
          fixture.gradients[name.replacingOccurrences(of: "key", with: "query")])
        #expect(norm < 1e-4 * query.norm, "\(name): norm \(norm)")
        continue
      }
      let relative = abs(norm - expected.norm) / expected.norm
      #expect(relative < Self.tolerance, "\(name): norm \(norm), PyTorch \(expected.norm)")
      // An entry far below the tensor's typical one carries rounding of the typical size.
      let typical = expected.norm / Double(gradient.values.count).squareRoot()
      for pair in expected.entries {
        let (index, value) = (Int(pair[0]), pair[1])
        let difference = abs(Double(gradient.values[index]) - value)
        #expect(
          difference <= Self.tolerance * max(abs(value), typical),
          "\(name)[\(index)]: \(gradient.values[index]), PyTorch \(value)")
      }
    }
  }
}
