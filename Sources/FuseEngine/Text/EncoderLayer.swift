/// One BERT transformer layer: self-attention, output dense, residual and layer norm,
/// then the feed-forward block (dense, GELU, dense), residual and layer norm.
public final class EncoderLayer {
  /// Query, key and value projections fused into one dense layer (width -> 3 width).
  public let queryKeyValue: EncoderDense
  public let attention: SelfAttention
  public let attentionOutput: EncoderDense
  public let attentionNorm: LayerNorm
  public let intermediate: EncoderDense
  public let output: EncoderDense
  public let outputNorm: LayerNorm

  public init(
    queryKeyValue: EncoderDense, attention: SelfAttention, attentionOutput: EncoderDense,
    attentionNorm: LayerNorm, intermediate: EncoderDense, output: EncoderDense,
    outputNorm: LayerNorm
  ) {
    self.queryKeyValue = queryKeyValue
    self.attention = attention
    self.attentionOutput = attentionOutput
    self.attentionNorm = attentionNorm
    self.intermediate = intermediate
    self.output = output
    self.outputNorm = outputNorm
  }

  /// The layer's dense layers and layer norms, in the order of a PyTorch state dict.
  public var denseLayers: [EncoderDense] { [queryKeyValue, attentionOutput, intermediate, output] }
  public var norms: [LayerNorm] { [attentionNorm, outputNorm] }

  /// Every parameter, in the order of a PyTorch state dict.
  public var parameters: [Parameter] {
    [
      queryKeyValue.weight, queryKeyValue.bias, attentionOutput.weight, attentionOutput.bias,
      attentionNorm.gain, attentionNorm.bias, intermediate.weight, intermediate.bias,
      output.weight, output.bias, outputNorm.gain, outputNorm.bias,
    ]
  }

  /// What one layer's forward pass computed, kept for a backward pass. Its buffers are
  /// reused from batch to batch.
  public final class Activations {
    /// The layer's input.
    public var input = Matrix(rows: 0, columns: 0)
    public var queryKeyValue = Matrix(rows: 0, columns: 0)
    /// Attention probabilities, laid out as `SelfAttention.probabilityOffsets` says.
    public var probabilities: [Float] = []
    public var context = Matrix(rows: 0, columns: 0)
    /// input + attention output, before its layer norm.
    public var attentionSum = Matrix(rows: 0, columns: 0)
    public var attentionStatistics = LayerNorm.Statistics()
    /// The intermediate dense output before GELU.
    public var preActivation = Matrix(rows: 0, columns: 0)
    /// Phi(preActivation), the standard normal distribution function; GELU's output is
    /// preActivation * cumulative.
    public var cumulative = Matrix(rows: 0, columns: 0)
    /// normalised attention + feed-forward output, before the last layer norm.
    public var outputSum = Matrix(rows: 0, columns: 0)
    public var outputStatistics = LayerNorm.Statistics()
    public init() {}
  }

  /// Reusable buffers, so that a batch of the largest size seen does not allocate.
  public struct Workspace {
    var queryKeyValue = Matrix(rows: 0, columns: 0)
    var probabilities: [Float] = []
    var context = Matrix(rows: 0, columns: 0)
    var hidden = Matrix(rows: 0, columns: 0)
    var statistics = LayerNorm.Statistics()
    public init() {}
  }

  /// Transforms `x` (rows x width, packed sentences) in place.
  ///
  /// With `activations`, every intermediate a backward pass needs is kept there, the
  /// products writing straight into its buffers; without, only the workspace is used.
  public func forward(
    _ x: inout Matrix, sequences: [Range<Int>], workspace: inout Workspace,
    activations: Activations? = nil
  ) {
    guard let record = activations else {
      attend(
        &x, sequences: sequences, queryKeyValue: &workspace.queryKeyValue,
        probabilities: &workspace.probabilities, context: &workspace.context)
      attentionNorm.forward(&x, statistics: &workspace.statistics)
      intermediate.forward(x, into: &workspace.hidden)
      Activation.gelu.apply(to: &workspace.hidden.values)
      output.forward(workspace.hidden, into: &x, accumulate: true)
      outputNorm.forward(&x, statistics: &workspace.statistics)
      return
    }

    record.input.copy(from: x)
    attend(
      &x, sequences: sequences, queryKeyValue: &record.queryKeyValue,
      probabilities: &record.probabilities, context: &record.context)
    record.attentionSum.copy(from: x)
    attentionNorm.forward(&x, statistics: &record.attentionStatistics)

    intermediate.forward(x, into: &record.preActivation)
    RecordedGELU.forward(
      record.preActivation, cumulative: &record.cumulative, output: &workspace.hidden)
    output.forward(workspace.hidden, into: &x, accumulate: true)
    record.outputSum.copy(from: x)
    outputNorm.forward(&x, statistics: &record.outputStatistics)
  }

  /// x += attention output dense of the self-attention of x.
  private func attend(
    _ x: inout Matrix, sequences: [Range<Int>], queryKeyValue buffer: inout Matrix,
    probabilities: inout [Float], context: inout Matrix
  ) {
    queryKeyValue.forward(x, into: &buffer)
    attention.forward(
      queryKeyValue: buffer, sequences: sequences, context: &context,
      probabilities: &probabilities)
    attentionOutput.forward(context, into: &x, accumulate: true)
  }
}
