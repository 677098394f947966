import Foundation

/// GELU for a pass that will be back-propagated: the forward pass keeps Phi(x), the
/// standard normal distribution function, so that the backward pass needs no erf (which
/// does not vectorise, and took a third of GELU's time in a training step).
///
/// The output is the same float as `Activation.gelu`'s: 0.5 x (1 + erf) and
/// x (0.5 (1 + erf)) round the same exact product once, halving being exact.
enum RecordedGELU {
  private static let inverseSquareRootOf2: Float = 0.70710678118654752
  private static let inverseSquareRootOf2Pi: Float = 0.39894228040143268

  /// Sets `cumulative` to Phi(x) = (1 + erf(x / sqrt 2)) / 2 and `output` to x Phi(x).
  static func forward(_ x: Matrix, cumulative: inout Matrix, output: inout Matrix) {
    cumulative.reshape(rows: x.rows, columns: x.columns)
    output.reshape(rows: x.rows, columns: x.columns)
    x.values.withUnsafeBufferPointer { x in
      cumulative.values.withUnsafeMutableBufferPointer { phi in
        output.values.withUnsafeMutableBufferPointer { y in
          // FIXME: erff is scalar (about 7% of a training step); a vectorised erf would
          // change GELU's last bits everywhere, branches and inference included.
          for index in 0..<x.count {
            let value = x[index]
            let distribution = 0.5 * (1 + erff(value * inverseSquareRootOf2))
            phi[index] = distribution
            y[index] = value * distribution
          }
        }
      }
    }
  }

  /// Sets `output` to x Phi(x) again, from the kept Phi(x).
  static func output(_ x: Matrix, cumulative: Matrix, into output: inout Matrix) {
    output.reshape(rows: x.rows, columns: x.columns)
    x.values.withUnsafeBufferPointer { x in
      cumulative.values.withUnsafeBufferPointer { phi in
        output.values.withUnsafeMutableBufferPointer { y in
          for index in 0..<x.count { y[index] = x[index] * phi[index] }
        }
      }
    }
  }

  /// Turns `gradient` dL/dy into dL/dx = dL/dy (Phi(x) + x phi(x)) in place, with phi the
  /// standard normal density.
  static func backward(_ x: Matrix, cumulative: Matrix, gradient: inout Matrix) {
    x.values.withUnsafeBufferPointer { x in
      cumulative.values.withUnsafeBufferPointer { phi in
        gradient.values.withUnsafeMutableBufferPointer { dy in
          for index in 0..<x.count {
            let value = x[index]
            let density = expf(-0.5 * value * value) * inverseSquareRootOf2Pi
            dy[index] *= phi[index] + value * density
          }
        }
      }
    }
  }
}
