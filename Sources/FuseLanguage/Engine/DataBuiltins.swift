import FuseEngine

/// The builtins that read data sets beyond `load`: MELD, and columns of any CSV as features.
struct DataBuiltins {
  let host: EngineHost

  var all: [Builtin] { [meld, columns, counts] }

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
          accepts: "an embedding name such as \"minilm\", or none for no text"),
        ParameterSpec(
          "context", default: .bool(true),
          accepts: "true or false: add speaker, duration, position and text cues"),
        ParameterSpec(
          "join", default: .string("row"),
          accepts: "\"row\" or \"key\" (by Dialogue_ID and Utterance_ID)"),
      ],
      example:
        "data = meld(\"../shared/data\", label: \"Emotion\", text: \"minilm\", context: true)"
    ) { arguments in
      let text: String? = arguments.isNothing("text") ? nil : try arguments.string("text")
      let join: FeatureJoin
      switch try arguments.string("join") {
      case "row": join = .row
      case "key", "keys": join = .keys(MELD.key)
      default: throw arguments.mismatch("join")
      }
      let data = try MELD.load(
        root: try arguments.string("root"), label: try arguments.string("label"), text: text,
        context: try arguments.bool("context"), join: join)
      return .object(DatasetObject(data))
    }
  }

  var columns: Builtin {
    Builtin(
      name: "columns",
      summary: "A data set whose one modality is made of chosen columns of any CSV file.",
      parameters: [
        ParameterSpec(
          "file",
          accepts: "a CSV path (split by its split column, else stratified), a path with"
            + " {split}, or {train: ..., dev: ..., test: ...}"),
        ParameterSpec("label", accepts: "the label column's name"),
        ParameterSpec(
          "features",
          accepts: "a list of column names (numbers) and records such as {column: \"Speaker\","
            + " as: \"category\", top: 10}, {from: [\"Start\", \"End\"], as: \"duration\"},"
            + " {column: \"Text\", as: \"text-cues\"}"),
        ParameterSpec("name", default: .string("columns"), accepts: "the modality's name"),
      ],
      example: "ctx = columns(\"../shared/data/meld/{split}_sent_emo.csv\", label: \"Emotion\",\n"
        + "              features: [{column: \"Speaker\", as: \"category\", top: 10}, \"Utterance_ID\"])"
    ) { arguments in
      let features = try arguments.list("features").map { item in
        do {
          return try columnFeature(fromJSON: jsonLike(item))
        } catch let error as ColumnSpecError {
          throw BuiltinError("argument 'features' to columns: \(error.message)")
        }
      }
      guard !features.isEmpty else { throw arguments.mismatch("features") }
      let label = try arguments.string("label")
      let name = try arguments.string("name")

      let tables: [String: String]
      switch arguments["file"] {
      case .string(let path) where !path.contains("{split}"):
        let data = try columnFeatureDataset(
          file: path, label: label, modality: name, features: features)
        return .object(DatasetObject(data))
      case .string(let template):
        tables = Dictionary(
          uniqueKeysWithValues: splitNames.map {
            ($0, template.replacingOccurrences(of: "{split}", with: $0))
          })
      case .record(let fields):
        var byName: [String: String] = [:]
        for (split, value) in fields {
          guard splitNames.contains(split), case .string(let path) = value else {
            throw arguments.mismatch("file")
          }
          byName[split] = path
        }
        guard byName.count == splitNames.count else { throw arguments.mismatch("file") }
        tables = byName
      default:
        throw arguments.mismatch("file")
      }
      let layout = SplitFilesLayout(
        name: name, tables: tables, label: label,
        modalities: [NamedModalitySource(name: name, source: .columns(features))])
      return .object(DatasetObject(try loadSplitFiles(layout, source: tables["train"]!)))
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

/// A language value as `JSONSerialization` would give it, for the engine's parsers.
private func jsonLike(_ value: Value) -> Any {
  switch value {
  case .number(let number): return number
  case .string(let string): return string
  case .bool(let bool): return bool
  case .list(let items): return items.map(jsonLike)
  case .record(let fields):
    return Dictionary(
      fields.map { ($0.0, jsonLike($0.1)) }, uniquingKeysWith: { first, _ in first })
  default: return value.description
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
