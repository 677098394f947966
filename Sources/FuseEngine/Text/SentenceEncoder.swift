import Foundation

/// A sentence-transformers model read from its folder: its tokenizer, the settings of its
/// pipeline (mean pooling, whether it normalises, its maximum length) and, once texts have
/// to be encoded, the transformer itself.
///
/// Opening the folder reads only the vocabulary and a few JSON files. The weights (87 MB for
/// all-MiniLM-L6-v2) are read by `encoder()`, on first use, so that embeddings found in a
/// cache never wait for them.
public final class SentenceEncoder {
  /// The folder as it was given.
  public let folder: String

  /// The transformer's sizes, from `config.json`.
  public let configuration: EncoderConfiguration

  /// The tokenizer at the model's own maximum length.
  public let tokenizer: WordPieceTokenizer

  /// Whether the model's sentence-transformers pipeline scales its embeddings to unit
  /// length: it does when `modules.json` lists a `Normalize` module. A folder without
  /// `modules.json` is taken to normalise, as all-MiniLM-L6-v2's published pipeline does
  /// (the folder `scripts/fetch-minilm` writes has no `modules.json`).
  public let normalizesByDefault: Bool

  /// What tells one weights file from another without reading it: its resolved path, size
  /// and modification time. Cached embeddings are keyed by it.
  public let weightsIdentity: String

  private let weightsPath: String
  private var loadedEncoder: TextEncoder?

  /// Opens a model folder such as `data/minilm`.
  ///
  /// - Throws: `EncoderError.missingModel` when the folder, its `config.json`,
  ///   `model.safetensors` or `vocab.txt` is missing; `EncoderError.badConfiguration` for a
  ///   pipeline FuseLab does not reproduce (pooling other than the mean, extra modules);
  ///   `TokenizerError` for a tokenizer it cannot read.
  public init(folder: String) throws {
    let root = URL(fileURLWithPath: folder)
    let absolutePath = folder.hasPrefix("/") ? nil : root.absoluteURL.standardized.path
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      throw EncoderError.missingModel(
        folder: folder, absolutePath: absolutePath, missingFiles: nil)
    }
    let missing = ["config.json", "model.safetensors", "vocab.txt"].filter {
      !FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path)
    }
    guard missing.isEmpty else {
      throw EncoderError.missingModel(
        folder: folder, absolutePath: absolutePath, missingFiles: missing)
    }

    self.folder = folder
    configuration = try EncoderConfiguration(path: root.appendingPathComponent("config.json").path)
    tokenizer = try WordPieceTokenizer(folder: folder)
    let pipeline = try SentencePipeline(folder: root, width: configuration.hiddenSize)
    normalizesByDefault = pipeline.normalizes
    weightsPath = root.appendingPathComponent("model.safetensors").path
    weightsIdentity = try fileIdentity(path: weightsPath)
  }

  /// The tokenizer cut at `maximumLength` tokens, or at the model's own limit when nil.
  ///
  /// - Throws: `EngineError.invalidOption` for a length below 2 or beyond the model's
  ///   positions.
  public func tokenizer(maximumLength: Int?) throws -> WordPieceTokenizer {
    guard let maximumLength else { return tokenizer }
    let positions = configuration.maximumPositions
    guard (2...positions).contains(maximumLength) else {
      throw EngineError.invalidOption(
        name: "maximum length", value: String(maximumLength),
        reason: "the model takes 2 (the [CLS] and [SEP] tokens) to \(positions) tokens")
    }
    return try tokenizer.withMaximumLength(maximumLength)
  }

  /// Whether the weights have been read.
  public var isLoaded: Bool { loadedEncoder != nil }

  /// The transformer, read from `model.safetensors` on the first call.
  public func encoder() throws -> TextEncoder {
    if let loadedEncoder { return loadedEncoder }
    let encoder = try TextEncoder(folder: folder)
    loadedEncoder = encoder
    return encoder
  }
}

/// A file's resolved path, size and modification time, as one line of text.
func fileIdentity(path: String) throws -> String {
  let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardized.path
  let attributes: [FileAttributeKey: Any]
  do {
    attributes = try FileManager.default.attributesOfItem(atPath: resolved)
  } catch {
    throw EncoderError.missingFile(path: path)
  }
  let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
  let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
  return "\(resolved), \(size) bytes, modified \(modified)"
}
