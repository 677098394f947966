import Foundation

/// A small, fast, reproducible random number generator: xoshiro256** seeded by splitmix64.
///
/// One seed fixes every draw, on every machine: initial weights, shuffles and dropout
/// masks all come from generators of this type.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  public init(seed: UInt64) {
    var mixer = seed
    func splitmix() -> UInt64 {
      mixer &+= 0x9E37_79B9_7F4A_7C15
      var z = mixer
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (splitmix(), splitmix(), splitmix(), splitmix())
  }

  /// A generator that continues exactly where the one whose `words` these are stopped;
  /// nil unless there are four words, not all zero (xoshiro's one state that never leaves 0).
  public init?(words: [UInt64]) {
    guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
    state = (words[0], words[1], words[2], words[3])
  }

  /// The four 64-bit words of the state: what a checkpoint keeps so that a resumed run
  /// draws the same shuffles and dropout masks as one that never stopped.
  public var words: [UInt64] { [state.0, state.1, state.2, state.3] }

  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, by: 7) &* 9
    let shifted = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= shifted
    state.3 = rotateLeft(state.3, by: 45)
    return result
  }

  /// A float drawn uniformly from [0, 1), with 24 random bits.
  public mutating func uniform() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// A draw from the standard normal distribution (Box-Muller; the second value is dropped).
  public mutating func normal() -> Float {
    let u1 = 1 - Double(next() >> 11) * 0x1p-53  // in (0, 1], so the logarithm is finite
    let u2 = Double(next() >> 11) * 0x1p-53
    return Float((-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2))
  }

  /// An integer in `0..<bound`, by the multiply-high method (bias below 2^-64 * bound).
  public mutating func index(below bound: Int) -> Int {
    precondition(bound > 0, "index(below:) needs a positive bound")
    return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
  }

  /// Shuffles `array` in place (Fisher-Yates); the same seed gives the same order.
  public mutating func shuffle(_ array: inout [Int]) {
    guard array.count > 1 else { return }
    for position in stride(from: array.count - 1, to: 0, by: -1) {
      let other = index(below: position + 1)
      array.swapAt(position, other)
    }
  }

  private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
    (value << amount) | (value >> (64 - amount))
  }
}
