import Foundation

/// MELD (Poria et al., ACL 2019) in its official layout.
public enum MELD {
  /// The labels MELD offers: Emotion (7 classes) and Sentiment (3).
  public static let labels = ["Emotion", "Sentiment"]

  /// The key of an utterance within a split; dialogue ids restart in every split.
  public static let key = ["Dialogue_ID", "Utterance_ID"]

  /// The conversational context of an utterance, from its own row: who speaks
  /// (the 10 most frequent train speakers, others as `other`), how long the
  /// utterance lasts (EndTime minus StartTime, seconds), its position in the
  /// dialogue (Utterance_ID, which skips numbers in a few dialogues) and its
  /// punctuation and casing cues: 11 + 1 + 1 + 5 = 18 features (fewer
  /// speaker features when train has fewer than 10 speakers).
  public static let contextFeatures: [ColumnFeature] = [
    .category("Speaker", top: 10),
    .duration(from: "StartTime", to: "EndTime"),
    .number("Utterance_ID"),
    .textCues("Utterance"),
  ]

  /// The column whose text the `text` modality encodes when `text` is `utteranceText`.
  public static let textColumn = "Utterance"

  /// The `text` that encodes the Utterance column in the engine rather than reading
  /// precomputed embeddings (any letter case).
  public static let utteranceText = "utterance"

  /// The layout of MELD under `root`.
  ///
  /// `root` holds `meld/` (the three `<split>_sent_emo.csv`) and, for a text
  /// modality named T, `meld_T/` with `<split>_T.npy` (or `<split>_T.csv`
  /// when there is no `train_T.npy`; row i is data row i of the split's CSV)
  /// and, for a key join, `<split>_ids.csv`. `root` may also
  /// be the `meld/` folder itself, with `meld_T/` beside it. With `text` "utterance"
  /// the `text` modality is the Utterance column encoded by `encoder` instead, and no
  /// `meld_T/` is read.
  ///
  /// - Parameters:
  ///   - label: "Emotion" or "Sentiment" (any letter case).
  ///   - text: the text embedding's name ("minilm"), "utterance" to encode the
  ///     utterances in the engine, or nil for no text modality.
  ///   - context: whether to add the `context` modality (`contextFeatures`).
  ///   - join: how text features meet the CSV rows: by row or by `MELD.key`.
  ///   - encoder: the sentence encoder and its cache, for `text` "utterance".
  /// - Throws: `DataError.unrecognizedLayout` for an unknown label, no modality
  ///   or a root without the CSVs.
  public static func layout(
    root: String, label: String, text: String?, context: Bool, join: FeatureJoin = .row,
    encoder: SentenceEncoderOptions = SentenceEncoderOptions()
  ) throws -> SplitFilesLayout {
    guard let labelColumn = labels.first(where: { $0.lowercased() == label.lowercased() }) else {
      throw DataError.unrecognizedLayout(
        path: root,
        reason: "MELD's labels are Emotion (7 classes) and Sentiment (3), not '\(label)'")
    }
    guard text != nil || context else {
      throw DataError.unrecognizedLayout(
        path: root, reason: "choose a text embedding, the context, or both")
    }

    var meldFolder = URL(fileURLWithPath: root).appendingPathComponent("meld")
    let manager = FileManager.default
    if !manager.fileExists(atPath: meldFolder.appendingPathComponent("train_sent_emo.csv").path) {
      meldFolder = URL(fileURLWithPath: root)
      guard manager.fileExists(atPath: meldFolder.appendingPathComponent("train_sent_emo.csv").path)
      else {
        throw DataError.unrecognizedLayout(
          path: root, reason: "no meld/train_sent_emo.csv (MELD's official CSVs) here")
      }
    }
    let parent = meldFolder.deletingLastPathComponent()
    func perSplit(_ folder: URL, _ name: (String) -> String) -> [String: String] {
      Dictionary(
        uniqueKeysWithValues: splitNames.map { ($0, folder.appendingPathComponent(name($0)).path) })
    }

    var modalities: [NamedModalitySource] = []
    if text?.lowercased() == utteranceText {
      modalities.append(
        NamedModalitySource(name: "text", source: .text(column: textColumn, encoder: encoder)))
    } else if let text {
      let folder = parent.appendingPathComponent("meld_\(text)")
      let ids = join == .row ? [:] : perSplit(folder) { "\($0)_ids.csv" }
      let npy = folder.appendingPathComponent("train_\(text).npy").path
      let suffix = manager.fileExists(atPath: npy) ? "npy" : "csv"
      let files = perSplit(folder) { "\($0)_\(text).\(suffix)" }
      modalities.append(
        NamedModalitySource(name: "text", source: .files(paths: files, join: join, ids: ids)))
    }
    if context {
      modalities.append(NamedModalitySource(name: "context", source: .columns(contextFeatures)))
    }
    return SplitFilesLayout(
      name: "MELD \(labelColumn)", tables: perSplit(meldFolder) { "\($0)_sent_emo.csv" },
      label: labelColumn, modalities: modalities)
  }

  /// Loads MELD; see `layout(root:label:text:context:join:encoder:)`. `embedder` and
  /// `progress` encode the utterances with `text` "utterance" (see `loadSplitFiles`).
  public static func load(
    root: String, label: String = "Emotion", text: String? = "minilm", context: Bool = true,
    join: FeatureJoin = .row, encoder: SentenceEncoderOptions = SentenceEncoderOptions(),
    embedder: TextEmbedder = TextEmbedder(), progress: TextEmbeddingProgress? = nil
  ) throws -> Dataset {
    let layout = try layout(
      root: root, label: label, text: text, context: context, join: join, encoder: encoder)
    return try loadSplitFiles(layout, source: root, embedder: embedder, progress: progress)
  }
}
