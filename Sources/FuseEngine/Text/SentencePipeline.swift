import Foundation
import FuseFormat

/// The sentence-transformers modules after the transformer, as a model folder describes
/// them: `modules.json` lists them, `1_Pooling/config.json` says how tokens are pooled.
///
/// FuseLab reproduces one pipeline: the transformer, the mean of the real tokens' last
/// hidden states, and optionally scaling to unit length. Anything else is refused, rather
/// than encoded differently from the model's own library.
struct SentencePipeline {
  /// Whether the pipeline ends in a `Normalize` module.
  var normalizes: Bool

  private struct Module: Decodable {
    var type: String
    var path: String?
  }

  /// Reads the pipeline of `folder`; `width` is the transformer's hidden size.
  ///
  /// - Throws: `EncoderError.badConfiguration` naming the file at fault.
  init(folder: URL, width: Int) throws {
    let modulesPath = folder.appendingPathComponent("modules.json").path
    var poolingFolder = "1_Pooling"
    var poolingListed = false
    if FileManager.default.fileExists(atPath: modulesPath) {
      let modules = try decodeJSON([Module].self, path: modulesPath)
      normalizes = false
      for module in modules {
        let kind = module.type.split(separator: ".").last.map(String.init) ?? module.type
        switch kind {
        case "Transformer": continue
        case "Pooling":
          poolingFolder = module.path ?? poolingFolder
          poolingListed = true
        case "Normalize": normalizes = true
        default:
          throw EncoderError.badConfiguration(
            path: modulesPath,
            reason: "module '\(module.type)' is not supported; FuseLab encodes with a "
              + "Transformer, mean Pooling and an optional Normalize module only")
        }
      }
    } else {
      normalizes = true
    }

    let poolingPath = folder.appendingPathComponent(poolingFolder)
      .appendingPathComponent("config.json").path
    guard FileManager.default.fileExists(atPath: poolingPath) else {
      // A folder without modules.json is a plain transformer, pooled by the mean; one whose
      // modules.json lists a Pooling module must say how it pools.
      guard !poolingListed else {
        throw EncoderError.badConfiguration(
          path: modulesPath,
          reason: "it lists a Pooling module in '\(poolingFolder)', but \(poolingPath) is "
            + "missing; FuseLab reads it to check that the pooling is the mean of the tokens")
      }
      return
    }
    let pooling = try decodeJSON([String: JSONScalar].self, path: poolingPath)
    let modes = pooling.filter { $0.key.hasPrefix("pooling_mode_") && $0.value == .bool(true) }
    guard modes.keys.sorted() == ["pooling_mode_mean_tokens"] else {
      let found = modes.keys.sorted().joined(separator: ", ")
      throw EncoderError.badConfiguration(
        path: poolingPath,
        reason: "pooling is \(found.isEmpty ? "not set" : found); FuseLab pools by the mean of "
          + "the tokens only (pooling_mode_mean_tokens)")
    }
    if case .number(let dimension) = pooling["word_embedding_dimension"],
      Int(exactly: dimension) != width
    {
      throw EncoderError.badConfiguration(
        path: poolingPath,
        reason:
          "word_embedding_dimension is \(formatNumber(dimension)), but the transformer's hidden size "
          + "is \(width)")
    }
  }
}

/// A value of a flat JSON object: the settings files hold only these.
enum JSONScalar: Decodable, Equatable {
  case bool(Bool)
  case number(Double)
  case text(String)
  case other

  init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let bool = try? container.decode(Bool.self) {
      self = .bool(bool)
    } else if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else if let text = try? container.decode(String.self) {
      self = .text(text)
    } else {
      self = .other
    }
  }
}

private func decodeJSON<T: Decodable>(_ type: T.Type, path: String) throws -> T {
  let data: Data
  do {
    data = try Data(contentsOf: URL(fileURLWithPath: path))
  } catch {
    throw EncoderError.badConfiguration(path: path, reason: "cannot read the file")
  }
  do {
    return try JSONDecoder().decode(T.self, from: data)
  } catch {
    throw EncoderError.badConfiguration(
      path: path,
      reason: "cannot read it as a sentence-transformers settings file: "
        + decodingFailureReason(error, in: data))
  }
}
