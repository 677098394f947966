import FuseEngine

extension DataBuiltins {
  var columns: Builtin {
    Builtin(
      name: "columns",
      summary: "A data set made of chosen columns of any CSV file: column features, text, or both.",
      parameters: [
        ParameterSpec(
          "file",
          accepts: "a CSV path (split by its split column, else stratified), a path with"
            + " {split}, or {train: ..., dev: ..., test: ...}"),
        ParameterSpec("label", accepts: "the label column's name"),
        ParameterSpec(
          "features", default: .nothing,
          accepts: "a list of column names (numbers) and records such as {column: \"Speaker\","
            + " as: \"category\", top: 10}, {from: [\"Start\", \"End\"], as: \"duration\"},"
            + " {column: \"Text\", as: \"text-cues\"}",
          defaultDescription: "none: no column features, only text"),
        ParameterSpec(
          "name", default: .string("columns"), accepts: "the column features' modality name"),
        ParameterSpec(
          "text", default: .nothing,
          accepts: "the name of a text column, encoded by the sentence encoder into the"
            + " modality 'text'",
          defaultDescription: "none: no text modality"),
      ] + TextEncoderArguments.parameters,
      example: "ctx = columns(\"../shared/data/meld/{split}_sent_emo.csv\", label: \"Emotion\",\n"
        + "              features: [{column: \"Speaker\", as: \"category\", top: 10}, \"Utterance_ID\"])\n"
        + "reviews = columns(\"reviews.csv\", label: \"stars\", text: \"review\")"
    ) { arguments in
      let features: [ColumnFeature] =
        arguments.isNothing("features")
        ? []
        : try arguments.list("features").map { item in
          do {
            return try columnFeature(fromJSON: jsonLike(item))
          } catch let error as ColumnSpecError {
            throw BuiltinError("argument 'features' to columns: \(error.message)")
          }
        }
      let textColumn: String? = arguments.isNothing("text") ? nil : try arguments.string("text")
      guard !features.isEmpty || textColumn != nil else {
        guard arguments.isNothing("features") else { throw arguments.mismatch("features") }
        throw BuiltinError(
          "columns needs features: (column features), text: (a text column) or both")
      }
      let label = try arguments.string("label")
      let name = try arguments.string("name")
      let encoder = try TextEncoderArguments.options(
        arguments, encodes: textColumn != nil, textArgument: "give text: a text column's name")
      var modalities: [NamedModalitySource] = []
      if !features.isEmpty {
        modalities.append(NamedModalitySource(name: name, source: .columns(features)))
      }
      if let textColumn {
        guard features.isEmpty || name != "text" else {
          throw BuiltinError(
            "argument 'name' to columns is 'text', the name of the text modality; give the"
              + " column features another name",
            argument: "name")
        }
        modalities.append(
          NamedModalitySource(name: "text", source: .text(column: textColumn, encoder: encoder)))
      }

      let tables: [String: String]
      switch arguments["file"] {
      case .string(let path) where !path.contains("{split}"):
        let reporter = TextEmbeddingReporter(host: host, context: arguments.context)
        let data = try TextEncoderArguments.loading(arguments, textColumn: textColumn) {
          try tableDataset(
            file: path, label: label, modalities: modalities, embedder: host.textEmbedder,
            progress: reporter.callback)
        }
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
        name: name, tables: tables, label: label, modalities: modalities)
      let reporter = TextEmbeddingReporter(host: host, context: arguments.context)
      let data = try TextEncoderArguments.loading(arguments, textColumn: textColumn) {
        try loadSplitFiles(
          layout, source: tables["train"]!, embedder: host.textEmbedder,
          progress: reporter.callback)
      }
      return .object(DatasetObject(data))
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
