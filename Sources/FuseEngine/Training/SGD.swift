/// A set of parameters that share one learning rate: in FuseLab, one modality's branch.
public struct ParameterGroup {
  public var name: String
  public var parameters: [Parameter]
  public var learningRate: Float

  public init(name: String, parameters: [Parameter], learningRate: Float) {
    self.name = name
    self.parameters = parameters
    self.learningRate = learningRate
  }
}

/// Stochastic gradient descent with momentum and weight decay, as PyTorch's `optim.SGD`
/// (no dampening, no Nesterov), with one learning rate per parameter group:
///
///     g = gradient + weightDecay * w
///     buffer = g on the first step, else momentum * buffer + g
///     w = w - learningRate * buffer
public final class SGD {
  public var groups: [ParameterGroup]
  public let momentum: Float
  public let weightDecay: Float

  // One momentum buffer per parameter, per group; empty until the first step.
  private var buffers: [[Matrix]]

  public init(groups: [ParameterGroup], momentum: Float = 0, weightDecay: Float = 0) {
    self.groups = groups
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.buffers = groups.map { _ in [] }
  }

  /// Updates every parameter from its current gradient.
  public func step() {
    for g in groups.indices {
      let group = groups[g]
      if buffers[g].isEmpty && momentum != 0 {
        buffers[g] = group.parameters.map { Matrix(rows: $0.value.rows, columns: $0.value.columns) }
        for (p, parameter) in group.parameters.enumerated() {
          update(parameter, buffer: &buffers[g][p], rate: group.learningRate, first: true)
        }
        continue
      }
      for (p, parameter) in group.parameters.enumerated() {
        if momentum == 0 {
          var unused = Matrix(rows: 0, columns: 0)
          update(parameter, buffer: &unused, rate: group.learningRate, first: true)
        } else {
          update(parameter, buffer: &buffers[g][p], rate: group.learningRate, first: false)
        }
      }
    }
  }

  private func update(_ parameter: Parameter, buffer: inout Matrix, rate: Float, first: Bool) {
    let decay = weightDecay
    let momentum = self.momentum
    let keepsBuffer = momentum != 0
    parameter.gradient.values.withUnsafeBufferPointer { gradient in
      parameter.value.values.withUnsafeMutableBufferPointer { w in
        buffer.values.withUnsafeMutableBufferPointer { b in
          // Three plain loops rather than one with branches, so each one vectorises.
          if !keepsBuffer {
            for index in 0..<w.count { w[index] -= rate * (gradient[index] + decay * w[index]) }
          } else if first {
            for index in 0..<w.count {
              let g = gradient[index] + decay * w[index]
              b[index] = g
              w[index] -= rate * g
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
}
