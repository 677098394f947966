import Foundation
import Testing

@testable import FuseEngine

/// The encoder's parameters: their names, their blocks and optimizer groups, and the
/// PyTorch state dict they map back to.
@Suite("Text encoder parameters")
struct EncoderParameterTests {
  typealias Fixtures = EncoderFixtures

  @Test("parameters are named as in a BertModel state dict and grouped by block")
  func namesAndBlocks() throws {
    let state = Fixtures.randomState(seed: 13)
    let encoder = try Fixtures.encoder(state)

    #expect(encoder.blocks.map(\.name) == ["embeddings", "layer.0", "layer.1"])
    #expect(encoder.blocks[0].parameters.map(\.name).contains("embeddings.LayerNorm.weight"))
    #expect(
      encoder.blocks[2].parameters.map(\.name) == [
        "encoder.layer.1.attention.self.query_key_value.weight",
        "encoder.layer.1.attention.self.query_key_value.bias",
        "encoder.layer.1.attention.output.dense.weight",
        "encoder.layer.1.attention.output.dense.bias",
        "encoder.layer.1.attention.output.LayerNorm.weight",
        "encoder.layer.1.attention.output.LayerNorm.bias",
        "encoder.layer.1.intermediate.dense.weight", "encoder.layer.1.intermediate.dense.bias",
        "encoder.layer.1.output.dense.weight", "encoder.layer.1.output.dense.bias",
        "encoder.layer.1.output.LayerNorm.weight", "encoder.layer.1.output.LayerNorm.bias",
      ])
    #expect(Set(encoder.parameters.map(\.name)).count == encoder.parameters.count)
    #expect(encoder.parameterCount == state.values.reduce(0) { $0 + $1.values.count })

    let whole = encoder.parameterGroups(name: "text", learningRate: 2e-5)
    #expect(whole.map(\.name) == ["text"])
    #expect(whole[0].parameters.count == encoder.parameters.count)
    var settings = OptimizerSettings(kind: .adamw)
    settings.frozen = true
    let byBlock = encoder.parameterGroups(
      name: "text", learningRate: 2e-5, settings: settings, byBlock: true)
    #expect(byBlock.map(\.name) == ["text.embeddings", "text.layer.0", "text.layer.1"])
    #expect(byBlock.allSatisfy { $0.settings.frozen && $0.learningRate == 2e-5 })
    #expect(byBlock.flatMap(\.parameters).map(\.name) == encoder.parameters.map(\.name))

    // The state dict the encoder was loaded from comes back exactly, query, key and value
    // apart and every dense weight outputs x inputs.
    #expect(encoder.stateTensors() == state)
  }

  @Test(
    "the state dict written back equals model.safetensors tensor for tensor",
    .enabled(if: EncoderTestPaths.minilmAvailable, "needs data/minilm (scripts/fetch-minilm)"))
  func stateTensorsReproduceTheCheckpoint() throws {
    let encoder = try #require(EncoderTestPaths.encoder)
    let file = try SafeTensorsFile(
      path: EncoderTestPaths.minilm.appendingPathComponent("model.safetensors").path)
    let prefix = file.entries["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
    let state = encoder.stateTensors()
    let stored = file.names.filter { !$0.contains("pooler.") && !$0.hasSuffix("position_ids") }
    #expect(Set(state.keys.map { prefix + $0 }) == Set(stored))
    for (name, tensor) in state {
      #expect(try file.tensor(prefix + name) == tensor, "\(name) differs from the file")
    }
  }
}
