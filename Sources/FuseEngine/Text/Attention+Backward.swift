import CBLAS
import Foundation

extension SelfAttention {
  /// Sets `queryKeyValueGradient` (rows x 3 width) to dL/d(query|key|value), given
  /// `contextGradient` dL/d(context) and what the forward pass computed: its input and the
  /// attention probabilities it wrote.
  ///
  /// Per sentence and head, with P the probabilities, S = Q K^T / sqrt(headSize) the
  /// scores and dC the head's slice of the context gradient:
  ///
  ///     dV = P^T dC,   dP = dC V^T,   dS = P * (dP - rowsum(P * dP)),
  ///     dQ = dS K / sqrt(headSize),   dK = dS^T Q / sqrt(headSize)
  ///
  /// Four `cblas_sgemm` calls read and write the heads in place. A sentence's gradient
  /// reaches only its own rows, as its attention does. `scratch` holds dP and dS, one
  /// block per thread, and is reused between calls.
  public func backward(
    queryKeyValue: Matrix, probabilities: [Float], sequences: [Range<Int>],
    contextGradient: Matrix, queryKeyValueGradient: inout Matrix, scratch: inout [Float]
  ) {
    let rows = queryKeyValue.rows
    let stride = 3 * width
    precondition(queryKeyValue.columns == stride, "attention input is not query|key|value")
    precondition(
      contextGradient.rows == rows && contextGradient.columns == width,
      "context gradient has the wrong shape")
    queryKeyValueGradient.reshape(rows: rows, columns: stride)
    let offsets = probabilityOffsets(sequences)
    precondition(probabilities.count == offsets.last!, "probabilities of another batch")
    let threads = max(1, min(matrixThreadCount, sequences.count))
    let longest = sequences.reduce(0) { max($0, $1.count) }
    let block = longest * longest
    if scratch.count < threads * block {
      scratch = [Float](repeating: 0, count: threads * block)
    }
    let scale = 1 / Float(headSize).squareRoot()

    queryKeyValue.values.withUnsafeBufferPointer { input in
      probabilities.withUnsafeBufferPointer { weights in
        contextGradient.values.withUnsafeBufferPointer { context in
          queryKeyValueGradient.values.withUnsafeMutableBufferPointer { output in
            scratch.withUnsafeMutableBufferPointer { scratch in
              let (qkv, all, dContext, dQKV, space) = (
                input.baseAddress!, weights.baseAddress!, context.baseAddress!,
                output.baseAddress!, scratch.baseAddress!
              )
              // Threads take whole sentences, as in the forward pass.
              DispatchQueue.concurrentPerform(iterations: threads) { part in
                var index = part
                while index < sequences.count {
                  let start = sequences[index].lowerBound
                  attendBackward(
                    qkv + start * stride, length: sequences[index].count, stride: stride,
                    scale: scale, weights: all + offsets[index],
                    contextGradient: dContext + start * width,
                    queryKeyValueGradient: dQKV + start * stride,
                    scratch: space + part * block)
                  index += threads
                }
              }
            }
          }
        }
      }
    }
  }

  private func attendBackward(
    _ qkv: UnsafePointer<Float>, length: Int, stride: Int, scale: Float,
    weights: UnsafePointer<Float>, contextGradient: UnsafePointer<Float>,
    queryKeyValueGradient: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
  ) {
    let (count, size, rowStride, contextStride) = (
      Int32(length), Int32(headSize), Int32(stride), Int32(width)
    )
    for head in 0..<headCount {
      let query = qkv + head * headSize
      let key = query + width
      let value = query + 2 * width
      let queryGradient = queryKeyValueGradient + head * headSize
      let keyGradient = queryGradient + width
      let valueGradient = queryGradient + 2 * width
      let probabilities = weights + head * length * length
      let dContext = contextGradient + head * headSize

      cblas_sgemm(
        CblasRowMajor, CblasTrans, CblasNoTrans, count, size, count, 1, probabilities, count,
        dContext, contextStride, 0, valueGradient, rowStride)
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasTrans, count, count, size, 1, dContext, contextStride,
        value, rowStride, 0, scratch, count)
      softmaxBackwardRows(probabilities, gradient: scratch, rows: length, columns: length)
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, count, size, count, scale, scratch, count,
        key, rowStride, 0, queryGradient, rowStride)
      cblas_sgemm(
        CblasRowMajor, CblasTrans, CblasNoTrans, count, size, count, scale, scratch, count,
        query, rowStride, 0, keyGradient, rowStride)
    }
  }
}

/// Turns `gradient`, dL/dp for rows p = softmax(s), into dL/ds in place:
/// p * (dL/dp - sum over the row of p * dL/dp).
func softmaxBackwardRows(
  _ probabilities: UnsafePointer<Float>, gradient: UnsafeMutablePointer<Float>, rows: Int,
  columns: Int
) {
  for row in 0..<rows {
    let p = probabilities + row * columns
    let g = gradient + row * columns
    var projection: Float = 0
    for column in 0..<columns { projection += p[column] * g[column] }
    for column in 0..<columns { g[column] = p[column] * (g[column] - projection) }
  }
}
