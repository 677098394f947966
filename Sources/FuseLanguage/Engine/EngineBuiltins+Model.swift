import FuseEngine
import FuseFormat

/// model(): one branch shape per modality, from shared defaults and per-modality records.
extension EngineBuiltins {
  /// The settings a `branches:` record may give a modality, in the order messages list them.
  static let branchSettings = ["hidden", "activation", "dropout", "standardize", "finetune"]

  static let activationChoices = "\"relu\", \"gelu\", \"tanh\", \"sigmoid\" or \"leaky_relu\""

  var model: Builtin {
    Builtin(
      name: "model",
      summary: "A fusion model with one branch per modality; each may have its own shape.",
      parameters: [
        ParameterSpec("data", accepts: "a dataset"),
        ParameterSpec(
          "hidden", default: .list([.number(128)]),
          accepts: "a hidden width or a list of widths ([] for a linear branch)"),
        ParameterSpec(
          "dropout", default: .number(0.1), accepts: "a number in [0, 1), after each hidden layer"),
        ParameterSpec(
          "activation", default: .string("relu"),
          accepts: "\(EngineBuiltins.activationChoices), after each hidden layer"),
        ParameterSpec(
          "standardize", default: .bool(true),
          accepts: "true or false: z-score features with train statistics"),
        ParameterSpec(
          "branches", default: .nothing,
          accepts:
            "none, or a record by modality of settings (hidden, activation, dropout, "
            + "standardize, finetune) that replace the shared ones for that modality"),
        EngineBuiltins.finetuneParameter,
        ParameterSpec("seed", default: .number(0), accepts: "a whole number ≥ 0"),
      ],
      example: """
        m = model(data, hidden: [128], dropout: 0.1, seed: 7)
        u = model(data, standardize: false, branches: {accel: {hidden: []},
                  audio: {hidden: [256, 64], activation: "gelu", dropout: 0.2}}, seed: 7)
        t = model(meld_text, hidden: [128], finetune: {text: "blocks"}, seed: 7)
        """
    ) { arguments in
      let data = try arguments.object("data", as: DatasetObject.self).dataset
      let names = data.modalities.map(\.name)
      var shapes = try self.branchShapes(arguments, modalities: names)
      for (name, tuning) in try self.fineTuning(arguments, dataset: data) {
        shapes[names.firstIndex(of: name)!].fineTuning = tuning
      }
      let tuned = zip(names, shapes).filter { $0.1.fineTuning != nil }.map(\.0)
      if let untext = tuned.first(where: { !EngineBuiltins.textModalities(of: data).contains($0) })
      {
        throw BuiltinError(
          "branches.\(untext).finetune asks to fine-tune '\(untext)', which is not a text "
            + "modality; " + EngineBuiltins.textModalityList(data), argument: "branches")
      }
      let encoders = try self.pretrainedEncoders(tuned, dataset: data)
      let built = try FusionModel(
        dataset: data, shapes: shapes, seed: try seed(arguments), encoders: encoders)
      return .object(ModelObject(model: built, dataset: data))
    }
  }

  /// The top-level settings as every modality's shape, then each `branches:` entry applied
  /// over them. A value the engine refuses in an entry is named by its place:
  /// `branches.audio.dropout`.
  func branchShapes(_ arguments: Arguments, modalities: [String]) throws -> [BranchShape] {
    let defaults = BranchShape(
      hidden: try widths(
        arguments["hidden"], arguments.mismatch("hidden"), place: "argument 'hidden' to model"),
      activation: try activation(arguments["activation"], place: nil, arguments),
      dropout: try arguments.float("dropout"), standardize: try arguments.bool("standardize"))
    try defaults.validate()
    var shapes = Array(repeating: defaults, count: modalities.count)
    guard !arguments.isNothing("branches") else { return shapes }

    guard case .record(let entries) = arguments["branches"] else {
      throw arguments.mismatch("branches")
    }
    for (name, value) in entries {
      guard let index = modalities.firstIndex(of: name) else {
        throw BuiltinError(
          "branches names '\(name)', which is not a modality of the data set ("
            + modalities.joined(separator: ", ") + ")" + didYouMean(name, among: modalities),
          argument: "branches")
      }
      shapes[index] = try branchShape(value, over: defaults, place: "branches.\(name)", arguments)
    }
    return shapes
  }

