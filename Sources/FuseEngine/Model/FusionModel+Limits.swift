import FuseFormat

/// Checks of a model's shape, and limits on its size, so that a typo such as
/// `hidden: [1e12]` is an error rather than an allocation that kills the process.
extension BranchShape {
  /// Throws `EngineError.invalidOption` naming `hidden` or `dropout` when this shape cannot
  /// be built: a width below 1 or above `FusionModel.maximumWidth`, a dropout outside [0, 1).
  public func validate() throws {
    if let bad = hidden.first(where: { $0 < 1 }) {
      throw EngineError.invalidOption(
        name: "hidden", value: "\(bad)", reason: "hidden widths must be at least 1")
    }
    let maximum = FusionModel.maximumWidth
    if let bad = hidden.first(where: { $0 > maximum }) {
      throw EngineError.invalidOption(
        name: "hidden", value: "\(bad)", reason: "hidden widths must be at most \(maximum)")
    }
    guard dropout >= 0, dropout < 1 else {
      throw EngineError.invalidOption(
        name: "dropout", value: optionText(dropout), reason: "dropout must be in [0, 1)")
    }
  }
}

extension FusionModel {
  /// The widest hidden layer a branch may have.
  public static let maximumWidth = 65_536

  /// The most parameters a model may have: 200 MB of 32-bit weights, to which training adds
  /// gradients and optimizer state (two to four times as much again).
  public static let maximumParameterCount = 50_000_000

  /// The most activations one layer may hold for one batch (256 MB of floats): batch rows
  /// times the widest hidden layer.
  public static let maximumActivationCount = 1 << 26

  /// Throws when the branches of these shapes would have more than `maximumParameterCount`
  /// weights and biases together. Counted in Double: wide inputs times wide layers must not
  /// overflow on the way to the error.
  static func checkSize(shapes: [BranchShape], dataset: Dataset) throws {
    var total = 0.0
    for (shape, modality) in zip(shapes, dataset.modalities) {
      var inputs = Double(modality.dimension)
      for width in shape.hidden.map(Double.init) + [Double(dataset.outputCount)] {
        total += inputs * width + width
        inputs = width
      }
    }
    guard total <= Double(maximumParameterCount) else {
      // One list when every branch has the same widths, else each modality's own.
      let widths =
        shapes.allSatisfy { $0.hidden == shapes[0].hidden }
        ? "\(shapes[0].hidden)"
        : zip(dataset.modalities, shapes).map { "\($0.name) \($1.hidden)" }
          .joined(separator: ", ")
      let count = formatNumber(total)
      throw EngineError.invalidOption(
        name: "hidden", value: widths,
        reason: "the model would have \(count) parameters; the limit is "
          + "\(maximumParameterCount) (narrow the hidden layers)")
    }
  }

  /// Throws when a batch of `rows` samples would need more than `maximumActivationCount`
  /// activations in some branch's widest hidden layer.
  func checkActivations(batchRows rows: Int, batchSize: Int) throws {
    for branch in branches {
      guard let widest = branch.shape.hidden.max(), rows * widest > Self.maximumActivationCount
      else { continue }
      throw EngineError.invalidOption(
        name: "batch", value: "\(batchSize)",
        reason:
          "\(rows) samples through the \(widest)-wide hidden layer of '\(branch.modality.name)'"
          + " need \(rows * widest) activations; the limit is \(Self.maximumActivationCount), "
          + "so use a batch of at most \(Self.maximumActivationCount / widest)")
    }
  }
}
