import FuseFormat

/// The update rule of a parameter group.
public enum OptimizerKind: String, Equatable, Sendable, CaseIterable, Codable {
  /// PyTorch's `optim.SGD`: momentum, optional Nesterov, L2 weight decay added to the gradient.
  case sgd
  /// PyTorch's `optim.Adam`: bias-corrected moments, L2 weight decay added to the gradient.
  case adam
  /// PyTorch's `optim.AdamW`: Adam with decoupled weight decay, w -= rate * decay * w.
  case adamw
}

/// How one parameter group is updated, apart from its learning rate.
///
/// `weightDecay` nil means the optimizer's own default: 1e-4 for SGD (FuseLab's recipe),
/// 0 for Adam and 0.01 for AdamW (PyTorch's defaults).
public struct OptimizerSettings: Equatable, Sendable, Codable {
  public var kind: OptimizerKind
  public var momentum: Float
  public var nesterov: Bool
  public var weightDecay: Float?
  public var beta1: Float
  public var beta2: Float
  public var epsilon: Float

  /// Clips the group's gradient to this L2 norm before each step, as
  /// `torch.nn.utils.clip_grad_norm_` over the group's parameters; nil does not clip.
  public var maxGradientNorm: Float?

  /// A frozen group is never updated (its gradients are still computed and reported).
  public var frozen: Bool

  public init(
    kind: OptimizerKind = .sgd, momentum: Float = 0.9, nesterov: Bool = false,
    weightDecay: Float? = nil, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
    maxGradientNorm: Float? = nil, frozen: Bool = false
  ) {
    self.kind = kind
    self.momentum = momentum
    self.nesterov = nesterov
    self.weightDecay = weightDecay
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.maxGradientNorm = maxGradientNorm
    self.frozen = frozen
  }

  /// The weight decay in force: the one given, else the optimizer's default.
  public var effectiveWeightDecay: Float {
    if let weightDecay { return weightDecay }
    switch kind {
    case .sgd: return 1e-4
    case .adam: return 0
    case .adamw: return 0.01
    }
  }

  /// A short description for progress lines: "adamw(wd 0.01)", "sgd(momentum 0.9, nesterov)".
  public var summary: String {
    var parts: [String] = []
    switch kind {
    case .sgd:
      parts.append("momentum \(formatNumber(momentum))")
      if nesterov { parts.append("nesterov") }
    case .adam, .adamw:
      if beta1 != 0.9 || beta2 != 0.999 {
        parts.append("betas \(formatNumber(beta1)), \(formatNumber(beta2))")
      }
    }
    parts.append("wd \(formatNumber(effectiveWeightDecay))")
    if let maxGradientNorm { parts.append("clip \(formatNumber(maxGradientNorm))") }
    if frozen { parts.append("frozen") }
    return "\(kind.rawValue)(" + parts.joined(separator: ", ") + ")"
  }

  /// Checks the settings; a group's own settings are named by their place, groups.audio.eps.
  func validate(group: String? = nil) throws {
    func bad(_ name: String, _ value: Any, _ reason: String) -> EngineError {
      .invalidOption(
        name: GroupOverride.optionName(name, group: group), value: optionText(value),
        reason: reason)
    }
    guard momentum.isFinite, momentum >= 0, momentum < 1 else {
      throw bad("momentum", momentum, "must be in [0, 1)")
    }
    guard !nesterov || kind != .sgd || momentum > 0 else {
      throw bad("nesterov", nesterov, "Nesterov momentum needs a momentum above 0")
    }
    if let weightDecay, !(weightDecay.isFinite && weightDecay >= 0) {
      throw bad("weight_decay", weightDecay, "must be 0 or more")
    }
    for (name, beta) in [("betas[0]", beta1), ("betas[1]", beta2)] {
      guard beta.isFinite, beta >= 0, beta < 1 else { throw bad(name, beta, "must be in [0, 1)") }
    }
    guard epsilon.isFinite, epsilon > 0 else { throw bad("eps", epsilon, "must be above 0") }
    if let maxGradientNorm, !(maxGradientNorm.isFinite && maxGradientNorm > 0) {
      throw bad("clip", maxGradientNorm, "must be a positive number")
    }
  }
}

/// A set of parameters that share one learning rate and update rule: in FuseLab, one
/// modality's branch, or the fusion weights.
public struct ParameterGroup {
  public var name: String
  public var parameters: [Parameter]
  public var learningRate: Float
  public var settings: OptimizerSettings

  public init(
    name: String, parameters: [Parameter], learningRate: Float,
    settings: OptimizerSettings = OptimizerSettings()
  ) {
    self.name = name
    self.parameters = parameters
    self.learningRate = learningRate
    self.settings = settings
  }
}
