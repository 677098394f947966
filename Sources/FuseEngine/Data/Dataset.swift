/// One modality of a data set: a name and the length of its feature vectors.
public struct Modality: Equatable, Sendable {
  public var name: String
  public var dimension: Int

  public init(name: String, dimension: Int) {
    self.name = name
    self.dimension = dimension
  }
}

/// The samples of one split: a feature matrix per modality and a class per sample.
public struct DataSplit: Sendable {
  /// One matrix per modality, in the data set's modality order; row i is sample i.
  public var features: [Matrix]

  /// The class index of each sample.
  public var labels: [Int]

  public var count: Int { labels.count }

  public init(features: [Matrix], labels: [Int]) {
    self.features = features
    self.labels = labels
  }
}

/// A multimodal classification data set with named splits.
public struct Dataset: Sendable {
  public var name: String
  public var modalities: [Modality]
  public var classNames: [String]

  /// The splits by name: "train", "dev" and "test".
  public var splits: [String: DataSplit]

  /// How the splits were made, in words a user can check.
  public var splitRule: String

  /// The file or folder the data set was read from.
  public var source: String

  public init(
    name: String, modalities: [Modality], classNames: [String],
    splits: [String: DataSplit], splitRule: String, source: String
  ) {
    self.name = name
    self.modalities = modalities
    self.classNames = classNames
    self.splits = splits
    self.splitRule = splitRule
    self.source = source
  }
}
