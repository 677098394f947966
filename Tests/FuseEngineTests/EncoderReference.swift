import Foundation

@testable import FuseEngine

/// BERT sentence embeddings written out in double precision from a PyTorch state dict,
/// one sequence at a time, for finite differences that float32 rounding does not blur.
///
/// Nothing here calls the encoder: it reads the state-dict tensors in PyTorch's layout
/// (dense weights outputs x inputs, query, key and value apart), so a check against it
/// also checks how the encoder's parameters map onto those tensors.
enum EncoderReference {
  /// One row per sequence: the mean of its last hidden states, with `normalize` divided by
  /// max(length, 1e-12).
  static func sentenceEmbeddings(
    _ state: [String: [Double]], configuration c: EncoderConfiguration, tokens: [[Int]],
    tokenTypes: [[Int]]?, normalize: Bool
  ) -> [[Double]] {
    let width = c.hiddenSize
    return tokens.indices.map { index in
      let sequence = tokens[index]
      let length = sequence.count
      var x = [Double](repeating: 0, count: length * width)
      let words = state["embeddings.word_embeddings.weight"]!
      let positions = state["embeddings.position_embeddings.weight"]!
      let types = state["embeddings.token_type_embeddings.weight"]!
      for (position, token) in sequence.enumerated() {
        let type = tokenTypes?[index][position] ?? 0
        for j in 0..<width {
          x[position * width + j] =
            words[token * width + j] + positions[position * width + j] + types[type * width + j]
        }
      }
      x = norm(x, state, "embeddings.LayerNorm", width: width, epsilon: c.layerNormEpsilon)
      for layer in 0..<c.layerCount {
        x = transformerLayer(x, state, "encoder.layer.\(layer).", length: length, c)
      }

      var mean = (0..<width).map { j in
        (0..<length).reduce(0.0) { $0 + x[$1 * width + j] } / Double(length)
      }
      if normalize {
        let size = max(mean.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        mean = mean.map { $0 / size }
      }
      return mean
    }
  }

  private static func transformerLayer(
    _ x: [Double], _ state: [String: [Double]], _ path: String, length: Int,
    _ c: EncoderConfiguration
  ) -> [Double] {
    let (width, heads, size) = (c.hiddenSize, c.headCount, c.headSize)
    func dense(_ input: [Double], _ name: String, _ inputs: Int, _ outputs: Int) -> [Double] {
      linear(input, state[name + ".weight"]!, state[name + ".bias"]!, inputs, outputs)
    }
    let attention = path + "attention."
    let q = dense(x, attention + "self.query", width, width)
    let k = dense(x, attention + "self.key", width, width)
    let v = dense(x, attention + "self.value", width, width)
    var context = [Double](repeating: 0, count: length * width)
    for head in 0..<heads {
      let offset = head * size
      for i in 0..<length {
        var scores = (0..<length).map { j in
          (0..<size).reduce(0.0) { $0 + q[i * width + offset + $1] * k[j * width + offset + $1] }
            / Double(size).squareRoot()
        }
        let largest = scores.max()!
        scores = scores.map { exp($0 - largest) }
        let total = scores.reduce(0, +)
        for d in 0..<size {
          context[i * width + offset + d] =
            (0..<length).reduce(0.0) { $0 + scores[$1] * v[$1 * width + offset + d] } / total
        }
      }
    }

    let attended = zip(x, dense(context, attention + "output.dense", width, width)).map(+)
    let h = norm(
      attended, state, attention + "output.LayerNorm", width: width, epsilon: c.layerNormEpsilon)
    let inner = dense(h, path + "intermediate.dense", width, c.intermediateSize).map {
      DoubleReference.apply(.gelu, $0)
    }
    let summed = zip(h, dense(inner, path + "output.dense", c.intermediateSize, width)).map(+)
    return norm(summed, state, path + "output.LayerNorm", width: width, epsilon: c.layerNormEpsilon)
  }

  /// y = x W^T + b, with W stored outputs x inputs.
  static func linear(
    _ x: [Double], _ weight: [Double], _ bias: [Double], _ inputs: Int, _ outputs: Int
  ) -> [Double] {
    let rows = x.count / inputs
    var y = [Double](repeating: 0, count: rows * outputs)
    for row in 0..<rows {
      for output in 0..<outputs {
        var sum = bias[output]
        for i in 0..<inputs { sum += x[row * inputs + i] * weight[output * inputs + i] }
        y[row * outputs + output] = sum
      }
    }
    return y
  }

  /// Layer normalisation of each row with the population variance.
  static func norm(
    _ x: [Double], _ state: [String: [Double]], _ name: String, width: Int, epsilon: Float
  ) -> [Double] {
    let (gain, bias) = (state[name + ".weight"]!, state[name + ".bias"]!)
    var y = x
    for row in 0..<(x.count / width) {
      let line = x[(row * width)..<((row + 1) * width)]
      let mean = line.reduce(0, +) / Double(width)
      let variance = line.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(width)
      let inverse = 1 / (variance + Double(epsilon)).squareRoot()
      for j in 0..<width {
        y[row * width + j] = (x[row * width + j] - mean) * inverse * gain[j] + bias[j]
      }
    }
    return y
  }
}
