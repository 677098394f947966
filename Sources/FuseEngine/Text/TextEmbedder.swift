import Foundation

/// What encoding a text modality is doing, for a progress display.
public enum TextEmbeddingEvent: Sendable, Equatable {
  /// The encoder's weights are being read: once per model folder in a session, and only
  /// when some texts are not in a cache.
  case loadingEncoder(folder: String)
  /// `done` of the `total` texts of one split are encoded.
  case encoding(modality: String, split: String, done: Int, total: Int)
  /// A split's embeddings are ready; `source` says where they came from.
  case finished(modality: String, split: String, count: Int, source: EmbeddingSource)
  /// A cache file could not be trusted, for `reason`; it is encoded again and rewritten.
  case cacheRejected(path: String, reason: String)
  /// The cache file could not be written; the embeddings are used all the same.
  case cacheNotWritten(path: String, reason: String)
}

/// Where a split's sentence embeddings came from.
public enum EmbeddingSource: Sendable, Equatable {
  /// Encoded now, and written to the cache file `cachedAt` (nil without a disk cache).
  case encoded(cachedAt: String?)
  /// Read back from this cache file.
  case cacheFile(String)
  /// Reused from earlier in the same session.
  case session
}

/// Receives text encoding events; returning false stops the encoding between batches.
public typealias TextEmbeddingProgress = (TextEmbeddingEvent) -> Bool

/// Turns token ids into sentence embeddings for a session, doing as little work as it can:
/// each model folder is opened once, each set of embeddings is kept in memory for the next
/// request, and a disk cache (`EmbeddingCache`) keeps them between sessions.
public final class TextEmbedder {
  /// How often each way of getting embeddings was taken, for tests and diagnostics.
  public struct Statistics: Equatable, Sendable {
    /// Times a model's weights were read.
    public var encoderLoads = 0
    /// Texts run through an encoder.
    public var encodedTexts = 0
    /// Sets of embeddings read back from cache files.
    public var cacheFileReads = 0
    /// Sets of embeddings reused from memory.
    public var sessionReuses = 0
    /// Cache files refused as damaged or made for other input.
    public var rejectedCacheFiles = 0
  }

  public private(set) var statistics = Statistics()

  /// The most bytes of embeddings kept in memory; the oldest sets go first.
  public let memoryLimit: Int

  private var encoders: [String: SentenceEncoder] = [:]
  private var remembered: [(key: EmbeddingCache.Key, digest: String, embeddings: Matrix)] = []

  public init(memoryLimit: Int = 256 << 20) {
    self.memoryLimit = memoryLimit
  }

  /// The sentence encoder of a model folder: opened on the first request, then reused
  /// while its weights file stays the same.
  public func sentenceEncoder(folder: String) throws -> SentenceEncoder {
    let place = URL(fileURLWithPath: folder).absoluteURL.standardized.path
    if let known = encoders[place],
      (try? fileIdentity(path: place + "/model.safetensors")) == known.weightsIdentity
    {
      return known
    }
    let encoder = try SentenceEncoder(folder: folder)
    encoders[place] = encoder
    return encoder
  }

  /// The sentence embeddings of `tokens` (ids as `encoder.tokenizer` gives them), one row
  /// per text: from memory, else from the cache in `cacheFolder`, else encoded (and then
  /// cached). `modality` and `split` only name the work in `progress`.
  ///
  /// - Throws: `EngineError.interrupted` when `progress` returns false during encoding;
  ///   errors reading the weights. A cache that cannot be read or written never fails it.
  public func embeddings(
    of tokens: [[Int]], encoder: SentenceEncoder, normalize: Bool, maximumLength: Int,
    cacheFolder: String?, modality: String, split: String,
    progress: TextEmbeddingProgress? = nil
  ) throws -> Matrix {
    let width = encoder.configuration.hiddenSize
    let modelName = URL(fileURLWithPath: encoder.folder).standardized.lastPathComponent
    let key = EmbeddingCache.Key(
      modelName: modelName.isEmpty ? "model" : modelName,
      weightsIdentity: encoder.weightsIdentity, normalize: normalize,
      maximumLength: maximumLength, tokens: tokens)
    let digest = key.digest
    func finish(_ embeddings: Matrix, _ source: EmbeddingSource) -> Matrix {
      _ = progress?(
        .finished(modality: modality, split: split, count: tokens.count, source: source))
      return embeddings
    }

    if let known = remembered.first(where: { $0.digest == digest && $0.key.matches(key) }) {
      statistics.sessionReuses += 1
      return finish(known.embeddings, .session)
    }
    let cache = cacheFolder.map { EmbeddingCache(folder: $0) }
    if let cache {
      switch cache.read(key, width: width) {
      case .found(let embeddings):
        statistics.cacheFileReads += 1
        remember(key, digest, embeddings)
        return finish(embeddings, .cacheFile(cache.path(for: key)))
      case .rejected(let reason):
        statistics.rejectedCacheFiles += 1
        _ = progress?(.cacheRejected(path: cache.path(for: key), reason: reason))
      case .absent:
        break
      }
    }

    if !encoder.isLoaded {
      _ = progress?(.loadingEncoder(folder: encoder.folder))
      statistics.encoderLoads += 1
    }
    let transformer = try encoder.encoder()
    let embeddings = try transformer.encode(tokens, normalize: normalize) { done in
      progress?(.encoding(modality: modality, split: split, done: done, total: tokens.count))
        ?? true
    }
    statistics.encodedTexts += tokens.count
    remember(key, digest, embeddings)

    var cachedAt: String?
    if let cache {
      do {
        cachedAt = try cache.write(key, embeddings: embeddings)
      } catch {
        _ = progress?(.cacheNotWritten(path: cache.path(for: key), reason: "\(error)"))
      }
    }
    return finish(embeddings, .encoded(cachedAt: cachedAt))
  }

  private func remember(_ key: EmbeddingCache.Key, _ digest: String, _ embeddings: Matrix) {
    let size = { (entry: Matrix) in entry.values.count * MemoryLayout<Float>.size }
    guard size(embeddings) <= memoryLimit else { return }
    remembered.append((key, digest, embeddings))
    var total = remembered.reduce(0) { $0 + size($1.embeddings) }
    while total > memoryLimit {
      total -= size(remembered.removeFirst().embeddings)
    }
  }
}

extension EmbeddingCache.Key {
  /// Whether two keys ask for the same numbers: a digest alone could collide.
  func matches(_ other: EmbeddingCache.Key) -> Bool {
    weightsIdentity == other.weightsIdentity && normalize == other.normalize
      && maximumLength == other.maximumLength && tokens == other.tokens
  }
}
