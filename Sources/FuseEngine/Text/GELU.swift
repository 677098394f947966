import Foundation

/// The Gaussian error linear unit in its exact form, x * (1 + erf(x / sqrt 2)) / 2,
/// as BERT's "gelu" (not the tanh approximation).
public enum GELU {
  /// Applies GELU to every entry of `values` in place.
  public static func forward(_ values: inout [Float]) {
    values.withUnsafeMutableBufferPointer { entries in
      for index in entries.indices {
        let x = entries[index]
        entries[index] = 0.5 * x * (1 + erff(x * 0.70710678118654752))
      }
    }
  }
}
