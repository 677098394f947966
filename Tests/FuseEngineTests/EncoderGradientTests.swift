import Foundation
import Testing

@testable import FuseEngine

/// The text encoder's backward pass on a tiny random BERT (vocabulary 20, width 8, 2 heads,
/// intermediate 16, 2 layers, 12 positions) and a batch of three packed sequences of 5, 7
/// and 9 tokens, under the loss L = sum(c * sentence embeddings) with a fixed random c.
///
/// The numerical side is central differences of `EncoderReference`, a double-precision
/// BERT that reads the PyTorch state dict and takes one sequence at a time. With a step
/// of 1e-6 its differences are accurate to about 1e-9, so what separates them from the
/// encoder's float32 gradients is float32 rounding: about 1e-6 relative per operation,
/// some hundreds of operations deep, through layer norms that divide by deviations of
/// order 1. Measured, the worst entry is below 1e-4 (in |analytic - numeric| /
/// (1e-3 + |numeric|)) and the forward pass within 3e-7 of the reference. A tolerance of
/// 1e-3 leaves a margin of ten, while a wrong or missing term, a transposed weight or a
/// misplaced head gives errors of order 1 (scaling the softmax backward's row sum by 0.999
/// already gives 0.2).
@Suite("Text encoder gradients")
struct EncoderGradientTests {
  typealias Fixtures = EncoderFixtures

  static let tolerance = 1e-3

  /// sum over sentences s and columns j of c[s, j] * e[s, j], in double precision.
  static func objective(_ embeddings: [[Double]], _ c: Matrix) -> Double {
    var total = 0.0
    for (s, row) in embeddings.enumerated() {
      for (j, value) in row.enumerated() { total += value * Double(c[s, j]) }
    }
    return total
  }

  /// Central differences of `objective` with respect to every entry of tensor `name`.
  static func centralDifferences(
    of name: String, in state: [String: [Double]], step: Double = 1e-6,
    objective: ([String: [Double]]) -> Double
  ) -> [Double] {
    var moved = state
    return state[name]!.indices.map { index in
      let saved = state[name]![index]
      moved[name]![index] = saved + step
      let plus = objective(moved)
      moved[name]![index] = saved - step
      let minus = objective(moved)
      moved[name]![index] = saved
      return (plus - minus) / (2 * step)
    }
  }

  @Test(
    "every tensor's gradient matches central differences of a double-precision BERT",
    arguments: [false, true])
  func everyTensorMatchesCentralDifferences(normalize: Bool) throws {
    let state = Fixtures.randomState(seed: 7)
    let encoder = try Fixtures.encoder(state)
    let (tokens, types) = (Fixtures.tokens, Fixtures.tokenTypes)
    let c = EngineFixtures.randomMatrix(rows: tokens.count, columns: 8, seed: 8)
    let activations = TextEncoder.Activations()
    let embeddings = encoder.sentenceEmbeddings(
      tokens, tokenTypes: types, normalize: normalize, activations: activations)
    encoder.backward(embeddingGradient: c, activations: activations)
    let analytic = encoder.stateTensors(of: { $0.gradient })

    let reference = Fixtures.doubles(state)
    func loss(_ state: [String: [Double]]) -> Double {
      Self.objective(
        EncoderReference.sentenceEmbeddings(
          state, configuration: Fixtures.configuration, tokens: tokens, tokenTypes: types,
          normalize: normalize), c)
    }
    let expected = EncoderReference.sentenceEmbeddings(
      reference, configuration: Fixtures.configuration, tokens: tokens, tokenTypes: types,
      normalize: normalize)
    let forwardError = zip(embeddings.values, expected.flatMap { $0 }).map {
      abs(Double($0) - $1)
    }.max()!
    #expect(forwardError < 1e-5, "forward pass differs from the reference by \(forwardError)")

    #expect(Set(analytic.keys) == Set(state.keys))
    for name in state.keys.sorted() {
      let gradient = try #require(analytic[name], "no gradient for \(name)")
      #expect(gradient.shape == state[name]!.shape, "\(name) has the wrong shape")
      let numeric = Self.centralDifferences(of: name, in: reference, objective: loss)
      let error = EngineFixtures.worstError(gradient.values.map { Double($0) }, numeric)
      #expect(error < Self.tolerance, "\(name): worst error \(error)")
    }
  }

  @Test("a training forward pass gives the same floats as inference", arguments: [false, true])
  func trainingForwardEqualsInference(normalize: Bool) throws {
    let encoder = try Fixtures.encoder(Fixtures.randomState(seed: 16))
    let activations = TextEncoder.Activations()
    let trained = encoder.sentenceEmbeddings(
      Fixtures.tokens, normalize: normalize, activations: activations)
    #expect(trained == (try encoder.encode(Fixtures.tokens, normalize: normalize)))
    #expect(activations.hidden == encoder.forward(Fixtures.tokens))
  }

