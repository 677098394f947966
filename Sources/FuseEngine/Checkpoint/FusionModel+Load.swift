import Foundation
import FuseFormat

extension FusionModel {
  /// Reads a model saved by `save(to:dataset:)`, with its training run, for `dataset`.
  ///
  /// The model has the checkpoint's branches (shapes, weights, standardisation), fusion
  /// weights, best rates, strategy and rates in force; its `trainingState` is the saved
  /// run's, so that `resume` continues the run as if it had never stopped.
  ///
  /// - Parameters:
  ///   - dataset: must be the data set the checkpoint was trained on: the same modalities
  ///     and widths, classes, split sizes and train features (by fingerprint).
  ///   - architecture: a model whose shape the checkpoint must have (modalities, classes
  ///     and each branch's hidden widths, activation, dropout and standardisation), as
  ///     PyTorch's `load_state_dict` checks; its own weights are not read.
  ///   - pretrainedEncoder: for a branch that fine-tunes a text encoder, the pretrained
  ///     encoder it started from, asked for by modality name; left out, it is read from
  ///     the modality's model folder (`Dataset.textModalities`) when that is there. The checkpoint holds
  ///     the fine-tuned weights either way; the pretrained ones let `freshCopy` start
  ///     again and tell an encoder that never moved, whose features need no encoding.
  /// - Throws: `SafeTensorsError` for a file that cannot be read or whose layout is damaged
  ///   (truncated, bad offsets, a missing tensor, a wrong dtype or shape), naming the file
  ///   and the tensor; `CheckpointError` for a file that is not a checkpoint, a damaged
  ///   configuration, or one written for another data set or architecture, saying what
  ///   differs.
  public static func load(
    from path: String, dataset: Dataset, architecture: FusionModel? = nil,
    pretrainedEncoder: ((String) -> TextEncoder?)? = nil
  ) throws -> FusionModel {
    let reader = try CheckpointReader(path: path)
    try reader.checkDataset(dataset)
    if let architecture { try reader.checkArchitecture(of: architecture) }
    let model = try reader.model(for: dataset, pretrainedEncoder: pretrainedEncoder)
    model.trainingState = try reader.trainingState(of: model, dataset: dataset)
    try reader.checkNoOtherTensors()
    return model
  }
}

/// An opened checkpoint: its tensors, its configuration, and the names read so far.
final class CheckpointReader {
  let path: String
  let file: SafeTensorsFile
  let configuration: CheckpointConfiguration
  private(set) var expected: Set<String> = []

  init(path: String) throws {
    file = try SafeTensorsFile(path: path)
    self.path = path
    guard file.metadata["format"] == CheckpointConfiguration.formatName,
      let text = file.metadata["config"]
    else {
      let shown = file.names.prefix(3).map { "'\($0)'" }.joined(separator: ", ")
      throw CheckpointError.notACheckpoint(
        path: path,
        reason: "its metadata has no FuseLab configuration (format \"fuselab-checkpoint\" and "
          + "config); it holds \(file.names.count) tensors"
          + (shown.isEmpty ? "" : " such as \(shown)"))
    }
    let json = Data(text.utf8)
    do {
      configuration = try CheckpointConfiguration.decoder().decode(
        CheckpointConfiguration.self, from: json)
    } catch {
      if let version = Self.version(in: text), version > CheckpointConfiguration.currentVersion {
        throw CheckpointError.unsupportedVersion(
          path: path, version: version, supported: CheckpointConfiguration.currentVersion)
      }
      throw CheckpointError.invalidConfiguration(
        path: path,
        reason: "its config is not the JSON FuseLab writes ("
          + decodingFailureReason(error, in: json) + ")")
    }
    guard configuration.formatVersion <= CheckpointConfiguration.currentVersion else {
      throw CheckpointError.unsupportedVersion(
        path: path, version: configuration.formatVersion,
        supported: CheckpointConfiguration.currentVersion)
    }
  }

  private static func version(in text: String) -> Int? {
    let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    return object?["formatVersion"] as? Int
  }

  func invalid(_ reason: String) -> CheckpointError {
    .invalidConfiguration(path: path, reason: reason)
  }

  /// The F32 tensor `name` of `shape`, recorded as expected.
  func floats(_ name: String, shape: [Int]) throws -> [Float] {
    expected.insert(name)
    return try file.float32(name, shape: shape)
  }

  /// A parameter tensor as the matrix the engine keeps (a bias as 1 x outputs); `parameter`
  /// names the parameter whose shape it has, for a moment buffer or a saved copy.
  func matrix(_ name: String, parameter: String? = nil, rows: Int, columns: Int) throws -> Matrix {
    let shape = checkpointShape(parameter ?? name, rows: rows, columns: columns)
    let values = try floats(name, shape: shape)
    try checkFinite(values, name: name, shape: shape)
    return Matrix(rows: rows, columns: columns, values: values)
  }

  /// A tensor's values, refused when one is nan or inf (see `checkFinite`).
  func finiteFloats(_ name: String, shape: [Int]) throws -> [Float] {
    let values = try floats(name, shape: shape)
    try checkFinite(values, name: name, shape: shape)
    return values
  }

