import FuseEngine
import FuseFormat

/// Conversions between engine results and language values.
extension Value {
  static func numbers(_ values: [Double]) -> Value {
    .list(values.map { .number($0) })
  }

  static func numbers(_ values: [Float]) -> Value {
    .list(values.map { .decimal($0) })
  }

  /// A 32-bit engine number as the shortest decimal that reads back as it, so that a rate
  /// given as 0.1 is 0.1 in the language, not 0.10000000149.
  static func decimal(_ value: Float) -> Value {
    .number(History.decimal(value))
  }

  /// A record with one field per modality.
  static func perModality(_ names: [String], _ values: [Value]) -> Value {
    .record(Array(zip(names, values)))
  }
}

/// A learning rate as people write it: 0.03, 0.0003, 1e-05.
func formatRate(_ rate: Float) -> String {
  formatNumber(Double(rate))
}

/// A score in [0, 1] with three decimals, as tables show it.
func formatScore(_ score: Double) -> String {
  formatFixed(score, digits: 3)
}

/// The fused model's dev score after an epoch, in a few words: "dev accuracy 0.714", or for
/// regression "dev MAE 0.312, r 0.874".
func devSummary(of stats: EpochStats) -> String {
  guard let dev = stats.devRegression else {
    return "dev accuracy \(formatScore(stats.devAccuracy))"
  }
  return "dev MAE \(formatError(dev.meanAbsoluteError)), r \(formatScore(dev.correlation))"
}

/// A mean squared or absolute error with four decimals, as tables show it.
func formatError(_ error: Double) -> String {
  formatFixed(error, digits: 4)
}

/// Pads text on the right (or the left) to a column width.
func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
  let padding = String(repeating: " ", count: max(0, width - text.count))
  return right ? padding + text : text + padding
}

/// An option the engine refuses is shown at the argument that gave it: `batch: 0`, not the
/// whole train() call.
extension EngineError: ArgumentFault {
  var faultyArgument: String? {
    guard case .invalidOption(let name, _, _) = self else { return nil }
    return name
  }
}

/// A record by modality name, such as `{audio: 0.1, accel: 0.03}`, as its values in the
/// model's modality order. It must name every modality and no other; `argument` is the
/// argument it was given as, `each` what every modality needs there ("rate") and `ask` how
/// to give it ("give one").
func valuesByModality(
  _ fields: [(String, Value)], of model: FusionModel, argument: String, each: String,
  ask: String
) throws -> [Value] {
  let names = model.modalities.map(\.name)
  let listed = "(" + names.joined(separator: ", ") + ")"
  if let unknown = fields.first(where: { !names.contains($0.0) })?.0 {
    throw BuiltinError(
      "\(argument) names '\(unknown)', which is not a modality of the model \(listed)"
        + didYouMean(unknown, among: names), argument: argument)
  }
  let byName = Dictionary(fields, uniquingKeysWith: { first, _ in first })
  let missing = names.filter { byName[$0] == nil }
  guard missing.isEmpty else {
    throw BuiltinError(
      "\(argument) has no \(each) for " + missing.joined(separator: ", ")
        + "; \(ask) for each modality \(listed)", argument: argument)
  }
  return names.map { byName[$0]! }
}
