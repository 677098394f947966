import CBLAS
import Foundation

/// Multi-head scaled dot-product self-attention over packed sequences.
///
/// A batch holds several sentences of different lengths one after the other, with no
/// padding: rows `sequences[s]` of the packed matrices belong to sentence s. Each
/// sentence attends only to itself, so no attention mask is needed and no padded
/// position costs anything. Per sentence and head, the scores and the weighted sum of
/// values are two `cblas_sgemm` calls that read the heads in place (strided rows of
/// the fused query-key-value matrix) and write the context in place.
public struct SelfAttention: Sendable {
  public var headCount: Int
  public var headSize: Int

  public var width: Int { headCount * headSize }

  public init(headCount: Int, headSize: Int) {
    self.headCount = headCount
    self.headSize = headSize
  }

  /// Where each sentence's attention probabilities start in a flat buffer: for every
  /// sentence, `headCount` row-major T x T blocks.
  public func probabilityOffsets(_ sequences: [Range<Int>]) -> [Int] {
    var offsets: [Int] = []
    offsets.reserveCapacity(sequences.count + 1)
    var total = 0
    for sequence in sequences {
      offsets.append(total)
      total += headCount * sequence.count * sequence.count
    }
    offsets.append(total)
    return offsets
  }

  /// Computes the context (rows x width) from `queryKeyValue` (rows x 3 width, the
  /// query, key and value blocks side by side).
  ///
  /// `probabilities` receives softmax(Q K^T / sqrt(headSize)) for every sentence and
  /// head, laid out as `probabilityOffsets` says; a backward pass needs it.
  public func forward(
    queryKeyValue: Matrix, sequences: [Range<Int>],
    context: inout Matrix, probabilities: inout [Float]
  ) {
    let rows = queryKeyValue.rows
    let stride = 3 * width
    precondition(queryKeyValue.columns == stride, "attention input is not query|key|value")
    context.reshape(rows: rows, columns: width)
    let offsets = probabilityOffsets(sequences)
    if probabilities.count != offsets.last! {
      probabilities = [Float](repeating: 0, count: offsets.last!)
    }
    let scale = 1 / Float(headSize).squareRoot()
    let threads = max(1, min(matrixThreadCount, sequences.count))

    queryKeyValue.values.withUnsafeBufferPointer { input in
      context.values.withUnsafeMutableBufferPointer { output in
        probabilities.withUnsafeMutableBufferPointer { weights in
          let qkv = input.baseAddress!
          let out = output.baseAddress!
          let all = weights.baseAddress!
          // Sentences are independent, so threads take whole sentences; the result does
          // not depend on how they are shared out.
          DispatchQueue.concurrentPerform(iterations: threads) { part in
            var index = part
            while index < sequences.count {
              let sequence = sequences[index]
              attend(
                qkv + sequence.lowerBound * stride, length: sequence.count, stride: stride,
                scale: scale, weights: all + offsets[index],
                context: out + sequence.lowerBound * width)
              index += threads
            }
          }
        }
      }
    }
  }

  private func attend(
    _ qkv: UnsafePointer<Float>, length: Int, stride: Int, scale: Float,
    weights: UnsafeMutablePointer<Float>, context: UnsafeMutablePointer<Float>
  ) {
    let count = Int32(length)
    for head in 0..<headCount {
      let query = qkv + head * headSize
      let key = query + width
      let value = query + 2 * width
      let scores = weights + head * length * length
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, count, count, Int32(headSize), scale,
        query, Int32(stride), key, Int32(stride), 0, scores, count)
      softmaxRows(scores, rows: length, columns: length)
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, count, Int32(headSize), count, 1,
        scores, count, value, Int32(stride), 0, context + head * headSize, Int32(width))
    }
  }
}

/// Replaces each row by its softmax, subtracting the row's maximum first.
func softmaxRows(_ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
  for row in 0..<rows {
    let line = values + row * columns
    var largest = -Float.infinity
    for column in 0..<columns { largest = max(largest, line[column]) }
    var sum: Float = 0
    for column in 0..<columns {
      let e = expf(line[column] - largest)
      line[column] = e
      sum += e
    }
    let inverse = 1 / sum
    for column in 0..<columns { line[column] *= inverse }
  }
}