  /// One `branches:` entry: a record whose fields replace those of `defaults`.
  private func branchShape(
    _ value: Value, over defaults: BranchShape, place: String, _ arguments: Arguments
  ) throws -> BranchShape {
    guard case .record(let fields) = value else {
      throw BuiltinError(
        "\(place) must be a record such as {hidden: [64], activation: \"gelu\"}, got "
          + describeForError(value), argument: "branches")
    }
    var shape = defaults
    for (field, value) in fields {
      let at = "\(place).\(field)"
      switch field {
      case "hidden":
        let mismatch = BuiltinError(
          "\(at) must be a hidden width or a list of widths ([] for a linear branch), got "
            + describeForError(value), argument: "branches")
        shape.hidden = try widths(value, mismatch, place: at)
      case "activation": shape.activation = try activation(value, place: at, arguments)
      case "dropout":
        guard case .number(let rate) = value else {
          throw BuiltinError(
            "\(at) must be a number in [0, 1), got \(describeForError(value))",
            argument: "branches")
        }
        shape.dropout = try arguments.float(rate, at)
      case "standardize":
        guard case .bool(let flag) = value else {
          throw BuiltinError(
            "\(at) must be true or false, got \(describeForError(value))", argument: "branches")
        }
        shape.standardize = flag
      case "finetune":
        switch value {
        case .nothing, .bool(false): shape.fineTuning = nil
        case .bool(true): shape.fineTuning = .whole
        case .string(let word) where EncoderTuning(rawValue: word.lowercased()) != nil:
          shape.fineTuning = EncoderTuning(rawValue: word.lowercased())
        default:
          throw BuiltinError(
            "\(at) must be \(EngineBuiltins.fineTuningChoices), true, false or none, got "
              + describeForError(value), argument: "branches")
        }
      default:
        let names = EngineBuiltins.branchSettings
        throw BuiltinError(
          "\(place) has no setting '\(field)' (it takes " + names.joined(separator: ", ") + ")"
            + didYouMean(field, among: names), argument: "branches")
      }
    }
    do {
      try shape.validate()
    } catch EngineError.invalidOption(let name, let value, let reason) {
      throw EngineError.invalidOption(name: "\(place).\(name)", value: value, reason: reason)
    }
    return shape
  }

  /// Hidden widths: one whole number, or a list of them.
  private func widths(_ value: Value, _ mismatch: BuiltinError, place: String) throws -> [Int] {
    let numbers: [Double]
    switch value {
    case .number(let number): numbers = [number]
    case .list(let items):
      numbers = try items.map { item in
        guard case .number(let number) = item else { throw mismatch }
        return number
      }
    default: throw mismatch
    }
    return try numbers.map { width in
      guard let whole = wholeNumber(width) else {
        throw BuiltinError(
          "\(place) must be whole widths, got \(formatNumber(width))",
          argument: mismatch.argument)
      }
      return whole
    }
  }

  /// An activation by name; `place` is nil for the top-level argument.
  private func activation(_ value: Value, place: String?, _ arguments: Arguments) throws
    -> Activation
  {
    let at = place ?? "argument 'activation' to model"
    guard case .string(let word) = value else {
      throw BuiltinError(
        "\(at) must be \(EngineBuiltins.activationChoices), got \(describeForError(value))",
        argument: place ?? "activation")
    }
    if let activation = Activation(rawValue: word.lowercased()) { return activation }
    var hint = ""
    if ["linear", "identity", "none"].contains(word.lowercased()) {
      hint = "; for a linear branch give no hidden layers: hidden: []"
    } else if let match = closestMatch(to: word.lowercased(), among: Activation.names) {
      hint = "; did you mean \(quoted(match))?"
    }
    let shown = word.count > 30 ? String(word.prefix(30)) + "..." : word
    throw BuiltinError(
      "unknown activation \(quoted(shown))" + (place.map { " for \($0)" } ?? "")
        + " (use \(EngineBuiltins.activationChoices))" + hint, argument: place ?? "activation")
  }
}
