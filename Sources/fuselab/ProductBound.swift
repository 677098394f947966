import FuseEngine

/// How long the workload's matrix products take alone, timed in this process on the linked
/// OpenBLAS: the floor that the rest of a training step (activations, softmax, updates,
/// gathering) adds to.
///
/// Each product of a training step is timed as the engine calls it (`Linear` keeps its
/// weight as outputs x inputs, so the forward product multiplies by a transpose), on
/// operands that stay in cache from call to call, and the best of a few runs is kept. The
/// epoch bound is the full batches' products times their number plus the last, smaller
/// batch's; the dev bound is one forward pass over the dev split.
struct ProductBound {
  var epochSeconds: Double
  var devSeconds: Double

  /// A product `op(a) * op(b)` of the given operand shapes (rows x columns as stored).
  private struct Product {
    var a: (Int, Int)
    var b: (Int, Int)
    var transposeA = false
    var transposeB = false
  }

  static func measure(
    dimensions: [Int], hidden: Int, classes: Int, batch: Int, trainCount: Int, devCount: Int
  ) -> ProductBound {
    func step(rows: Int) -> Double {
      dimensions.reduce(0) { $0 + bestTime(of: stepProducts(rows, $1, hidden, classes)) }
    }
    let fullBatches = trainCount / batch
    let rest = trainCount % batch
    let epoch = Double(fullBatches) * step(rows: batch) + (rest > 0 ? step(rows: rest) : 0)
    let dev = dimensions.reduce(0) { total, dimension in
      total
        + bestTime(of: [
          Product(a: (devCount, dimension), b: (hidden, dimension), transposeB: true),
          Product(a: (devCount, hidden), b: (classes, hidden), transposeB: true),
        ])
    }
    return ProductBound(epochSeconds: epoch, devSeconds: dev)
  }

  /// The five products of one branch's training step with `rows` samples.
  private static func stepProducts(_ rows: Int, _ inputs: Int, _ hidden: Int, _ classes: Int)
    -> [Product]
  {
    [
      Product(a: (rows, inputs), b: (hidden, inputs), transposeB: true),  // hidden layer
      Product(a: (rows, hidden), b: (classes, hidden), transposeB: true),  // logits
      Product(a: (rows, classes), b: (rows, hidden), transposeA: true),  // logits' weight grad
      Product(a: (rows, classes), b: (classes, hidden)),  // gradient into the hidden layer
      Product(a: (rows, hidden), b: (rows, inputs), transposeA: true),  // hidden weight grad
    ]
  }

  /// The summed best time of each product: calls repeated for about 5 ms, best of 5.
  private static func bestTime(of products: [Product]) -> Double {
    var generator = SeededGenerator(seed: 7)
    func filled(_ shape: (Int, Int)) -> Matrix {
      Matrix(
        rows: shape.0, columns: shape.1,
        values: (0..<(shape.0 * shape.1)).map { _ in generator.uniform() - 0.5 })
    }
    let clock = ContinuousClock()
    return products.reduce(0) { total, product in
      let a = filled(product.a)
      let b = filled(product.b)
      var c = Matrix(rows: 0, columns: 0)
      func call() {
        gemm(a, b, into: &c, transposeA: product.transposeA, transposeB: product.transposeB)
      }
      // Enough calls for a 5 ms window, from the time of one call after a warm-up call.
      call()
      let once = clock.now
      call()
      let single = max(seconds(once.duration(to: clock.now)), 1e-7)
      let calls = max(1, Int((0.005 / single).rounded(.up)))
      var best = Double.infinity
      for _ in 0..<5 {
        let start = clock.now
        for _ in 0..<calls { call() }
        best = min(best, seconds(start.duration(to: clock.now)) / Double(calls))
      }
      return total + best
    }
  }
}
