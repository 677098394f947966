import Foundation
import FuseEngine

/// The arguments `meld` and `columns` share for text encoded by a sentence encoder, and
/// what the builtins add to the engine's errors about it.
enum TextEncoderArguments {
  static let parameters: [ParameterSpec] = [
    ParameterSpec(
      "encoder", default: .string(SentenceEncoderOptions.defaultFolder),
      accepts: "a sentence encoder's model folder (scripts/setup fetches all-MiniLM-L6-v2)"),
    ParameterSpec(
      "normalize", default: .nothing, accepts: "true or false: scale each embedding to unit length",
      defaultDescription: "none: as the model's own pipeline; all-MiniLM-L6-v2 normalises"),
    ParameterSpec(
      "cache", default: .string(SentenceEncoderOptions.defaultCacheFolder),
      accepts: "a folder keeping the embeddings between sessions, or none for no cache"),
  ]

  /// The encoder settings the call gave; `encodes` says whether the call encodes any
  /// text, so that settings given for nothing are refused rather than ignored.
  static func options(_ arguments: Arguments, encodes: Bool, textArgument: String)
    throws -> SentenceEncoderOptions
  {
    if !encodes, let given = parameters.map(\.name).first(where: arguments.isGiven) {
      throw BuiltinError(
        "argument '\(given)' to \(arguments.builtinName) applies to text encoded by a sentence"
          + " encoder; \(textArgument)",
        argument: given)
    }
    var options = SentenceEncoderOptions(folder: try arguments.path("encoder"))
    if !arguments.isNothing("normalize") { options.normalize = try arguments.bool("normalize") }
    switch arguments["cache"] {
    case .nothing, .bool(false): options.cacheFolder = nil
    default: options.cacheFolder = try arguments.path("cache")
    }
    return options
  }

  /// Runs `load`, turning the engine's errors about text into ones that point at the
  /// argument at fault: a text column that is not there (with the closest column's name)
  /// and a model folder that is not there. An interrupt stops the builtin as Ctrl-C does.
  static func loading<T>(
    _ arguments: Arguments, textColumn: String?, _ load: () throws -> T
  ) throws -> T {
    do {
      return try load()
    } catch DataError.missingColumn(let path, let column, let available) {
      let message =
        DataError.missingColumn(path: path, column: column, available: available).description
        + didYouMean(column, among: available)
      throw BuiltinError(message, argument: column == textColumn ? "text" : nil)
    } catch let error as EncoderError {
      guard case .missingModel = error else { throw error }
      throw BuiltinError(
        error.description, argument: arguments.isGiven("encoder") ? "encoder" : nil)
    } catch EngineError.interrupted {
      try arguments.context.checkInterrupt()
      throw EngineError.interrupted("the text encoding")
    }
  }
}
