import Foundation

/// Mean softmax cross-entropy of `logits` (one row per sample) against class `labels`,
/// and its gradient with respect to the logits, written into `gradient`.
///
/// Stable for large logits: each row is shifted by its maximum before exponentiating.
/// The loss is accumulated in double precision. A non-finite logit gives a non-finite loss.
///
/// With `classWeights`, each sample counts with its class's weight and the mean divides by
/// the sum of those weights, as PyTorch's `CrossEntropyLoss(weight:)`; a batch whose weights
/// sum to 0 has loss 0 and no gradient.
@discardableResult
public func softmaxCrossEntropy(
  logits: Matrix, labels: [Int], gradient: inout Matrix, classWeights: [Float]? = nil
) -> Float {
  let rows = logits.rows
  let classes = logits.columns
  precondition(labels.count == rows, "one label per row")
  gradient.reshape(rows: rows, columns: classes)
  guard rows > 0 else { return 0 }
  // In double precision: 64 samples of weight 1e38 would overflow a Float sum.
  var weightSum = Double(rows)
  if let classWeights {
    weightSum = 0
    for row in 0..<rows { weightSum += Double(classWeights[labels[row]]) }
    guard weightSum > 0 else {
      for index in gradient.values.indices { gradient.values[index] = 0 }
      return 0
    }
  }
  var total = 0.0
  logits.values.withUnsafeBufferPointer { z in
    gradient.values.withUnsafeMutableBufferPointer { g in
      for row in 0..<rows {
        let start = row * classes
        var largest = z[start]
        for column in 1..<classes { largest = max(largest, z[start + column]) }
        var sum: Float = 0
        for column in 0..<classes {
          let e = exp(z[start + column] - largest)
          g[start + column] = e
          sum += e
        }
        let label = labels[row]
        let sampleWeight = classWeights?[label] ?? 1
        let scale = Float(Double(sampleWeight) / weightSum)
        total += Double(sampleWeight) * Double(log(sum) - (z[start + label] - largest))
        let inverse = 1 / sum
        for column in 0..<classes { g[start + column] *= inverse * scale }
        g[start + label] -= scale
      }
    }
  }
  let finite = logits.values.withUnsafeBufferPointer { z in
    var finite = true
    for index in 0..<z.count where !z[index].isFinite { finite = false }
    return finite
  }
  return finite ? Float(total / weightSum) : .nan
}

/// The mean softmax cross-entropy alone, without a gradient.
public func softmaxCrossEntropy(logits: Matrix, labels: [Int]) -> Float {
  var scratch = Matrix(rows: 0, columns: 0)
  return softmaxCrossEntropy(logits: logits, labels: labels, gradient: &scratch)
}

/// The index of the largest entry of each row (the first one on ties).
public func argmaxRows(_ matrix: Matrix) -> [Int] {
  var result = [Int](repeating: 0, count: matrix.rows)
  argmaxRows(matrix, into: &result, offset: 0)
  return result
}

func argmaxRows(_ matrix: Matrix, into result: inout [Int], offset: Int) {
  let width = matrix.columns
  matrix.values.withUnsafeBufferPointer { z in
    for row in 0..<matrix.rows {
      let start = row * width
      var best = 0
      for column in 1..<width where z[start + column] > z[start + best] { best = column }
      result[offset + row] = best
    }
  }
}
