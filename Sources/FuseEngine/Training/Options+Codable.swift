/// The JSON forms of the strategies, schedules and class weights, as a checkpoint's
/// configuration keeps them: an object whose `kind` names the case, beside its numbers.
///
///     {"kind": "global", "rate": 0.01}
///     {"kind": "warmup", "epochs": 2, "startFactor": 0.1, "then": {"kind": "cosine", ...}}
private enum Key: String, CodingKey {
  case kind, rate, alpha, window, every, cap, names, rates, gamma, epochs, minFactor
  case startFactor, then, monitor, factor, patience, threshold, minRate, weights
}

private func unknownKind(_ kind: String, in container: KeyedDecodingContainer<Key>, of type: String)
  -> DecodingError
{
  .dataCorruptedError(
    forKey: .kind, in: container, debugDescription: "unknown \(type) kind '\(kind)'")
}

extension RateStrategy: Codable {
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    switch self {
    case .global(let rate):
      try container.encode("global", forKey: .kind)
      try container.encode(rate, forKey: .rate)
    case .keep:
      try container.encode("keep", forKey: .kind)
    case .smooth(let alpha):
      try container.encode("smooth", forKey: .kind)
      try container.encode(alpha, forKey: .alpha)
    case .auto(let window, let every, let cap):
      try container.encode("auto", forKey: .kind)
      try container.encode(window, forKey: .window)
      try container.encode(every, forKey: .every)
      try container.encodeIfPresent(cap, forKey: .cap)
    case .perModality(let names, let rates):
      try container.encode("perModality", forKey: .kind)
      try container.encode(names, forKey: .names)
      try container.encode(rates, forKey: .rates)
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    let kind = try container.decode(String.self, forKey: .kind)
    switch kind {
    case "global": self = .global(try container.decode(Float.self, forKey: .rate))
    case "keep": self = .keep
    case "smooth": self = .smooth(alpha: try container.decode(Float.self, forKey: .alpha))
    case "auto":
      self = .auto(
        window: try container.decode(Int.self, forKey: .window),
        every: try container.decode(Int.self, forKey: .every),
        cap: try container.decodeIfPresent(Float.self, forKey: .cap))
    case "perModality":
      self = .perModality(
        names: try container.decode([String].self, forKey: .names),
        rates: try container.decode([Float].self, forKey: .rates))
    default: throw unknownKind(kind, in: container, of: "rate strategy")
    }
  }
}

extension RateSchedule: Codable {
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    switch self {
    case .constant:
      try container.encode("constant", forKey: .kind)
    case .step(let every, let gamma):
      try container.encode("step", forKey: .kind)
      try container.encode(every, forKey: .every)
      try container.encode(gamma, forKey: .gamma)
    case .exponential(let gamma):
      try container.encode("exponential", forKey: .kind)
      try container.encode(gamma, forKey: .gamma)
    case .cosine(let epochs, let minFactor):
      try container.encode("cosine", forKey: .kind)
      try container.encodeIfPresent(epochs, forKey: .epochs)
      try container.encode(minFactor, forKey: .minFactor)
    case .warmup(let epochs, let startFactor, let then):
      try container.encode("warmup", forKey: .kind)
      try container.encode(epochs, forKey: .epochs)
      try container.encode(startFactor, forKey: .startFactor)
      try container.encode(then, forKey: .then)
    case .plateau(let monitor, let factor, let patience, let threshold, let minRate):
      try container.encode("plateau", forKey: .kind)
      try container.encode(monitor, forKey: .monitor)
      try container.encode(factor, forKey: .factor)
      try container.encode(patience, forKey: .patience)
      try container.encode(threshold, forKey: .threshold)
      try container.encode(minRate, forKey: .minRate)
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    let kind = try container.decode(String.self, forKey: .kind)
    switch kind {
    case "constant": self = .constant
    case "step":
      self = .step(
        every: try container.decode(Int.self, forKey: .every),
        gamma: try container.decode(Float.self, forKey: .gamma))
    case "exponential": self = .exponential(gamma: try container.decode(Float.self, forKey: .gamma))
    case "cosine":
      self = .cosine(
        epochs: try container.decodeIfPresent(Int.self, forKey: .epochs),
        minFactor: try container.decode(Float.self, forKey: .minFactor))
    case "warmup":
      self = .warmup(
        epochs: try container.decode(Int.self, forKey: .epochs),
        startFactor: try container.decode(Float.self, forKey: .startFactor),
        then: try container.decode(RateSchedule.self, forKey: .then))
    case "plateau":
      self = .plateau(
        monitor: try container.decode(Monitor.self, forKey: .monitor),
        factor: try container.decode(Float.self, forKey: .factor),
        patience: try container.decode(Int.self, forKey: .patience),
        threshold: try container.decode(Double.self, forKey: .threshold),
        minRate: try container.decode(Float.self, forKey: .minRate))
    default: throw unknownKind(kind, in: container, of: "schedule")
    }
  }
}

extension ClassWeights: Codable {
  public func encode(to encoder: Encoder) throws {
    var container = encoder.container(keyedBy: Key.self)
    switch self {
    case .none: try container.encode("none", forKey: .kind)
    case .balanced: try container.encode("balanced", forKey: .kind)
    case .given(let weights):
      try container.encode("given", forKey: .kind)
      try container.encode(weights, forKey: .weights)
    }
  }

  public init(from decoder: Decoder) throws {
    let container = try decoder.container(keyedBy: Key.self)
    let kind = try container.decode(String.self, forKey: .kind)
    switch kind {
    case "none": self = .none
    case "balanced": self = .balanced
    case "given": self = .given(try container.decode([Float].self, forKey: .weights))
    default: throw unknownKind(kind, in: container, of: "class weights")
    }
  }
}
