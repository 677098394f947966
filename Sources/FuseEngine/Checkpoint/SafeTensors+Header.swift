import Foundation

/// The parsed JSON header of a safetensors file: tensor entries and string metadata.
struct SafeTensorsHeader {
  var entries: [String: SafeTensorsFile.Entry] = [:]
  var metadata: [String: String] = [:]

  private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  private struct RawEntry: Decodable {
    var dtype: String
    var shape: [Int]
    var dataOffsets: [Int]

    enum CodingKeys: String, CodingKey {
      case dtype, shape
      case dataOffsets = "data_offsets"
    }
  }

  private struct Document: Decodable {
    var header = SafeTensorsHeader()
    var problem: SafeTensorsError?

    init(from decoder: Decoder) throws {
      let path = decoder.userInfo[Document.pathKey] as? String ?? "?"
      let container = try decoder.container(keyedBy: Key.self)
      for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
        let name = key.stringValue
        if name == "__metadata__" {
          guard let metadata = try? container.decode([String: String].self, forKey: key) else {
            problem = .malformedHeader(
              path: path, reason: "__metadata__ must be an object whose values are all strings")
            return
          }
          header.metadata = metadata
          continue
        }
        let raw: RawEntry
        do {
          raw = try container.decode(RawEntry.self, forKey: key)
        } catch {
          problem = .malformedTensor(
            path: path, tensor: name,
            reason: "the entry must be {\"dtype\": string, \"shape\": [integers], "
              + "\"data_offsets\": [begin, end]} (\(decodingFailureReason(error, in: Data())))")
          return
        }
        do {
          header.entries[name] = try Self.entry(raw, name: name, path: path)
        } catch let error as SafeTensorsError {
          problem = error
          return
        }
      }
    }

    static let pathKey = CodingUserInfoKey(rawValue: "safetensorsPath")!

    static func entry(_ raw: RawEntry, name: String, path: String) throws
      -> SafeTensorsFile.Entry
    {
      guard let dtype = SafeTensorDType(rawValue: raw.dtype) else {
        throw SafeTensorsError.unknownDType(path: path, tensor: name, dtype: raw.dtype)
      }
      if let negative = raw.shape.first(where: { $0 < 0 }) {
        throw SafeTensorsError.malformedTensor(
          path: path, tensor: name, reason: "shape \(raw.shape) has a negative size \(negative)")
      }
      guard raw.dataOffsets.count == 2 else {
        throw SafeTensorsError.malformedTensor(
          path: path, tensor: name,
          reason: "data_offsets must hold two numbers, found \(raw.dataOffsets.count)")
      }
      let begin = raw.dataOffsets[0]
      let end = raw.dataOffsets[1]
      guard begin >= 0, begin <= end else {
        throw SafeTensorsError.malformedTensor(
          path: path, tensor: name,
          reason: "data_offsets [\(begin), \(end)] are not an increasing pair of byte offsets")
      }
      return SafeTensorsFile.Entry(dtype: dtype, shape: raw.shape, dataRange: begin..<end)
    }
  }

  /// Parses the header's JSON, naming the file and, when one is at fault, the tensor.
  static func parse(_ json: Data, path: String) throws -> SafeTensorsHeader {
    let decoder = JSONDecoder()
    decoder.userInfo[Document.pathKey] = path
    let document: Document
    do {
      document = try decoder.decode(Document.self, from: json)
    } catch {
      throw SafeTensorsError.malformedHeader(
        path: path,
        reason: "the header is not a JSON object: \(decodingFailureReason(error, in: json))")
    }
    if let problem = document.problem { throw problem }
    return document.header
  }
}
