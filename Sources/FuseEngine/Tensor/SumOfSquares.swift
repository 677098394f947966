/// The sum of the squares of `count` floats, each converted to double precision before it is
/// squared and added, so every square is exact; OpenBLAS's `cblas_dsdot`, which `Matrix.norm`
/// uses, agrees with it to about nine digits.
///
/// Written with SIMD types because the compiler does not vectorise a floating-point sum on
/// its own: reordering the additions changes the result, so it needs the lanes spelled out.
func sumOfSquares(_ values: UnsafePointer<Float>, count: Int) -> Double {
  var low = SIMD4<Double>()
  var high = SIMD4<Double>()
  var index = 0
  while index &+ 8 <= count {
    let eight = UnsafeRawPointer(values + index).loadUnaligned(as: SIMD8<Float>.self)
    let first = SIMD4<Double>(
      Double(eight[0]), Double(eight[1]), Double(eight[2]), Double(eight[3]))
    let last = SIMD4<Double>(Double(eight[4]), Double(eight[5]), Double(eight[6]), Double(eight[7]))
    low += first * first
    high += last * last
    index &+= 8
  }
  var total = (low + high).sum()
  while index < count {
    let value = Double(values[index])
    total += value * value
    index &+= 1
  }
  return total
}

/// The sum of the squares of every entry, as `sumOfSquares(_:count:)` adds them.
func sumOfSquares(_ values: [Float]) -> Double {
  values.withUnsafeBufferPointer { entries in
    entries.baseAddress.map { sumOfSquares($0, count: entries.count) } ?? 0
  }
}
