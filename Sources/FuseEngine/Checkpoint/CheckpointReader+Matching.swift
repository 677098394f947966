import FuseFormat

/// The checks that a checkpoint belongs with the data set and the model it is loaded for,
/// each failing with a message that says what differs.
extension CheckpointReader {
  /// Refuses a data set other than the one the checkpoint was trained on: other
  /// modalities or widths, classes, split sizes, or train features.
  func checkDataset(_ dataset: Dataset) throws {
    func differs(_ detail: String) -> CheckpointError {
      .dataMismatch(path: path, detail: detail)
    }
    let saved = configuration.dataset
    let savedNames = saved.modalities.map(\.name)
    let names = dataset.modalities.map(\.name)
    guard configuration.model.branches.map(\.modality) == savedNames else {
      throw invalid(
        "its branches are for \(configuration.model.branches.map(\.modality)), its data set "
          + "has modalities \(savedNames)")
    }
    guard savedNames == names else {
      throw differs(
        "checkpoint has modalities \(savedNames.joined(separator: ", ")); this data set has "
          + names.joined(separator: ", "))
    }
    for (ours, theirs) in zip(saved.modalities, dataset.modalities)
    where ours.dimension != theirs.dimension {
      throw differs(
        "checkpoint has modality '\(ours.name)' with \(counted(ours.dimension, "feature")); "
          + "this data set's \(theirs.name) has \(theirs.dimension)")
    }
    let savedTask = saved.task ?? .classification
    guard savedTask == dataset.task else {
      throw differs(
        "checkpoint was trained for \(savedTask.rawValue); this data set is a "
          + "\(dataset.task.rawValue) task")
    }
    guard saved.classNames == dataset.classNames else {
      throw differs(
        "checkpoint has \(counted(saved.classNames.count, "class", plural: "classes")) ("
          + saved.classNames.joined(separator: ", ") + "); this data set has "
          + "\(dataset.classNames.count) (" + dataset.classNames.joined(separator: ", ") + ")")
    }
    for split in Set(saved.splitSizes.keys).union(dataset.splits.keys).sorted() {
      let before = saved.splitSizes[split] ?? 0
      let now = dataset.splits[split]?.count ?? 0
      guard before != now else { continue }
      throw differs(
        "checkpoint was trained with a \(split) split of \(counted(before, "sample")); this "
          + "data set's has \(now)")
    }
    let train = try requireSplit("train", of: dataset)
    guard train.fingerprint == saved.trainFingerprint else {
      throw differs(
        "checkpoint was trained on other train features or labels than this data set's, "
          + "though the sizes agree (fingerprint \(saved.trainFingerprint), this data set "
          + "\(train.fingerprint))")
    }
    let shapes = configuration.model.branches.map(\.shape)
    do {
      try FusionModel.checkSize(shapes: shapes, dataset: dataset)
    } catch {
      throw invalid("its branches are too large: \(error)")
    }
  }

  /// Refuses a checkpoint whose architecture is not `model`'s: other modalities, classes,
  /// or a branch with other hidden widths, activation, dropout or standardisation.
  func checkArchitecture(of model: FusionModel) throws {
    func differs(_ detail: String) -> CheckpointError {
      .architectureMismatch(path: path, detail: detail)
    }
    let branches = configuration.model.branches
    let savedNames = branches.map(\.modality)
    let names = model.modalities.map(\.name)
    guard savedNames == names else {
      throw differs(
        "checkpoint has branches for \(savedNames.joined(separator: ", ")); the model has "
          + names.joined(separator: ", "))
    }
    let classes = configuration.dataset.classNames
    guard classes.count == model.classNames.count else {
      throw differs(
        "checkpoint has \(counted(classes.count, "class", plural: "classes")); the model has "
          + "\(model.classNames.count)")
    }
    for (entry, branch) in zip(branches, model.branches) {
      let shape = branch.shape
      let place = "in branch '\(entry.modality)'"
      if entry.hidden != shape.hidden {
        throw differs(
          "checkpoint was written for hidden \(entry.hidden) \(place); the model has "
            + "\(shape.hidden)")
      }
      if entry.activation != shape.activation {
        throw differs(
          "checkpoint was written for activation \(entry.activation.rawValue) \(place); the "
            + "model has \(shape.activation.rawValue)")
      }
      if entry.dropout != shape.dropout {
        throw differs(
          "checkpoint was written for dropout \(formatNumber(entry.dropout)) \(place); the "
            + "model has \(formatNumber(shape.dropout))")
      }
      if entry.encoder?.tuning != shape.fineTuning {
        func words(_ tuning: EncoderTuning?) -> String {
          tuning.map { "a fine-tuned encoder (\($0.rawValue))" } ?? "no fine-tuned encoder"
        }
        throw differs(
          "checkpoint was written for \(words(entry.encoder?.tuning)) \(place); the model has "
            + words(shape.fineTuning))
      }
      if entry.standardize != shape.standardize {
        func words(_ flag: Bool) -> String { flag ? "standardised features" : "raw features" }
        throw differs(
          "checkpoint was written for \(words(entry.standardize)) \(place); the model has "
            + words(shape.standardize))
      }
    }
  }
}
