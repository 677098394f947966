/// One modality of a data set: a name and the length of its feature vectors.
public struct Modality: Equatable, Sendable {
  public var name: String
  public var dimension: Int

  public init(name: String, dimension: Int) {
    self.name = name
    self.dimension = dimension
  }
}

/// The samples of one split: a feature matrix per modality and, per sample, a class (for
/// classification) or a target value (for regression).
public struct DataSplit: Sendable {
  /// One matrix per modality, in the data set's modality order; row i is sample i.
  public var features: [Matrix]

  /// The class index of each sample; empty in a regression data set.
  public var labels: [Int]

  /// The target value of each sample; empty in a classification data set.
  public var targets: [Float]

  /// The token ids of each sample for every modality made by a text encoder, by modality
  /// name: `[CLS]`, the text's pieces, `[SEP]`, as the encoder read them. The features are
  /// the encoder's output for them; fine-tuning the encoder reads the ids instead.
  public var tokenIDs: [String: [[Int]]] = [:]

  public var count: Int { targets.isEmpty ? labels.count : targets.count }

  /// A classification split.
  public init(features: [Matrix], labels: [Int]) {
    self.features = features
    self.labels = labels
    self.targets = []
  }

  /// A regression split.
  public init(features: [Matrix], targets: [Float]) {
    self.features = features
    self.labels = []
    self.targets = targets
  }

  /// The same samples with other feature matrices (one modality's, say).
  func withFeatures(_ features: [Matrix]) -> DataSplit {
    var split = self
    split.features = features
    return split
  }
}

/// A multimodal data set with named splits: a classification task (class names, a class per
/// sample) or a regression task (no classes, a target value per sample).
public struct Dataset: Sendable {
  public var name: String
  public var modalities: [Modality]

  /// The class names in index order; empty for regression.
  public var classNames: [String]

  public var task: LearningTask

  /// The splits by name: "train", "dev" and "test".
  public var splits: [String: DataSplit]

  /// How the splits were made, in words a user can check.
  public var splitRule: String

  /// The file or folder the data set was read from.
  public var source: String

  /// How each modality made by a text encoder was made, by modality name.
  public var textModalities: [String: TextModalityDescription] = [:]

  public init(
    name: String, modalities: [Modality], classNames: [String],
    splits: [String: DataSplit], splitRule: String, source: String,
    task: LearningTask = .classification
  ) {
    self.name = name
    self.modalities = modalities
    self.classNames = classNames
    self.task = task
    self.splits = splits
    self.splitRule = splitRule
    self.source = source
  }
}
