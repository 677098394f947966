import FuseEngine

/// The builtins that read data sets beyond `load`: MELD, and columns of any CSV as features,
/// text columns encoded by a sentence encoder among them.
struct DataBuiltins {
  let host: EngineHost

  var all: [Builtin] { [meld, columns, counts, subset] }

  var meld: Builtin {
    Builtin(
      name: "meld",
      summary: "MELD from its official CSVs: text embeddings, conversational context, or both.",
      parameters: [
        ParameterSpec("root", accepts: "a folder holding meld/ and meld_<text>/ (or meld/ itself)"),
        ParameterSpec(
          "label", default: .string("Emotion"), accepts: "\"Emotion\" or \"Sentiment\""),
        ParameterSpec(
          "text", default: .string("minilm"),
          accepts: "an embedding name such as \"minilm\" (read from meld_<text>/), \"utterance\""
            + " (the Utterance column, encoded by the encoder), or none for no text"),
        ParameterSpec(
          "context", default: .bool(true),
          accepts: "true or false: add speaker, duration, position and text cues"),
        ParameterSpec(
          "join", default: .string("row"),
          accepts: "\"row\" or \"key\" (by Dialogue_ID and Utterance_ID)"),
      ] + TextEncoderArguments.parameters,
      example:
        "data = meld(\"../shared/data\", label: \"Emotion\", text: \"minilm\", context: true)\n"
        + "data = meld(\"../shared/data\", text: \"utterance\")   # MiniLM in the engine, cached"
    ) { arguments in
      let text: String? = arguments.isNothing("text") ? nil : try arguments.string("text")
      let encodes = text?.lowercased() == MELD.utteranceText
      let encoder = try TextEncoderArguments.options(
        arguments, encodes: encodes,
        textArgument: "give text: \"utterance\" to encode MELD's utterances")
      let join: FeatureJoin
      switch try arguments.string("join") {
      case "row": join = .row
      case "key", "keys": join = .keys(MELD.key)
      default: throw arguments.mismatch("join")
      }
      if encodes, arguments.isGiven("join") {
        throw BuiltinError(
          "argument 'join' to meld joins embedding files to the CSV rows; text: \"utterance\""
            + " encodes each row's own utterance, so there is nothing to join",
          argument: "join")
      }
      let reporter = TextEmbeddingReporter(host: host, context: arguments.context)
      let data = try TextEncoderArguments.loading(arguments, textColumn: MELD.textColumn) {
        try MELD.load(
          root: try arguments.string("root"), label: try arguments.string("label"), text: text,
          context: try arguments.bool("context"), join: join, encoder: encoder,
          embedder: host.textEmbedder, progress: reporter.callback)
      }
      return .object(DatasetObject(data))
    }
  }

  var subset: Builtin {
    Builtin(
      name: "subset",
      summary: "A smaller data set: some samples of each split, for a quick run.",
      parameters: [
        ParameterSpec("data", accepts: "a dataset"),
        ParameterSpec(
          "train", default: .nothing, accepts: "a whole number of train samples, or none for all"),
        ParameterSpec(
          "dev", default: .nothing, accepts: "a whole number of dev samples, or none for all"),
        ParameterSpec(
          "test", default: .nothing, accepts: "a whole number of test samples, or none for all"),
        ParameterSpec(
          "seed", default: .nothing,
          accepts: "a whole number ≥ 0 to draw the samples at random, or none for the first ones"),
      ],
      example:
        "small = subset(data, train: 2000, seed: 1)     # 2000 train samples at random\n"
        + "tiny = subset(data, train: 64, dev: 32, test: 32)   # the first ones in file order"
    ) { arguments in
      let data = try arguments.object("data", as: DatasetObject.self).dataset
      var sizes: [String: Int] = [:]
      for name in splitNames where !arguments.isNothing(name) {
        sizes[name] = try arguments.integer(name)
      }
      var seed: UInt64?
      if !arguments.isNothing("seed") {
        let value = try arguments.integer("seed")
        guard value >= 0 else { throw arguments.mismatch("seed") }
        seed = UInt64(value)
      }
      // The sizes are checked first, by the engine, each error at its own argument.
      let smaller = try data.subset(sizes: sizes, seed: seed)
      if seed != nil, !sizes.contains(where: { $0.value < data.splits[$0.key]!.count }) {
        throw BuiltinError(
          "seed draws the samples of a smaller split, and no split here is smaller than it"
            + " was; give train:, dev: or test: below the split's size, or leave seed out",
          argument: "seed")
      }
      return .object(DatasetObject(smaller))
    }
  }

  var counts: Builtin {
    Builtin(
      name: "counts",
      summary: "How many samples of each class every split holds, as a table.",
      parameters: [ParameterSpec("data", accepts: "a dataset")],
      example: "counts(data)\ncounts(data).train.joy"
    ) { arguments in
      let data = try arguments.object("data", as: DatasetObject.self).dataset
      guard data.task == .classification else {
        throw BuiltinError(
          "data set '\(data.name)' is a regression task, so it has no classes to count; "
            + "show(data) gives its target's range, data.target its statistics by split",
          argument: "data")
      }
      return .object(ClassCountsObject(data))
    }
  }
}

/// The number of samples of each class in each split.
final class ClassCountsObject: HostObject {
  let classNames: [String]
  let counts: [(split: String, perClass: [Int])]

  init(_ dataset: Dataset) {
    classNames = dataset.classNames
    counts = splitNames.compactMap { name in
      guard let split = dataset.splits[name] else { return nil }
      var perClass = Array(repeating: 0, count: dataset.classNames.count)
      for label in split.labels { perClass[label] += 1 }
      return (name, perClass)
    }
  }

  var kindName: String { "class counts" }

  var display: String {
    let width = max(5, classNames.map(\.count).max() ?? 0)
    let header = pad("class", width) + counts.map { pad($0.split, 8, right: true) }.joined()
    var lines = [header]
    for (index, name) in classNames.enumerated() {
      lines.append(
        pad(name, width) + counts.map { pad(String($0.perClass[index]), 8, right: true) }.joined())
    }
    lines.append(
      pad("total", width)
        + counts.map { pad(String($0.perClass.reduce(0, +)), 8, right: true) }.joined())
    return lines.joined(separator: "\n")
  }

  var memberNames: [String] { counts.map(\.split) }

  func member(_ name: String) -> Value? {
    guard let entry = counts.first(where: { $0.split == name }) else { return nil }
    return .record(zip(classNames, entry.perClass).map { ($0, .number(Double($1))) })
  }
}
