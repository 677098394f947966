import Foundation

/// One optimizer over several parameter groups, each with its own rule, rate and state,
/// following PyTorch's formulas (g is the gradient, w the weight, t the group's step count):
///
///     sgd:   g += wd * w;  b = g (first step) else momentum * b + g
///            w -= rate * (nesterov ? g + momentum * b : b)        (b = g when momentum is 0)
///     adam:  g += wd * w;  m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
///            w -= rate / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
///     adamw: w *= 1 - rate * wd, then the adam step without the wd term
///
/// Dampening is always 0 and Adam's amsgrad is not offered.
public final class Optimizer {
  public var groups: [ParameterGroup]

  // Per group: steps taken, and per parameter the first and second moment buffers
  // (momentum buffer for SGD). Allocated at a group's first step, then reused.
  private var steps: [Int]
  private var firstMoments: [[Matrix]]
  private var secondMoments: [[Matrix]]

  public init(groups: [ParameterGroup]) {
    self.groups = groups
    steps = groups.map { _ in 0 }
    firstMoments = groups.map { _ in [] }
    secondMoments = groups.map { _ in [] }
  }

  /// Plain SGD over the groups, all with the same momentum and weight decay.
  public convenience init(sgd groups: [ParameterGroup], momentum: Float, weightDecay: Float) {
    self.init(
      groups: groups.map { group in
        var group = group
        group.settings = OptimizerSettings(kind: .sgd, momentum: momentum, weightDecay: weightDecay)
        return group
      })
  }

  /// The number of steps group `g` has taken.
  public func stepCount(ofGroup g: Int) -> Int { steps[g] }

  /// What the optimizer carries from one step to the next, group by group: the steps taken
  /// and the moment buffers (momentum buffers for SGD; Adam's m and v), each shaped like its
  /// parameter, or empty for a group that has not stepped (and `second` for SGD).
  public struct State: Equatable, Sendable {
    public var steps: [Int]
    public var firstMoments: [[Matrix]]
    public var secondMoments: [[Matrix]]

    public init(steps: [Int], firstMoments: [[Matrix]], secondMoments: [[Matrix]]) {
      self.steps = steps
      self.firstMoments = firstMoments
      self.secondMoments = secondMoments
    }
  }

  /// The state the next `step` continues from; setting it makes this optimizer continue
  /// exactly as the one it was read from would. The caller checks shapes before setting.
  public var state: State {
    get { State(steps: steps, firstMoments: firstMoments, secondMoments: secondMoments) }
    set {
      precondition(newValue.steps.count == groups.count, "optimizer state for other groups")
      steps = newValue.steps
      firstMoments = newValue.firstMoments
      secondMoments = newValue.secondMoments
    }
  }

  /// Clips, then updates every parameter of every group that is not frozen.
  public func step() {
    for g in groups.indices where !groups[g].settings.frozen {
      let group = groups[g]
      if let limit = group.settings.maxGradientNorm { clip(group.parameters, to: limit) }
      if steps[g] == 0 {
        firstMoments[g] = group.parameters.map {
          Matrix(rows: $0.value.rows, columns: $0.value.columns)
        }
        if group.settings.kind != .sgd {
          secondMoments[g] = group.parameters.map {
            Matrix(rows: $0.value.rows, columns: $0.value.columns)
          }
        }
      }
      steps[g] += 1
      for p in group.parameters.indices {
        switch group.settings.kind {
        case .sgd:
          sgdUpdate(group.parameters[p], buffer: &firstMoments[g][p], group, first: steps[g] == 1)
        case .adam, .adamw:
          adamUpdate(
            group.parameters[p], first: &firstMoments[g][p], second: &secondMoments[g][p], group,
            step: steps[g])
        }
      }
    }
  }

  /// Scales the gradients so that their joint L2 norm is at most `limit`; returns the norm
  /// before clipping. The factor is limit / (norm + 1e-6), as PyTorch computes it.
  @discardableResult
  public func clip(_ parameters: [Parameter], to limit: Float) -> Double {
    let norm = parameters.reduce(0.0) { sum, parameter in
      let n = parameter.gradient.norm
      return sum + n * n
    }.squareRoot()
    let factor = Float(Double(limit) / (norm + 1e-6))
    guard factor < 1 else { return norm }
    for parameter in parameters {
      parameter.gradient.values.withUnsafeMutableBufferPointer { g in
        for index in 0..<g.count { g[index] *= factor }
      }
    }
    return norm
  }

  private func sgdUpdate(
    _ parameter: Parameter, buffer: inout Matrix, _ group: ParameterGroup, first: Bool
  ) {
    let rate = group.learningRate
    let decay = group.settings.effectiveWeightDecay
    let momentum = group.settings.momentum
    let nesterov = group.settings.nesterov
    parameter.gradient.values.withUnsafeBufferPointer { gradient in
      parameter.value.values.withUnsafeMutableBufferPointer { w in
        buffer.values.withUnsafeMutableBufferPointer { b in
          // Separate plain loops rather than one with branches, so each one vectorises.
          if momentum == 0 {
            for index in 0..<w.count { w[index] -= rate * (gradient[index] + decay * w[index]) }
          } else if first {
            for index in 0..<w.count {
              let g = gradient[index] + decay * w[index]
              b[index] = g
              w[index] -= rate * (nesterov ? g + momentum * g : g)
            }
          } else if nesterov {
            for index in 0..<w.count {
              let g = gradient[index] + decay * w[index]
              let direction = momentum * b[index] + g
              b[index] = direction
              w[index] -= rate * (g + momentum * direction)
            }
          } else {
            for index in 0..<w.count {
              let g = gradient[index] + decay * w[index]
              let direction = momentum * b[index] + g
              b[index] = direction
              w[index] -= rate * direction
            }
          }
        }
      }
    }
  }

  private func adamUpdate(
    _ parameter: Parameter, first: inout Matrix, second: inout Matrix, _ group: ParameterGroup,
    step: Int
  ) {
    let settings = group.settings
    let rate = group.learningRate
    let decay = settings.effectiveWeightDecay
    let (beta1, beta2, epsilon) = (settings.beta1, settings.beta2, settings.epsilon)
    let decoupled = settings.kind == .adamw
    let l2 = decoupled ? 0 : decay
    let shrink = decoupled ? 1 - rate * decay : 1
    let correction1 = 1 - pow(Double(beta1), Double(step))
    let correction2 = 1 - pow(Double(beta2), Double(step))
    let stepSize = Float(Double(rate) / correction1)
    let rootCorrection2 = Float(correction2.squareRoot())
    parameter.gradient.values.withUnsafeBufferPointer { gradient in
      parameter.value.values.withUnsafeMutableBufferPointer { w in
        first.values.withUnsafeMutableBufferPointer { m in
          second.values.withUnsafeMutableBufferPointer { v in
            for index in 0..<w.count {
              let g = gradient[index] + l2 * w[index]
              w[index] *= shrink
              m[index] = beta1 * m[index] + (1 - beta1) * g
              v[index] = beta2 * v[index] + (1 - beta2) * g * g
              let denominator = v[index].squareRoot() / rootCorrection2 + epsilon
              w[index] -= stepSize * m[index] / denominator
            }
          }
        }
      }
    }
  }
}
