import Testing

@testable import FuseEngine

@Suite("Matrix products through BLAS")
struct EngineMatmulTests {
  static func naive(_ a: Matrix, _ b: Matrix, _ transposeA: Bool, _ transposeB: Bool) -> Matrix {
    let m = transposeA ? a.columns : a.rows
    let k = transposeA ? a.rows : a.columns
    let n = transposeB ? b.rows : b.columns
    var c = Matrix(rows: m, columns: n)
    for i in 0..<m {
      for j in 0..<n {
        var sum = 0.0
        for p in 0..<k {
          let x = transposeA ? a[p, i] : a[i, p]
          let y = transposeB ? b[j, p] : b[p, j]
          sum += Double(x) * Double(y)
        }
        c[i, j] = Float(sum)
      }
    }
    return c
  }

  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func matchesTripleLoop(transposeA: Bool, transposeB: Bool) {
    let (m, k, n) = (5, 7, 3)
    let a = EngineFixtures.randomMatrix(
      rows: transposeA ? k : m, columns: transposeA ? m : k, seed: 1)
    let b = EngineFixtures.randomMatrix(
      rows: transposeB ? n : k, columns: transposeB ? k : n, seed: 2)
    let product = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
    let expected = Self.naive(a, b, transposeA, transposeB)
    #expect(product.rows == m && product.columns == n)
    for (x, y) in zip(product.values, expected.values) { #expect(abs(x - y) < 1e-4) }
  }

  @Test func inPlaceFormAccumulatesAndReusesStorage() {
    let a = EngineFixtures.randomMatrix(rows: 4, columns: 6, seed: 3)
    let b = EngineFixtures.randomMatrix(rows: 6, columns: 2, seed: 4)
    let start = EngineFixtures.randomMatrix(rows: 4, columns: 2, seed: 5)
    var c = start
    gemm(a, b, into: &c, alpha: 2, beta: 0.5)
    let ab = Self.naive(a, b, false, false)
    for index in c.values.indices {
      #expect(abs(c.values[index] - (2 * ab.values[index] + 0.5 * start.values[index])) < 1e-4)
    }

    // A smaller product into a larger buffer keeps the buffer's storage.
    var buffer = Matrix(rows: 10, columns: 10)
    let before = buffer.values.capacity
    gemm(a, b, into: &buffer)
    #expect(buffer.rows == 4 && buffer.columns == 2)
    #expect(buffer.values.capacity == before)
    #expect(buffer == ab || zip(buffer.values, ab.values).allSatisfy { abs($0 - $1) < 1e-4 })
  }
}
