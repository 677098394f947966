import Foundation

/// Sentence embeddings kept on disk between sessions: one safetensors file per set of
/// texts, named after a digest of everything the numbers depend on.
///
/// A file holds `embeddings` (F32, texts x width), `token_ids` (I64, every text's ids one
/// after another) and `token_counts` (I64, one per text), and in its metadata the weights'
/// identity, the settings and a checksum of the embeddings. It is used only when all of
/// them match what is asked for, token for token; any other file, damaged or made for other
/// input, is reported and replaced. NumPy and PyTorch read the files as they read any
/// safetensors file.
struct EmbeddingCache {
  static let format = "fuselab sentence embeddings 1"

  /// The folder holding the files.
  let folder: String

  /// What a set of embeddings depends on.
  struct Key {
    var modelName: String
    var weightsIdentity: String
    var normalize: Bool
    var maximumLength: Int
    var tokens: [[Int]]

    /// The digest of all of the above, which names the file.
    var digest: String {
      var digest = FNV1a64()
      digest.mix(EmbeddingCache.format)
      digest.mix(weightsIdentity)
      digest.mix(normalize ? 1 : 0)
      digest.mix(maximumLength)
      digest.mix(tokens.count)
      for sequence in tokens {
        digest.mix(sequence.count)
        for token in sequence { digest.mix(UInt32(truncatingIfNeeded: token)) }
      }
      return digest.hex
    }

    var metadata: [String: String] {
      [
        "format": EmbeddingCache.format, "encoder": weightsIdentity,
        "normalize": String(normalize), "maximum_length": String(maximumLength),
      ]
    }
  }

  /// What reading the cache found.
  enum Lookup {
    case found(Matrix)
    case absent
    /// A file is there but cannot be trusted, for this reason.
    case rejected(String)
  }

  /// The file of `key`, written as the folder was given (relative stays relative).
  func path(for key: Key) -> String {
    (folder as NSString).appendingPathComponent("\(key.modelName)-\(key.digest).safetensors")
  }

  /// The embeddings cached for `key`, `width` numbers per text, if a file holds exactly them.
  func read(_ key: Key, width: Int) -> Lookup {
    let path = path(for: key)
    guard FileManager.default.fileExists(atPath: path) else { return .absent }
    let file: SafeTensorsFile
    do {
      file = try SafeTensorsFile(path: path)
    } catch {
      return .rejected("not a readable safetensors file (\(error))")
    }
    for (name, expected) in key.metadata where file.metadata[name] != expected {
      let found = file.metadata[name].map { "'\($0)'" } ?? "nothing"
      return .rejected("its \(name) is \(found), not '\(expected)'")
    }
    do {
      let counts = try file.int64("token_counts", shape: [key.tokens.count])
      let total = key.tokens.reduce(0) { $0 + $1.count }
      let ids = try file.int64("token_ids", shape: [total])
      guard zip(counts, key.tokens).allSatisfy({ Int($0) == $1.count }),
        ids.elementsEqual(key.tokens.joined().lazy.map { Int64($0) })
      else {
        return .rejected("it holds the embeddings of other texts")
      }
      let values = try file.float32("embeddings", shape: [key.tokens.count, width])
      var digest = FNV1a64()
      digest.mix(values)
      guard file.metadata["checksum"] == digest.hex, values.allSatisfy(\.isFinite) else {
        return .rejected("its embeddings do not match its checksum (the file is damaged)")
      }
      return .found(Matrix(rows: key.tokens.count, columns: width, values: values))
    } catch {
      return .rejected("\(error)")
    }
  }

  /// Writes the embeddings of `key`, atomically, creating the folder when needed.
  ///
  /// - Returns: the file's path.
  @discardableResult
  func write(_ key: Key, embeddings: Matrix) throws -> String {
    let path = path(for: key)
    try FileManager.default.createDirectory(
      atPath: folder, withIntermediateDirectories: true)
    var digest = FNV1a64()
    digest.mix(embeddings.values)
    var metadata = key.metadata
    metadata["checksum"] = digest.hex
    let ids = key.tokens.joined().map { Int64($0) }
    try writeSafeTensors(
      ["embeddings": SafeTensor(embeddings)],
      integers: [
        "token_ids": SafeIntegerTensor(shape: [ids.count], values: ids),
        "token_counts": SafeIntegerTensor(
          shape: [key.tokens.count], values: key.tokens.map { Int64($0.count) }),
      ],
      metadata: metadata, to: path)
    return path
  }
}
