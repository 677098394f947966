/// Buffers of one forward and backward pass of the fused model, reused between batches.
struct FusionBuffers {
  var fusedLogits = Matrix(rows: 0, columns: 0)
  var logitsGradient = Matrix(rows: 0, columns: 0)
  var branchGradient = Matrix(rows: 0, columns: 0)

  /// dL/dw_m = sum over the batch and classes of dL/dz * f_m(x_m), one per branch.
  var fusionWeightGradient: [Float] = []
}

/// A batch of token ids for a branch that runs its text encoder, and the lowest encoder
/// block whose gradient the step needs (0 the embeddings, 1 + i layer i): the backward pass
/// stops below it.
struct TextBatch {
  var tokens: [[Int]] = []
  var lowestBlock = 0
}

extension FusionModel {
  /// Runs every branch on its batch, takes the loss of the weighted sum of their outputs
  /// and, when the loss is finite, fills every parameter's gradient.
  ///
  /// `inputs` are standardised features, one matrix per branch; a branch whose entry of
  /// `text` is not nil runs its encoder on those token ids instead (its input matrix is not
  /// read). The loss is the mean softmax
  /// cross-entropy against `labels`, or for `.meanSquaredError` and `.meanAbsoluteError`
  /// the mean error against `targets`. Since the fused output is sum of w_m * f_m, the
  /// gradient reaching branch m is w_m times the fused one.
  func lossAndGradients(
    inputs: [Matrix], labels: [Int], targets: [Float] = [], loss: LossFunction = .crossEntropy,
    training: Bool, generator: inout SeededGenerator, buffers: inout FusionBuffers,
    classWeights: [Float]? = nil, text: [TextBatch?] = []
  ) -> Float {
    // Index loops: an enumerated sequence allocates per step in unoptimised builds.
    for m in branches.indices {
      let branch = branches[m]
      if m < text.count, let batch = text[m] {
        branch.forward(tokens: batch.tokens, training: training, generator: &generator)
      } else {
        branch.forward(inputs[m], training: training, generator: &generator)
      }
      accumulate(
        branch.logits, weight: fusionWeights[m], into: &buffers.fusedLogits, first: m == 0)
    }
    let loss =
      loss == .crossEntropy
      ? softmaxCrossEntropy(
        logits: buffers.fusedLogits, labels: labels, gradient: &buffers.logitsGradient,
        classWeights: classWeights)
      : regressionLoss(
        loss, predictions: buffers.fusedLogits, targets: targets,
        gradient: &buffers.logitsGradient)
    guard loss.isFinite else { return loss }

    if buffers.fusionWeightGradient.count != branches.count {
      buffers.fusionWeightGradient = Array(repeating: 0, count: branches.count)
    }
    for m in branches.indices {
      buffers.fusionWeightGradient[m] = dot(buffers.logitsGradient, branches[m].logits)
    }
    for m in branches.indices {
      let branch = branches[m]
      let weight = fusionWeights[m]
      if weight != 1 {
        accumulate(
          buffers.logitsGradient, weight: weight, into: &buffers.branchGradient, first: true)
      }
      let gradient = weight == 1 ? buffers.logitsGradient : buffers.branchGradient
      if m < text.count, let batch = text[m] {
        branch.backward(tokensLogitsGradient: gradient, lowestBlock: batch.lowestBlock)
      } else {
        branch.backward(input: inputs[m], logitsGradient: gradient)
      }
    }
    return loss
  }
}

/// The sum of the elementwise products of two matrices of the same shape.
func dot(_ a: Matrix, _ b: Matrix) -> Float {
  precondition(a.values.count == b.values.count, "dot: shapes differ")
  var sum: Float = 0
  a.values.withUnsafeBufferPointer { x in
    b.values.withUnsafeBufferPointer { y in
      for index in 0..<x.count { sum += x[index] * y[index] }
    }
  }
  return sum
}
