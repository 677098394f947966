import Foundation

/// A nonlinearity applied entry by entry: after each hidden layer of a branch, and (GELU)
/// inside the text encoder's feed-forward block.
///
/// The raw values are the names the language uses: `"relu"`, `"gelu"`, `"tanh"`,
/// `"sigmoid"`, `"leaky_relu"`.
public enum Activation: String, CaseIterable, Sendable, Codable {
  /// max(0, x).
  case relu
  /// The Gaussian error linear unit in its exact form, x * (1 + erf(x / sqrt 2)) / 2,
  /// as BERT's "gelu" (not the tanh approximation).
  case gelu
  /// The hyperbolic tangent.
  case tanh
  /// The logistic function 1 / (1 + e^-x).
  case sigmoid
  /// x where x > 0, otherwise `leakySlope` * x.
  case leakyReLU = "leaky_relu"

  /// The slope of leaky ReLU below 0: PyTorch's default `negative_slope`.
  public static let leakySlope: Float = 0.01

  /// The names the language accepts, in the order the documentation lists them.
  public static var names: [String] { allCases.map(\.rawValue) }

  /// y = f(x) for every entry. `x` and `y` may be the same memory: each entry is read
  /// before it is written.
  public func forward(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
    precondition(x.count == y.count, "activation buffers differ in size")
    switch self {
    case .relu:
      for index in 0..<x.count { y[index] = max(x[index], 0) }
    case .gelu:
      for index in 0..<x.count {
        let value = x[index]
        y[index] = 0.5 * value * (1 + erff(value * Self.inverseSquareRootOf2))
      }
    case .tanh:
      for index in 0..<x.count { y[index] = tanhf(x[index]) }
    case .sigmoid:
      // exp of a negative number only, so that a large |x| cannot overflow to inf / inf.
      for index in 0..<x.count {
        let value = x[index]
        if value >= 0 {
          y[index] = 1 / (1 + expf(-value))
        } else {
          let exponential = expf(value)
          y[index] = exponential / (1 + exponential)
        }
      }
    case .leakyReLU:
      for index in 0..<x.count {
        let value = x[index]
        let scaled = Self.leakySlope * value
        y[index] = value > 0 ? value : scaled
      }
    }
  }

  /// Applies the activation to every entry of `values` in place.
  public func apply(to values: inout [Float]) {
    values.withUnsafeMutableBufferPointer { entries in
      forward(UnsafeBufferPointer(entries), into: entries)
    }
  }

  /// dx = dy * f'(x) for every entry, given the input `x` and the output `y` of the forward
  /// pass. At a kink (x = 0 for the ReLUs) the derivative is the one to the left, as in
  /// PyTorch: 0 for ReLU, `leakySlope` for leaky ReLU.
  public func backward(
    input x: UnsafeBufferPointer<Float>, output y: UnsafeBufferPointer<Float>,
    outputGradient dy: UnsafeBufferPointer<Float>, into dx: UnsafeMutableBufferPointer<Float>
  ) {
    precondition(
      x.count == dy.count && y.count == dy.count && dx.count == dy.count,
      "activation buffers differ in size")
    switch self {
    case .relu:
      // Both loads happen whatever the sign, so the compiler makes this a vector select
      // instead of a branch that mispredicts on half the entries.
      for index in 0..<dy.count {
        let gradient = dy[index]
        dx[index] = y[index] > 0 ? gradient : 0
      }
    case .gelu:
      // d/dx x Phi(x) = Phi(x) + x phi(x), with phi the standard normal density.
      for index in 0..<dy.count {
        let value = x[index]
        let cumulative = 0.5 * (1 + erff(value * Self.inverseSquareRootOf2))
        let density = expf(-0.5 * value * value) * Self.inverseSquareRootOf2Pi
        dx[index] = dy[index] * (cumulative + value * density)
      }
    case .tanh:
      for index in 0..<dy.count { dx[index] = dy[index] * (1 - y[index] * y[index]) }
    case .sigmoid:
      for index in 0..<dy.count { dx[index] = dy[index] * y[index] * (1 - y[index]) }
    case .leakyReLU:
      for index in 0..<dy.count {
        let gradient = dy[index]
        let scaled = Self.leakySlope * gradient
        dx[index] = x[index] > 0 ? gradient : scaled
      }
    }
  }

  private static let inverseSquareRootOf2: Float = 0.70710678118654752
  private static let inverseSquareRootOf2Pi: Float = 0.39894228040143268
}
