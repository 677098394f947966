import Foundation

@testable import FuseEngine

/// A small data set with a text modality made by the tiny random encoder of
/// `EncoderFixtures` (its features are the encoder's unit-length sentence embeddings, its
/// token ids kept in every split) beside a feature modality, and fused models of it.
///
/// Each sample's class c (0, 1, 2, in turn) decides most of its tokens (ids 1 to 6, 7 to 12
/// or 13 to 19, with one in four drawn from anywhere) and shifts its three `side` features
/// by c, so that both branches have something to learn.
enum TextFusionFixtures {
  static let configuration = EncoderFixtures.configuration

  /// The pretrained encoder every model here starts from.
  static let pretrained: TextEncoder = try! EncoderFixtures.encoder(
    EncoderFixtures.randomState(seed: 31))

  static func dataset(counts: (train: Int, dev: Int, test: Int) = (24, 9, 9)) -> Dataset {
    var generator = SeededGenerator(seed: 32)
    func split(_ count: Int) -> DataSplit {
      var tokens: [[Int]] = []
      var side: [Float] = []
      var labels: [Int] = []
      for index in 0..<count {
        let label = index % 3
        let length = 3 + Int(generator.uniform() * 8)
        tokens.append(
          (0..<length).map { _ in
            generator.uniform() < 0.25
              ? Int(generator.uniform() * 20) % 20
              : 1 + 6 * label + Int(generator.uniform() * 6) % 6
          })
        side += (0..<3).map { _ in Float(label) + generator.normal() }
        labels.append(label)
      }
      let text = try! pretrained.encode(tokens, normalize: true)
      var result = DataSplit(
        features: [text, Matrix(rows: count, columns: 3, values: side)], labels: labels)
      result.tokenIDs["text"] = tokens
      return result
    }
    return Dataset(
      name: "tiny text",
      modalities: [Modality(name: "text", dimension: 8), Modality(name: "side", dimension: 3)],
      classNames: ["a", "b", "c"],
      splits: ["train": split(counts.train), "dev": split(counts.dev), "test": split(counts.test)],
      splitRule: "synthetic", source: "memory")
  }

  static let data = dataset()

  /// A model whose text branch fine-tunes the tiny encoder (`tuning`), beside an MLP on
  /// the side features.
  static func model(
    _ tuning: EncoderTuning = .whole, data: Dataset = data, dropout: Float = 0.1, seed: UInt64 = 5
  ) throws -> FusionModel {
    try FusionModel(
      dataset: data,
      shapes: [
        BranchShape(hidden: [6], activation: .gelu, dropout: dropout, fineTuning: tuning),
        BranchShape(hidden: [5], dropout: 0),
      ], seed: seed,
      encoders: ["text": PretrainedEncoder(encoder: pretrained, normalize: true)])
  }

  /// Every parameter of the text branch's encoder, bit for bit, by state-dict name.
  static func encoderBits(of model: FusionModel) -> [String: [UInt32]] {
    model.branches[0].textEncoder!.stateTensors().mapValues { $0.values.map(\.bitPattern) }
  }

  /// The head's parameters of branch m, bit for bit.
  static func headBits(of model: FusionModel, branch m: Int = 0) -> [[UInt32]] {
    model.branches[m].headParameters.map { $0.value.values.map(\.bitPattern) }
  }
}