  /// Refuses a weight or optimizer tensor holding nan or inf, naming the first such element:
  /// loaded, it would only show later as a divergence blamed on the learning rate.
  func checkFinite(_ values: [Float], name: String, shape: [Int]) throws {
    guard let bad = values.firstIndex(where: { !$0.isFinite }) else { return }
    var index: [Int] = []
    var rest = bad
    for size in shape.reversed() {
      index.insert(rest % size, at: 0)
      rest /= size
    }
    let place = index.map(String.init).joined(separator: ", ")
    throw invalid(
      "tensor '\(name)' holds \(formatNumber(values[bad])) at [\(place)]; weights and optimizer "
        + "state must be finite numbers")
  }

  func int64s(_ name: String, shape: [Int]) throws -> [Int64] {
    expected.insert(name)
    return try file.int64(name, shape: shape)
  }

  /// Refuses tensors that the configuration does not account for, as PyTorch's strict
  /// `load_state_dict` does: they mean a file from another model or a damaged one.
  func checkNoOtherTensors() throws {
    let others = file.names.filter { !expected.contains($0) }
    guard let first = others.first else { return }
    throw invalid(
      "tensor '\(first)' is not part of the model the configuration describes"
        + (others.count > 1 ? " (nor \(others.count - 1) more)" : ""))
  }

  /// The model the file describes, its weights and statistics read and checked.
  func model(for dataset: Dataset, pretrainedEncoder: ((String) -> TextEncoder?)? = nil)
    throws -> FusionModel
  {
    let settings = configuration.model
    let modalities = dataset.modalities
    var unused = SeededGenerator(seed: 0)
    var branches: [Branch] = []
    for (entry, modality) in zip(settings.branches, modalities) {
      let shape = entry.shape
      do {
        try shape.validate()
      } catch {
        throw invalid("branch '\(entry.modality)': \(error)")
      }
      var encoder: TextEncoder?
      var pretrained: TextEncoder?
      if let entry = entry.encoder {
        let prefix = "\(modality.name).encoder."
        let values = try (0...entry.configuration.layerCount).flatMap { b in
          try TextEncoder.blockValues(b, configuration: entry.configuration) {
            try finiteFloats(prefix + $0, shape: $1)
          }
        }
        encoder = TextEncoder(configuration: entry.configuration, values: values)
        pretrained = Self.pretrained(
          modality.name, configuration: entry.configuration, given: pretrainedEncoder,
          dataset: dataset)
      }
      let branch = Branch(
        modality: modality, outputCount: dataset.outputCount, shape: shape,
        trainFeatures: nil, generator: &unused, textEncoder: encoder, pretrained: pretrained,
        normalize: entry.encoder?.normalize ?? false)
      let named = branch.namedParameters
      guard named.map(\.name) == entry.parameters else {
        throw invalid(
          "branch '\(entry.modality)' lists tensors \(entry.parameters), but its shape has "
            + "\(named.map(\.name))")
      }
      for (name, parameter) in named {
        parameter.value = try matrix(
          name, rows: parameter.value.rows, columns: parameter.value.columns)
      }
      if shape.standardize {
        let count = modality.dimension
        let mean = try floats(branch.meanName, shape: [count])
        let scale = try floats(branch.scaleName, shape: [count])
        if let bad = mean.firstIndex(where: { !$0.isFinite }) {
          throw invalid("tensor '\(branch.meanName)': feature \(bad) has a mean that is not finite")
        }
        if let bad = scale.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
          throw invalid(
            "tensor '\(branch.scaleName)': feature \(bad) has a standard deviation that is not "
              + "a positive number")
        }
        branch.featureMean = mean
        branch.featureScale = scale
      }
      branches.append(branch)
    }

    let count = branches.count
    let fusion = try floats("fusion.weight", shape: [count])
    try checkFinite(fusion, name: "fusion.weight", shape: [count])
    let model = FusionModel(
      branches: branches, classNames: dataset.classNames, task: dataset.task, fusionWeights: fusion,
      seed: settings.seed)
    guard settings.bestRates.count == count, settings.currentRates.count == count else {
      throw invalid("it has best rates or rates in force for other than \(count) modalities")
    }
    do {
      try settings.strategy.validate()
    } catch {
      throw invalid("its strategy \(settings.strategy): \(error)")
    }
    model.bestRates = settings.bestRates
    model.strategy = settings.strategy
    model.currentRates = settings.currentRates
    return model
  }
}

extension CheckpointReader {
  /// The pretrained encoder of a fine-tuned modality: the one given, else the one in the
  /// modality's model folder, if it is there and has the checkpoint's sizes.
  static func pretrained(
    _ modality: String, configuration: EncoderConfiguration,
    given: ((String) -> TextEncoder?)?, dataset: Dataset
  ) -> TextEncoder? {
    let found =
      given.map { $0(modality) }
      ?? dataset.textModalities[modality].flatMap { try? TextEncoder(folder: $0.encoderFolder) }
    return found?.configuration == configuration ? found : nil
  }
}

/// A short reason for a JSON decoding error: where in the document, and what.
func jsonReason(_ error: Error) -> String {
  switch error as? DecodingError {
  case .typeMismatch(_, let context), .valueNotFound(_, let context),
    .keyNotFound(_, let context), .dataCorrupted(let context):
    let place = context.codingPath.map(\.stringValue).joined(separator: ".")
    return place.isEmpty ? context.debugDescription : "\(place): \(context.debugDescription)"
  default:
    return "\(error)"
  }
}
