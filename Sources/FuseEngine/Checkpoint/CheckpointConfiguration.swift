import Foundation

/// The JSON a checkpoint keeps in its safetensors metadata under `config`: what the tensors
/// are, the data set they were trained on, and the training run's state.
///
/// Tensors hold every array (weights, standardisation statistics, optimizer moments, the
/// shuffle order); this holds the rest. Field names are those of the engine's types.
struct CheckpointConfiguration: Codable {
  /// `metadata["format"]` of every FuseLab checkpoint.
  static let formatName = "fuselab-checkpoint"

  /// Raised when the layout changes; a reader refuses versions above its own.
  static let currentVersion = 1

  var formatVersion: Int
  var dataset: DatasetIdentity
  var model: ModelConfiguration
  var training: TrainingConfiguration?
}

/// What a checkpoint needs to know of the data set it was trained on, to refuse another.
struct DatasetIdentity: Codable {
  var name: String
  var source: String
  var modalities: [ModalityEntry]
  var classNames: [String]
  /// Classification or regression; absent in files that only knew classification.
  var task: LearningTask?
  var splitSizes: [String: Int]
  /// `DataSplit.fingerprint` of the train split.
  var trainFingerprint: String

  struct ModalityEntry: Codable {
    var name: String
    var dimension: Int
  }
}

struct ModelConfiguration: Codable {
  var seed: UInt64?
  var branches: [BranchConfiguration]
  var bestRates: [Float?]
  var strategy: RateStrategy
  var currentRates: [Float]
}

/// One branch's shape, and the names of its tensors as the file holds them.
struct BranchConfiguration: Codable {
  var modality: String
  var hidden: [Int]
  var activation: Activation
  var dropout: Float
  var standardize: Bool
  /// Each Linear layer's weight and bias tensor names, in order.
  var parameters: [String]
  /// The text encoder the branch fine-tunes, whose tensors are `<modality>.encoder.*`;
  /// absent for other branches and in files from before fine-tuning.
  var encoder: EncoderEntry?

  var shape: BranchShape {
    BranchShape(
      hidden: hidden, activation: activation, dropout: dropout, standardize: standardize,
      fineTuning: encoder?.tuning)
  }
}

/// A fine-tuned encoder's settings: its groups, whether its embeddings are unit length,
/// and its sizes (its tensors have the shapes these give).
struct EncoderEntry: Codable, Equatable {
  var tuning: EncoderTuning
  var normalize: Bool
  var configuration: EncoderConfiguration
}

struct TrainingConfiguration: Codable {
  var options: TrainingOptions
  var scheduleSpan: Int
  var strategy: RateStrategy
  var usesRateRule: Bool
  var threads: Int
  var trainFingerprint: String
  var history: History
  var notResumable: String?
  var resume: ResumeConfiguration?
}

/// A `ResumePoint` less its arrays, which are tensors: `training.order`, `optimizer.*`, and
/// `resume.*` or `early_stopping.best.*` when those weights are not the model's.
struct ResumeConfiguration: Codable {
  /// Where a set of weights the run needs is found in the file.
  enum WeightSource: String, Codable {
    /// The model's own tensors.
    case model
    /// The `resume.*` tensors.
    case resume
    /// The `early_stopping.best.*` tensors.
    case stored
  }

  var completedEpochs: Int
  /// The generator's four words, as 16 hex digits each.
  var generator: [String]
  var baseRates: [Float]
  var currentRates: [Float]
  var optimizerSteps: [Int]
  var weights: WeightSource
  var fusionWeights: [Float]
  var autoValidations: [[Double]]?
  var autoInitialRates: [Float]?
  var plateaus: [PlateauConfiguration?]
  var stopping: StoppingConfiguration?
}

struct PlateauConfiguration: Codable {
  var best: Double?
  var badEpochs: Int
  var scale: Double
}

struct StoppingConfiguration: Codable {
  var best: Double?
  var bestEpoch: Int?
  var epochsWithoutImprovement: Int
  /// Where the best epoch's weights are, or nil when none were kept.
  var bestWeights: ResumeConfiguration.WeightSource?
  var bestFusionWeights: [Float]
}

extension CheckpointConfiguration {
  static func encoder() -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }

  static func decoder() -> JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }
}