  @Test("a sequence's loss sends no gradient to another sequence's tokens", arguments: [0, 1, 2])
  func noGradientCrossesSequences(sequence: Int) throws {
    let encoder = try Fixtures.encoder(Fixtures.randomState(seed: 9))
    let (tokens, types) = (Fixtures.tokens, Fixtures.tokenTypes)
    var c = EngineFixtures.randomMatrix(rows: tokens.count, columns: 8, seed: 10)
    for row in 0..<tokens.count where row != sequence {
      for column in 0..<8 { c[row, column] = 0 }
    }
    let activations = TextEncoder.Activations()
    _ = encoder.sentenceEmbeddings(
      tokens, tokenTypes: types, normalize: true, activations: activations)
    encoder.backward(embeddingGradient: c, activations: activations)

    // Token ids are not shared between sequences, so each word row is one sequence's.
    let words = encoder.wordEmbeddings.gradient
    for (index, ids) in tokens.enumerated() {
      for token in Set(ids) {
        let norm = (0..<8).reduce(Float(0)) { $0 + words[token, $1] * words[token, $1] }
        if index == sequence {
          #expect(norm > 0, "token \(token) of the sequence with a loss has no gradient")
        } else {
          #expect(norm == 0, "token \(token) of sequence \(index) has a gradient")
        }
      }
    }
    // Only the last sequence uses token type 1.
    let types1 = (0..<8).map { encoder.tokenTypeEmbeddings.gradient[1, $0] }
    #expect(types1.allSatisfy { $0 == 0 } == (sequence != 2))
  }

  @Test("a packed batch's gradient is the sum of its sequences' taken alone")
  func packedBatchEqualsSequencesAlone() throws {
    let encoder = try Fixtures.encoder(Fixtures.randomState(seed: 11))
    let (tokens, types) = (Fixtures.tokens, Fixtures.tokenTypes)
    let c = EngineFixtures.randomMatrix(rows: tokens.count, columns: 8, seed: 12)
    let activations = TextEncoder.Activations()

    for index in tokens.indices {
      _ = encoder.sentenceEmbeddings(
        [tokens[index]], tokenTypes: [types[index]], normalize: true, activations: activations)
      let row = Matrix(rows: 1, columns: 8, values: (0..<8).map { c[index, $0] })
      encoder.backward(embeddingGradient: row, activations: activations, accumulate: index > 0)
    }
    let alone = encoder.parameters.map(\.gradient)

    // Twice without `accumulate`: the second pass overwrites the first.
    for _ in 0..<2 {
      _ = encoder.sentenceEmbeddings(
        tokens, tokenTypes: types, normalize: true, activations: activations)
      encoder.backward(embeddingGradient: c, activations: activations)
    }
    for (parameter, expected) in zip(encoder.parameters, alone) {
      let scale = max(expected.norm, 1e-6)
      let difference = zip(parameter.gradient.values, expected.values).map {
        Double($0 - $1) * Double($0 - $1)
      }.reduce(0, +).squareRoot()
      #expect(difference / scale < 1e-5, "\(parameter.name): relative difference \(difference)")
    }
  }

  @Test("an optimizer step on the encoder's groups moves what the forward pass reads")
  func optimizerStepChangesTheEmbeddings() throws {
    let encoder = try Fixtures.encoder(Fixtures.randomState(seed: 14))
    let (tokens, types) = (Fixtures.tokens, Fixtures.tokenTypes)
    let c = EngineFixtures.randomMatrix(rows: tokens.count, columns: 8, seed: 15)
    let activations = TextEncoder.Activations()
    let optimizer = Optimizer(
      groups: encoder.parameterGroups(
        name: "text", learningRate: 1e-2,
        settings: OptimizerSettings(kind: .sgd, momentum: 0, weightDecay: 0), byBlock: true))
    optimizer.groups[0].settings.frozen = true

    func loss() -> Double {
      let e = encoder.sentenceEmbeddings(
        tokens, tokenTypes: types, normalize: true, activations: activations)
      return zip(e.values, c.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    let before = loss()
    let words = encoder.wordEmbeddings.value
    encoder.backward(embeddingGradient: c, activations: activations)
    optimizer.step()
    let after = loss()

    // Gradient descent on a smooth loss with a small step lowers it; the frozen
    // embeddings block stays as it was.
    #expect(after < before)
    #expect(encoder.wordEmbeddings.value == words)
  }
}
