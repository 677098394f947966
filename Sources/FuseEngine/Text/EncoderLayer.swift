/// One BERT transformer layer: self-attention, output dense, residual and layer norm,
/// then the feed-forward block (dense, GELU, dense), residual and layer norm.
public struct EncoderLayer: Sendable {
  /// Query, key and value projections fused into one dense layer (width -> 3 width).
  public var queryKeyValue: EncoderDense
  public var attention: SelfAttention
  public var attentionOutput: EncoderDense
  public var attentionNorm: LayerNorm
  public var intermediate: EncoderDense
  public var output: EncoderDense
  public var outputNorm: LayerNorm

  /// What one layer's forward pass computed, kept for a backward pass.
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
    public var activated = Matrix(rows: 0, columns: 0)
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
    public init() {}
  }

  /// Transforms `x` (rows x width, packed sentences) in place.
  ///
  /// With `activations`, every intermediate a backward pass needs is copied into it;
  /// without, only the workspace is used.
  public func forward(
    _ x: inout Matrix, sequences: [Range<Int>], workspace: inout Workspace,
    activations: Activations? = nil
  ) {
    activations?.input = x
    queryKeyValue.forward(x, into: &workspace.queryKeyValue)
    attention.forward(
      queryKeyValue: workspace.queryKeyValue, sequences: sequences,
      context: &workspace.context, probabilities: &workspace.probabilities)

    attentionOutput.forward(workspace.context, into: &x, accumulate: true)
    if let activations {
      activations.queryKeyValue = workspace.queryKeyValue
      activations.probabilities = workspace.probabilities
      activations.context = workspace.context
      activations.attentionSum = x
    }
    let attentionStatistics = attentionNorm.forward(&x)
    activations?.attentionStatistics = attentionStatistics

    intermediate.forward(x, into: &workspace.hidden)
    activations?.preActivation = workspace.hidden
    Activation.gelu.apply(to: &workspace.hidden.values)
    activations?.activated = workspace.hidden

    output.forward(workspace.hidden, into: &x, accumulate: true)
    activations?.outputSum = x
    let outputStatistics = outputNorm.forward(&x)
    activations?.outputStatistics = outputStatistics
  }
}
