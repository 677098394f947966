import Foundation
import FuseFormat

/// What went wrong in the engine, with what a user needs to fix it.
public enum EngineError: Error, Equatable, CustomStringConvertible {
  /// A split name the data set does not have.
  case unknownSplit(String, available: [String])

  /// A split with no samples where samples are needed.
  case emptySplit(String)

  /// The data set does not match the model (modalities, widths or classes).
  case dataMismatch(String)

  /// A strategy needs best unimodal rates that no sweep has set yet.
  case missingBestRates(modalities: [String], strategy: String)

  /// An option or argument with a value the engine cannot use.
  case invalidOption(name: String, value: String, reason: String)

  /// Training produced a non-finite loss; the weights were restored to the start of the epoch.
  /// `group` names the parameter group blamed when it is not the modality's own branch (an
  /// encoder group of a fine-tuning branch).
  case diverged(
    epoch: Int, batch: Int, modality: String, learningRate: Float, loss: Float,
    group: String? = nil)

  /// Every rate of a sweep diverged for one modality, so none can be kept.
  case sweepDiverged(modality: String, rates: [Float])

  /// The progress callback asked to stop before the work could produce a result.
  case interrupted(String)

  /// Fresh weights were asked of a model that was assembled from existing branches, so
  /// the seed its first weights came from is not known.
  case noInitialSeed

  /// A training run that cannot be resumed as asked, and why.
  case cannotResume(String)

  /// Fine-tuning was asked of a modality whose features do not come from a text encoder.
  case notATextModality(modality: String, textModalities: [String])

  /// Fresh weights were asked of a fine-tuning branch whose pretrained encoder is not known
  /// (a model read from a checkpoint without it).
  case noPretrainedEncoder(modality: String)

  public var description: String {
    switch self {
    case .unknownSplit(let name, let available):
      let list = available.sorted().map { "'\($0)'" }.joined(separator: ", ")
      return "unknown split '\(name)'; the data set has \(list.isEmpty ? "no splits" : list)"
    case .emptySplit(let name):
      return "split '\(name)' has no samples"
    case .dataMismatch(let detail):
      return "data set does not match the model: \(detail)"
    case .missingBestRates(let modalities, let strategy):
      let names = modalities.map { "'\($0)'" }.joined(separator: ", ")
      return "rate strategy \(strategy) needs the best unimodal rate of \(names); "
        + "run a sweep first or use a global rate"
    case .invalidOption(let name, let value, let reason):
      return "invalid value \(value) for '\(name)': \(reason)"
    case .diverged(let epoch, let batch, let modality, let learningRate, let loss, let group):
      let culprit =
        modality == "fusion"
        ? "the learned fusion weights (group 'fusion')"
        : "modality '\(modality)'" + (group.map { " (group '\($0)')" } ?? "")
      return "training diverged (loss \(formatNumber(loss))) at epoch \(epoch), batch \(batch); "
        + "\(culprit) at learning rate \(formatNumber(learningRate)) is the likely cause; "
        + "the weights from the start of epoch \(epoch) were kept; try a smaller rate"
    case .sweepDiverged(let modality, let rates):
      let listed = rates.map { formatNumber($0) }.joined(separator: ", ")
      return "every rate of the sweep diverged for modality '\(modality)' (\(listed)); "
        + "the model was left unchanged; try smaller rates"
    case .interrupted(let work):
      return "\(work) was stopped before it finished"
    case .cannotResume(let reason):
      return "cannot resume training: \(reason)"
    case .notATextModality(let modality, let textModalities):
      let known =
        textModalities.isEmpty
        ? "the data set has no text modality (one whose features a text encoder made from a "
          + "column of text, keeping its token ids)"
        : "the text modalities are " + textModalities.joined(separator: ", ")
      return "modality '\(modality)' is not a text modality, so it has no encoder to "
        + "fine-tune; \(known)"
    case .noPretrainedEncoder(let modality):
      return "the pretrained encoder of branch '\(modality)' is not known, so its first "
        + "weights cannot be put back; build the model anew from its data set"
    case .noInitialSeed:
      return "this model was assembled from existing branches, so its first weights are not "
        + "known; build it with a seed to start again from fresh weights"
    }
  }
}

/// An option's value for `invalidOption`: numbers (and lists of them) in FuseLab's number
/// format, as the language prints them.
func optionText(_ value: Any) -> String {
  switch value {
  case let number as Float: return formatNumber(number)
  case let number as Double: return formatNumber(number)
  case let numbers as [Float]:
    return "[" + numbers.map { formatNumber($0) }.joined(separator: ", ") + "]"
  default: return "\(value)"
  }
}
