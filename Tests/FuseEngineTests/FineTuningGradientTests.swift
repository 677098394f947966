import Foundation
import Testing

@testable import FuseEngine

/// The gradient of the fused loss reaches a fine-tuned text encoder through its branch's
/// MLP and the standardisation: checked against central differences of the whole model
/// written in double precision (`EncoderReference` for the encoder, `DoubleReference` for
/// the MLPs and the loss), with the fusion weights not 1 and dropout on in the text branch.
///
/// Both references read the engine's weights in PyTorch's layout, so the check also covers
/// how the encoder's parameters map to their state-dict tensors. As in
/// `EncoderGradientTests`, float32 rounding keeps the worst entry near 1e-4; the tolerance
/// is 1e-3.
@Suite("Fine-tuning gradients")
struct FineTuningGradientTests {
  typealias T = TextFusionFixtures

  /// A few entries of every tensor: its first and last, and two drawn at random.
  static func sampled(_ count: Int, generator: inout SeededGenerator) -> [Int] {
    Array(
      Set([0, count - 1] + (0..<2).map { _ in Int(generator.uniform() * Float(count)) % count })
    )
    .sorted()
  }

  @Test("the fused loss's gradient in sampled encoder weights matches central differences")
  func encoderGradientMatchesCentralDifferences() throws {
    let model = try T.model(.blocks, dropout: 0.2)
    model.fusionWeights = [1.5, 0.5]
    let split = T.data.splits["train"]!
    let rows = Array(0..<7)
    let tokens = rows.map { split.tokenIDs["text"]![$0] }
    let labels = rows.map { split.labels[$0] }
    let side = model.branches[1].standardized(split.features[1].rows(rows))
    var buffers = FusionBuffers()
    var generator = SeededGenerator(seed: 3)
    _ = model.lossAndGradients(
      inputs: [Matrix(rows: 0, columns: 0), side], labels: labels, training: true,
      generator: &generator, buffers: &buffers, text: [TextBatch(tokens: tokens), nil])
    let text = model.branches[0]
    let encoder = try #require(text.textEncoder)
    let analytic = encoder.stateTensors(of: { $0.gradient })
    let headGradients = text.headParameters.map { $0.gradient }

    // The double-precision model: the dropout masks and the side branch's logits are
    // those of the pass above, which the loss does not differentiate through.
    let steps = DoubleReference.steps(of: text)
    let head = text.headParameters.map { DoubleReference.values($0.value) }
    let sideLogits = DoubleReference.values(model.branches[1].logits)
    let (mean, scale) = (text.featureMean.map(Double.init), text.featureScale.map(Double.init))
    func loss(state: [String: [Double]], head: [[Double]]) -> Double {
      let embeddings = EncoderReference.sentenceEmbeddings(
        state, configuration: T.configuration, tokens: tokens, tokenTypes: nil, normalize: true)
      let input = embeddings.flatMap { row in row.indices.map { (row[$0] - mean[$0]) / scale[$0] } }
      let logits = DoubleReference.logits(
        steps: steps, parameters: head, input: input, rows: rows.count)
      let fused = zip(logits, sideLogits).map { 1.5 * $0 + 0.5 * $1 }
      return DoubleReference.crossEntropy(logits: fused, classes: 3, labels: labels)
    }

    let state = encoder.stateTensors().mapValues { $0.values.map(Double.init) }
    var sampler = SeededGenerator(seed: 4)
    var checked = 0
    for name in state.keys.sorted() {
      let gradient = try #require(analytic[name], "no gradient for \(name)")
      for index in Self.sampled(state[name]!.count, generator: &sampler) {
        var moved = state
        let step = 1e-6
        moved[name]![index] += step
        let plus = loss(state: moved, head: head)
        moved[name]![index] -= 2 * step
        let minus = loss(state: moved, head: head)
        let numeric = (plus - minus) / (2 * step)
        let error = EngineFixtures.worstError([Double(gradient.values[index])], [numeric])
        #expect(error < 1e-3, "\(name)[\(index)]: \(gradient.values[index]) against \(numeric)")
        checked += 1
      }
    }
    #expect(checked > 100)

    let numericHead = DoubleReference.numericalGradient(of: head) { loss(state: state, head: $0) }
    for (p, gradient) in headGradients.enumerated() {
      #expect(EngineFixtures.worstError(gradient, numericHead[p]) < 1e-3, "head parameter \(p)")
    }
  }

  @Test("freezing the lower blocks skips their gradients and leaves the others as they were")
  func lowerBlocksAreSkipped() throws {
    let model = try T.model(.blocks, dropout: 0)
    let split = T.data.splits["train"]!
    let rows = Array(0..<5)
    let tokens = rows.map { split.tokenIDs["text"]![$0] }
    let side = model.branches[1].standardized(split.features[1].rows(rows))
    func gradients(lowestBlock: Int) -> [[Float]] {
      var buffers = FusionBuffers()
      var generator = SeededGenerator(seed: 3)
      model.branches[0].textEncoder!.zeroGradients()
      _ = model.lossAndGradients(
        inputs: [Matrix(rows: 0, columns: 0), side], labels: rows.map { split.labels[$0] },
        training: true, generator: &generator, buffers: &buffers,
        text: [TextBatch(tokens: tokens, lowestBlock: lowestBlock), nil])
      return model.branches[0].textEncoder!.parameters.map(\.gradient.values)
    }
    let full = gradients(lowestBlock: 0)
    let top = gradients(lowestBlock: 2)
    let blocks = model.branches[0].textEncoder!.blocks
    var start = 0
    for (b, block) in blocks.enumerated() {
      let range = start..<start + block.parameters.count
      start = range.upperBound
      for p in range {
        if b < 2 {
          #expect(top[p].allSatisfy { $0 == 0 }, "block \(block.name) has a gradient")
        } else {
          #expect(top[p] == full[p], "block \(block.name) differs when the pass stops early")
        }
      }
    }
  }
}
