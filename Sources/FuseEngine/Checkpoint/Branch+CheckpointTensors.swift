/// How a branch's parameters, or values shaped like them (optimizer moments, saved weights),
/// are named in a checkpoint.
///
/// The MLP's tensors are named as `namedParameters` names them (`text.0.weight`); a
/// fine-tuned encoder's under `<modality>.encoder.` by their names in a PyTorch `BertModel`
/// state dict (`text.encoder.encoder.layer.0.attention.self.query.weight`), in PyTorch's
/// shapes and layout, so that the file loads into `BertModel` with the prefix stripped.
extension Branch {
  /// The prefix of the encoder's tensors.
  var encoderTensorPrefix: String { "\(modality.name).encoder." }

  /// The tensors of `values`, one per parameter of `parameters[range]`, each named
  /// `prefix + name + suffix`. A range of the encoder's parameters covers whole blocks, as
  /// its optimizer groups do.
  func checkpointTensors(
    _ values: [Matrix], range: Range<Int>, prefix: String = "", suffix: String = ""
  ) -> [String: SafeTensor] {
    precondition(values.count == range.count, "one value per parameter of the range")
    var tensors: [String: SafeTensor] = [:]
    let named = namedParameters
    for (offset, p) in range.enumerated() where p < named.count {
      let name = named[p].name
      tensors[prefix + name + suffix] = checkpointTensor(name, values[offset])
    }
    guard let textEncoder else { return tensors }
    for (b, blockRange) in encoderBlockRanges.enumerated() where range.covers(blockRange) {
      let offsets =
        (blockRange.lowerBound - range.lowerBound)..<(blockRange.upperBound - range.lowerBound)
      for (name, tensor) in textEncoder.stateTensors(block: b, values: Array(values[offsets])) {
        tensors[prefix + encoderTensorPrefix + name + suffix] = tensor
      }
    }
    return tensors
  }

  /// Values for the parameters of `parameters[range]` read back from the tensors that
  /// `checkpointTensors` names: `read(name, shape)` returns the tensor, which must have
  /// that shape.
  func checkpointValues(
    range: Range<Int>, prefix: String = "", suffix: String = "",
    read: (String, [Int]) throws -> [Float]
  ) throws -> [Matrix] {
    var values: [Matrix] = []
    let named = namedParameters
    for p in range where p < named.count {
      let (name, parameter) = named[p]
      let (rows, columns) = (parameter.value.rows, parameter.value.columns)
      let shape = checkpointShape(name, rows: rows, columns: columns)
      values.append(
        Matrix(rows: rows, columns: columns, values: try read(prefix + name + suffix, shape)))
    }
    guard let textEncoder else { return values }
    for (b, blockRange) in encoderBlockRanges.enumerated() where range.covers(blockRange) {
      values += try TextEncoder.blockValues(b, configuration: textEncoder.configuration) {
        name, shape in
        try read(prefix + encoderTensorPrefix + name + suffix, shape)
      }
    }
    return values
  }

  /// Where each encoder block's parameters are in `parameters`.
  var encoderBlockRanges: [Range<Int>] {
    guard let textEncoder else { return [] }
    var start = headParameters.count
    return textEncoder.blocks.map { block in
      defer { start += block.parameters.count }
      return start..<start + block.parameters.count
    }
  }
}

extension Range where Bound == Int {
  /// Whether `other` lies within this range (an empty one lies within any).
  func covers(_ other: Range<Int>) -> Bool {
    other.isEmpty || (other.lowerBound >= lowerBound && other.upperBound <= upperBound)
  }
}
