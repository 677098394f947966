import Foundation

@testable import FuseEngine

/// Forward passes and losses rewritten in double precision from the layers' definitions,
/// so that gradients can be checked against finite differences that float32 rounding
/// does not blur.
///
/// With a step of 1e-6 a central difference of these functions is accurate to about
/// 1e-9, far below the float32 rounding in the engine's analytic gradients (about 1e-6
/// relative), so a tolerance of 1e-4 leaves a wide margin and still catches any wrong
/// term. Nothing here calls the engine's arithmetic: only its weights and, for dropout,
/// the masks it drew are read.
enum DoubleReference {
  /// One engine layer as a plain description.
  enum Step {
    case linear(inputs: Int, outputs: Int)
    case activation(Activation)
    case scale(mask: [Double])
  }

  /// The steps of a branch, with the masks its dropout layers drew in their last
  /// training pass (so call this after a forward pass with `training: true`).
  static func steps(of branch: Branch) -> [Step] {
    branch.layers.map { layer in
      switch layer {
      case let linear as Linear:
        return .linear(inputs: linear.inputCount, outputs: linear.outputCount)
      case let activation as ActivationLayer:
        return .activation(activation.activation)
      case let dropout as Dropout:
        return .scale(mask: dropout.mask.values.map { Double($0) })
      default:
        fatalError("no double-precision reference for \(type(of: layer))")
      }
    }
  }

  /// A branch's parameters (weight, bias per linear layer), row-major, in double.
  static func parameters(of branch: Branch) -> [[Double]] {
    branch.parameters.map { $0.value.values.map { Double($0) } }
  }

  static func values(_ matrix: Matrix) -> [Double] { matrix.values.map { Double($0) } }

  /// The logits of `rows` samples (`input` row-major), with y = x W^T + b for a linear step.
  static func logits(
    steps: [Step], parameters: [[Double]], input: [Double], rows: Int
  ) -> [Double] {
    var x = input
    var next = 0
    for step in steps {
      switch step {
      case .linear(let inputs, let outputs):
        let (weight, bias) = (parameters[next], parameters[next + 1])
        next += 2
        var y = [Double](repeating: 0, count: rows * outputs)
        for row in 0..<rows {
          for output in 0..<outputs {
            var sum = bias[output]
            for i in 0..<inputs { sum += x[row * inputs + i] * weight[output * inputs + i] }
            y[row * outputs + output] = sum
          }
        }
        x = y
      case .activation(let activation):
        x = x.map { apply(activation, $0) }
      case .scale(let mask):
        x = zip(x, mask).map { $0 * $1 }
      }
    }
    return x
  }

  /// An activation by its definition, in double precision.
  static func apply(_ activation: Activation, _ x: Double) -> Double {
    switch activation {
    case .relu: return max(x, 0)
    case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
    case .tanh: return Foundation.tanh(x)
    case .sigmoid: return 1 / (1 + exp(-x))
    case .leakyReLU: return x > 0 ? x : Double(Activation.leakySlope) * x
    }
  }

  /// Mean softmax cross-entropy, -z[label] + log sum exp z, per row; with class weights,
  /// the weighted sum divided by the sum of the samples' weights.
  static func crossEntropy(
    logits: [Double], classes: Int, labels: [Int], classWeights: [Double]? = nil
  ) -> Double {
    var total = 0.0
    var weightSum = 0.0
    for (row, label) in labels.enumerated() {
      let z = logits[(row * classes)..<((row + 1) * classes)]
      let largest = z.max()!
      let logSum = largest + log(z.reduce(0) { $0 + exp($1 - largest) })
      let weight = classWeights?[label] ?? 1
      total += weight * (logSum - z[z.startIndex + label])
      weightSum += weight
    }
    return total / weightSum
  }

  /// dL/dz of the mean cross-entropy in closed form: (softmax(z) - onehot(label)) / n.
  static func crossEntropyGradient(logits: [Double], classes: Int, labels: [Int]) -> [Double] {
    var gradient = [Double](repeating: 0, count: logits.count)
    let n = Double(labels.count)
    for (row, label) in labels.enumerated() {
      let start = row * classes
      let z = logits[start..<(start + classes)]
      let largest = z.max()!
      let exponentials = z.map { exp($0 - largest) }
      let sum = exponentials.reduce(0, +)
      for column in 0..<classes {
        let target = column == label ? 1.0 : 0.0
        gradient[start + column] = (exponentials[column] / sum - target) / n
      }
    }
    return gradient
  }

  /// Central differences of `loss` with respect to every entry of every parameter.
  static func numericalGradient(
    of parameters: [[Double]], step: Double = 1e-6, loss: ([[Double]]) -> Double
  ) -> [[Double]] {
    var moved = parameters
    return parameters.indices.map { p in
      parameters[p].indices.map { i in
        moved[p][i] = parameters[p][i] + step
        let plus = loss(moved)
        moved[p][i] = parameters[p][i] - step
        let minus = loss(moved)
        moved[p][i] = parameters[p][i]
        return (plus - minus) / (2 * step)
      }
    }
  }
}
