/// How a column of text becomes a modality's features: which sentence encoder, the
/// settings that change its numbers, and where its embeddings are cached.
public struct SentenceEncoderOptions: Sendable, Equatable {
  /// Where FuseLab's setup puts all-MiniLM-L6-v2, relative to the repository root.
  public static let defaultFolder = "data/minilm"

  /// Where embeddings are cached unless told otherwise, relative to the working directory.
  public static let defaultCacheFolder = "data/cache"

  /// The model folder: `config.json`, `model.safetensors`, `vocab.txt` and, when present,
  /// `tokenizer.json`, `sentence_bert_config.json`, `modules.json`, `1_Pooling/config.json`.
  public var folder: String

  /// Whether each sentence embedding is scaled to unit length; nil does what the model's
  /// own sentence-transformers pipeline does (see `SentenceEncoder.normalizesByDefault`).
  public var normalize: Bool?

  /// The most tokens a text keeps, `[CLS]` and `[SEP]` included; longer texts lose their
  /// end, as sentence-transformers truncates them. nil takes the model's own limit
  /// (`max_seq_length` of `sentence_bert_config.json`, 256 for all-MiniLM-L6-v2).
  public var maximumLength: Int?

  /// The folder of the on-disk embedding cache; nil keeps no cache on disk.
  public var cacheFolder: String?

  public init(
    folder: String = SentenceEncoderOptions.defaultFolder, normalize: Bool? = nil,
    maximumLength: Int? = nil,
    cacheFolder: String? = SentenceEncoderOptions.defaultCacheFolder
  ) {
    self.folder = folder
    self.normalize = normalize
    self.maximumLength = maximumLength
    self.cacheFolder = cacheFolder
  }
}
