import FuseEngine
import FuseFormat

/// model(..., finetune:): which text modalities train their encoder, and how its groups
/// are cut; and the pretrained encoders they start from, read through the session's
/// text embedder so that a model folder's weights are read once.
extension EngineBuiltins {
  static let fineTuningChoices = "\"whole\" (one group, <modality>.encoder) or \"blocks\""

  static let finetuneParameter = ParameterSpec(
    "finetune", default: .nothing,
    accepts:
      "a text modality's name or a list of them (its encoder trains as one group, "
      + "<modality>.encoder), or a record by modality of \"whole\" or \"blocks\" (one group "
      + "per block: <modality>.embeddings, <modality>.layer.0, ...)",
    defaultDescription: "none: text modalities read their frozen encoder's embeddings")

  /// The text modalities of a data set: those whose features a text encoder made, whose
  /// token ids every split keeps.
  static func textModalities(of dataset: Dataset) -> [String] {
    dataset.modalities.map(\.name).filter { name in
      dataset.textModalities[name] != nil
        && dataset.splits.values.allSatisfy { $0.tokenIDs[name] != nil }
    }
  }

  /// "the text modalities are text", or how to make one when there is none.
  static func textModalityList(_ dataset: Dataset) -> String {
    let text = textModalities(of: dataset)
    return text.isEmpty
      ? "this data set has none; a text column becomes one with meld(..., text: "
        + "\"utterance\") or columns(..., text: \"Column\")"
      : "the text modalities are " + text.joined(separator: ", ")
  }

  /// The `finetune:` argument as a tuning per modality name.
  func fineTuning(_ arguments: Arguments, dataset: Dataset) throws -> [String: EncoderTuning] {
    var asked: [(String, EncoderTuning)] = []
    switch arguments["finetune"] {
    case .nothing: return [:]
    case .string(let name): asked = [(name, .whole)]
    case .list(let items):
      asked = try items.map { item in
        guard case .string(let name) = item else { throw arguments.mismatch("finetune") }
        return (name, .whole)
      }
    case .record(let fields):
      asked = try fields.map { name, value in
        guard case .string(let word) = value,
          let tuning = EncoderTuning(rawValue: word.lowercased())
        else {
          throw BuiltinError(
            "finetune.\(name) must be \(EngineBuiltins.fineTuningChoices), got "
              + describeForError(value), argument: "finetune")
        }
        return (name, tuning)
      }
    default: throw arguments.mismatch("finetune")
    }

    let names = dataset.modalities.map(\.name)
    let text = Self.textModalities(of: dataset)
    var result: [String: EncoderTuning] = [:]
    for (name, tuning) in asked {
      guard names.contains(name) else {
        throw BuiltinError(
          "finetune names '\(name)', which is not a modality of the data set ("
            + names.joined(separator: ", ") + ")" + didYouMean(name, among: names),
          argument: "finetune")
      }
      guard text.contains(name) else {
        throw BuiltinError(
          "finetune names '\(name)', which is not a text modality (its features do not come "
            + "from a text encoder, so there is none to fine-tune); "
            + Self.textModalityList(dataset), argument: "finetune")
      }
      result[name] = tuning
    }
    return result
  }

  /// The pretrained encoder of each text modality in `names`, from the session's embedder.
  func pretrainedEncoders(_ names: [String], dataset: Dataset) throws -> [String:
    PretrainedEncoder]
  {
    var encoders: [String: PretrainedEncoder] = [:]
    for name in names {
      guard let text = dataset.textModalities[name] else { continue }
      let sentence = try host.textEmbedder.sentenceEncoder(folder: text.encoderFolder)
      if !sentence.isLoaded {
        host.report(.line("\(name): reading the encoder in \(text.encoderFolder)"))
      }
      encoders[name] = PretrainedEncoder(
        encoder: try sentence.encoder(), normalize: text.normalized)
    }
    return encoders
  }

  /// The pretrained encoder of a text modality, for a checkpoint that fine-tunes it; nil
  /// when its model folder cannot be read.
  func pretrainedEncoder(_ name: String, dataset: Dataset) -> TextEncoder? {
    (try? pretrainedEncoders([name], dataset: dataset))?[name]?.encoder
  }
}
