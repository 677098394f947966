extension EncoderLayer {
  /// Buffers of a backward pass through a layer, reused from batch to batch and shared by
  /// every layer of the encoder (one layer is taken at a time).
  struct BackwardWorkspace {
    /// The attention block's normalised output, recomputed from its recorded sum.
    var normalized = Matrix(rows: 0, columns: 0)
    /// GELU's output, recomputed from its recorded input and distribution function.
    var activated = Matrix(rows: 0, columns: 0)
    var hiddenGradient = Matrix(rows: 0, columns: 0)
    var contextGradient = Matrix(rows: 0, columns: 0)
    var queryKeyValueGradient = Matrix(rows: 0, columns: 0)
    /// One T x T block per thread for the gradient of the attention scores.
    var scores: [Float] = []
  }

  /// Turns `gradient`, dL/d(output) for the forward pass that `activations` recorded, into
  /// dL/d(input) in place, and adds the gradient of every parameter of the layer.
  ///
  /// Each residual connection is the sum of two terms: the gradient flowing past a block
  /// stays in `gradient`, and the block's input gradient is added to it by the same
  /// product that computes it (`cblas_sgemm` with beta 1).
  func backward(
    _ gradient: inout Matrix, sequences: [Range<Int>], activations a: Activations,
    workspace w: inout BackwardWorkspace
  ) {
    outputNorm.backward(input: a.outputSum, statistics: a.outputStatistics, gradient: &gradient)
    RecordedGELU.output(a.preActivation, cumulative: a.cumulative, into: &w.activated)
    output.accumulateGradients(input: w.activated, outputGradient: gradient)
    output.inputGradient(of: gradient, into: &w.hiddenGradient)
    RecordedGELU.backward(a.preActivation, cumulative: a.cumulative, gradient: &w.hiddenGradient)

    attentionNorm.normalized(
      a.attentionSum, statistics: a.attentionStatistics, into: &w.normalized)
    intermediate.accumulateGradients(input: w.normalized, outputGradient: w.hiddenGradient)
    intermediate.inputGradient(of: w.hiddenGradient, into: &gradient, accumulate: true)

    attentionNorm.backward(
      input: a.attentionSum, statistics: a.attentionStatistics, gradient: &gradient)
    attentionOutput.accumulateGradients(input: a.context, outputGradient: gradient)
    attentionOutput.inputGradient(of: gradient, into: &w.contextGradient)
    attention.backward(
      queryKeyValue: a.queryKeyValue, probabilities: a.probabilities, sequences: sequences,
      contextGradient: w.contextGradient, queryKeyValueGradient: &w.queryKeyValueGradient,
      scratch: &w.scores)
    queryKeyValue.accumulateGradients(input: a.input, outputGradient: w.queryKeyValueGradient)
    queryKeyValue.inputGradient(of: w.queryKeyValueGradient, into: &gradient, accumulate: true)
  }
}
