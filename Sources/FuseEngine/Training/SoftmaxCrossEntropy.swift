import Foundation

/// Mean softmax cross-entropy of `logits` (one row per sample) against class `labels`,
/// and its gradient with respect to the logits, written into `gradient`.
///
/// Stable for large logits: each row is shifted by its maximum before exponentiating.
/// The loss is accumulated in double precision. A non-finite logit gives a non-finite loss.
@discardableResult
public func softmaxCrossEntropy(logits: Matrix, labels: [Int], gradient: inout Matrix) -> Float {
  let rows = logits.rows
  let classes = logits.columns
  precondition(labels.count == rows, "one label per row")
  gradient.reshape(rows: rows, columns: classes)
  guard rows > 0 else { return 0 }
  let scale = 1 / Float(rows)
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
        total += Double(log(sum) - (z[start + label] - largest))
        let inverse = 1 / sum
        for column in 0..<classes { g[start + column] *= inverse * scale }
        g[start + label] -= scale
      }
    }
  }
  if !logits.values.allSatisfy({ $0.isFinite }) { return .nan }
  return Float(total / Double(rows))
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
