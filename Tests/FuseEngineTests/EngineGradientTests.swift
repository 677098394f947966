import Foundation
import Testing

@testable import FuseEngine

/// Hand-written backward passes against central finite differences and closed forms.
///
/// Single layers are checked in float32 (their outputs are linear in what is perturbed,
/// so a step of 1e-2 leaves only rounding) and against their closed forms in double.
/// Activations are checked against central differences of their definitions in double.
/// Whole branches and the fused model go through activations and the softmax, so they
/// are checked against finite differences of a double-precision reference instead.
@Suite("Gradients")
struct EngineGradientTests {
  typealias F = EngineFixtures

  @Test func linear() {
    var generator = SeededGenerator(seed: 1)
    let layer = Linear(inputs: 4, outputs: 3, generator: &generator)
    let input = Parameter(name: "x", value: F.randomMatrix(rows: 5, columns: 4, seed: 2))
    let c = F.randomMatrix(rows: 5, columns: 3, seed: 3)
    func objective() -> Double {
      layer.forward(input.value, training: true, generator: &generator)
      return F.weightedSum(layer.output, c)
    }
    _ = objective()
    layer.backward(input: input.value, outputGradient: c, needsInputGradient: true)
    let weightGradient = layer.weight.gradient
    let biasGradient = layer.bias.gradient
    let inputGradient = layer.inputGradient

    #expect(
      F.worstError(weightGradient, F.numericalGradient(of: layer.weight, objective: objective))
        < 1e-3)
    #expect(
      F.worstError(biasGradient, F.numericalGradient(of: layer.bias, objective: objective)) < 1e-3)
    #expect(
      F.worstError(inputGradient, F.numericalGradient(of: input, objective: objective)) < 1e-3)

    // The closed forms in double: dW = c^T x, db = column sums of c, dx = c W.
    let (x, w) = (input.value, layer.weight.value)
    var weightExpected: [Double] = []
    for o in 0..<3 {
      for i in 0..<4 {
        weightExpected.append((0..<5).reduce(0.0) { $0 + Double(c[$1, o]) * Double(x[$1, i]) })
      }
    }
    let biasExpected = (0..<3).map { o in (0..<5).reduce(0.0) { $0 + Double(c[$1, o]) } }
    var inputExpected: [Double] = []
    for r in 0..<5 {
      for i in 0..<4 {
        inputExpected.append((0..<3).reduce(0.0) { $0 + Double(c[r, $1]) * Double(w[$1, i]) })
      }
    }
    #expect(F.worstError(weightGradient, weightExpected) < 1e-5)
    #expect(F.worstError(biasGradient, biasExpected) < 1e-5)
    #expect(F.worstError(inputGradient, inputExpected) < 1e-5)
  }

  @Test(arguments: Activation.allCases)
  func activation(_ activation: Activation) {
    var generator = SeededGenerator(seed: 1)
    let layer = ActivationLayer(activation)
    // Entries kept at least 0.1 away from 0, where the ReLUs' derivatives jump.
    var x = F.randomMatrix(rows: 4, columns: 5, seed: 4, scale: 2)
    x.values = x.values.map { $0 >= 0 ? $0 + 0.1 : $0 - 0.1 }
    let c = F.randomMatrix(rows: 4, columns: 5, seed: 5)
    layer.forward(x, training: true, generator: &generator)
    layer.backward(input: x, outputGradient: c, needsInputGradient: true)

    // The forward pass against the definition in double precision. For negative x, GELU's
    // 1 + erf(x / sqrt 2) cancels in float32 (PyTorch's float GELU does the same).
    let expected = x.values.map { DoubleReference.apply(activation, Double($0)) }
    #expect(F.worstError(layer.output, expected) < 1e-4)

    // dx against central differences of the double-precision definition of sum c * f(x).
    let step = 1e-6
    let numeric = zip(x.values, c.values).map { value, weight in
      let (plus, minus) = (Double(value) + step, Double(value) - step)
      let difference =
        DoubleReference.apply(activation, plus) - DoubleReference.apply(activation, minus)
      return Double(weight) * difference / (2 * step)
    }
    #expect(F.worstError(layer.inputGradient, numeric) < 1e-4)
    #expect(layer.inputGradient.values.allSatisfy { $0.isFinite })
  }

  @Test func reluPassesTheGradientOnlyWherePositive() {
    var generator = SeededGenerator(seed: 1)
    let layer = ActivationLayer(.relu)
    let x = Matrix(rows: 1, columns: 4, values: [-1, 0, 0.5, 2])
    let c = Matrix(rows: 1, columns: 4, values: [1, 2, 3, 4])
    layer.forward(x, training: true, generator: &generator)
    layer.backward(input: x, outputGradient: c, needsInputGradient: true)
    #expect(layer.output.values == [0, 0, 0.5, 2])
    // At exactly 0 the gradient is 0, as in PyTorch; leaky ReLU's is its slope there.
    #expect(layer.inputGradient.values == [0, 0, 3, 4])
    let leaky = ActivationLayer(.leakyReLU)
    leaky.forward(x, training: true, generator: &generator)
    leaky.backward(input: x, outputGradient: c, needsInputGradient: true)
    #expect(leaky.output.values == [-0.01, 0, 0.5, 2])
    #expect(leaky.inputGradient.values == [0.01, 0.02, 3, 4])
  }

  // Saturated inputs give 0 or 1 and a zero gradient, never inf / inf or nan.
  @Test(arguments: [Activation.sigmoid, .tanh, .gelu])
  func saturatedInputsStayFinite(_ activation: Activation) {
    var generator = SeededGenerator(seed: 1)
    let layer = ActivationLayer(activation)
    let x = Matrix(rows: 1, columns: 4, values: [-1000, -100, 100, 1000])
    layer.forward(x, training: true, generator: &generator)
    layer.backward(
      input: x, outputGradient: Matrix(rows: 1, columns: 4, repeating: 1),
      needsInputGradient: true)
    #expect(layer.output.values.allSatisfy { $0.isFinite })
    #expect(layer.inputGradient.values.allSatisfy { (0...1).contains($0) })
    #expect(layer.inputGradient.values[0] == 0)
  }

  @Test func dropoutWithAFixedMask() {
    let layer = Dropout(rate: 0.5)
    let input = Parameter(name: "x", value: F.randomMatrix(rows: 3, columns: 4, seed: 6))
    let mask = Matrix(rows: 3, columns: 4, values: [2, 0, 2, 2, 0, 0, 2, 0, 2, 2, 0, 2])
    let c = F.randomMatrix(rows: 3, columns: 4, seed: 7)
    func objective() -> Double {
      layer.forward(input.value, mask: mask)
      return F.weightedSum(layer.output, c)
    }
    _ = objective()
    #expect(layer.output[0, 0] == 2 * input.value[0, 0] && layer.output[0, 1] == 0)
    layer.backward(input: input.value, outputGradient: c, needsInputGradient: true)
    #expect(
      F.worstError(layer.inputGradient, F.numericalGradient(of: input, objective: objective)) < 1e-3
    )
    // By definition: the output gradient times the mask, entry by entry.
    #expect(layer.inputGradient.values == zip(c.values, mask.values).map { $0 * $1 })

    // At evaluation dropout is the identity and passes gradients unchanged.
    var generator = SeededGenerator(seed: 0)
    layer.forward(input.value, training: false, generator: &generator)
    #expect(layer.output == input.value)
  }

  @Test func dropoutDrawsTheExpectedShareAndScale() {
    let layer = Dropout(rate: 0.25)
    var generator = SeededGenerator(seed: 9)
    layer.forward(
      Matrix(rows: 100, columns: 100, repeating: 1), training: true, generator: &generator)
    let kept = layer.output.values.filter { $0 != 0 }
    #expect(kept.allSatisfy { abs($0 - 1 / 0.75) < 1e-6 })
    #expect(abs(Double(kept.count) / 10_000 - 0.75) < 0.02)
  }

  @Test func softmaxCrossEntropy() {
    let logits = Parameter(name: "z", value: F.randomMatrix(rows: 4, columns: 3, seed: 8, scale: 2))
    let labels = [0, 2, 1, 2]
    var gradient = Matrix(rows: 0, columns: 0)
    let loss = FuseEngine.softmaxCrossEntropy(
      logits: logits.value, labels: labels, gradient: &gradient)
    let numeric = F.numericalGradient(of: logits, step: 1e-2) {
      Double(FuseEngine.softmaxCrossEntropy(logits: logits.value, labels: labels))
    }
    #expect(F.worstError(gradient, numeric) < 2e-2)
    // The closed form in double: (softmax(z) - onehot(label)) / n.
    let closedForm = DoubleReference.crossEntropyGradient(
      logits: DoubleReference.values(logits.value), classes: 3, labels: labels)
    #expect(F.worstError(gradient, closedForm) < 1e-5)

    // The loss by its definition, in double precision.
    var expected = 0.0
    for row in 0..<4 {
      let z = (0..<3).map { Double(logits.value[row, $0]) }
      expected += -z[labels[row]] + log(z.map { exp($0) }.reduce(0, +))
    }
    #expect(abs(Double(loss) - expected / 4) < 1e-5)
  }

  @Test func softmaxCrossEntropyIsStableForLargeLogits() {
    let logits = Matrix(rows: 1, columns: 3, values: [1000, 0, -1000])
    var gradient = Matrix(rows: 0, columns: 0)
    let loss = FuseEngine.softmaxCrossEntropy(logits: logits, labels: [1], gradient: &gradient)
    #expect(abs(loss - 1000) < 1e-3)
    #expect(abs(gradient[0, 0] - 1) < 1e-6 && abs(gradient[0, 1] + 1) < 1e-6)
  }

  @Test(arguments: Activation.allCases)
  func wholeBranchWithDropout(_ activation: Activation) throws {
    let data = F.blobs()
    let model = try FusionModel(
      dataset: data, shape: BranchShape(hidden: [6, 5], activation: activation, dropout: 0.3),
      seed: 3)
    let branch = model.branches[1]
    let split = data.splits["train"]!
    let input = branch.standardized(split.features[1].rows(Array(0..<8)))
    let labels = Array(split.labels[0..<8])
    var gradient = Matrix(rows: 0, columns: 0)
    var generator = SeededGenerator(seed: 21)
    branch.forward(input, training: true, generator: &generator)
    FuseEngine.softmaxCrossEntropy(logits: branch.logits, labels: labels, gradient: &gradient)
    branch.backward(input: input, logitsGradient: gradient)
    let analytic = branch.parameters.map { $0.gradient }

    // The reference reuses the masks this pass drew; some entries must have been dropped.
    let steps = DoubleReference.steps(of: branch)
    let masks = branch.layers.compactMap { ($0 as? Dropout)?.mask.values }
    #expect(masks.count == 2 && masks.allSatisfy { $0.contains(0) && $0.contains { $0 != 0 } })
    let x = DoubleReference.values(input)
    let numeric = DoubleReference.numericalGradient(of: DoubleReference.parameters(of: branch)) {
      DoubleReference.crossEntropy(
        logits: DoubleReference.logits(steps: steps, parameters: $0, input: x, rows: 8),
        classes: 3, labels: labels)
    }

    #expect(branch.parameters.count == 6)
    for (p, parameter) in branch.parameters.enumerated() {
      #expect(F.worstError(analytic[p], numeric[p]) < 1e-4, "\(parameter.name) \(p)")
    }
  }

  @Test func fusionWithWeights() throws {
    let data = F.blobs()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [5], dropout: 0), seed: 4)
    let weights = [0.5, 2.0]
    model.fusionWeights = weights.map { Float($0) }
    let split = data.splits["train"]!
    let rows = Array(0..<6)
    let inputs = model.branches.indices.map {
      model.branches[$0].standardized(split.features[$0].rows(rows))
    }
    let labels = rows.map { split.labels[$0] }
    var buffers = FusionBuffers()
    var generator = SeededGenerator(seed: 0)
    let loss = model.lossAndGradients(
      inputs: inputs, labels: labels, training: true, generator: &generator, buffers: &buffers)
    let analytic = model.branches.map { $0.parameters.map { $0.gradient } }

    // The fused logits are the weighted sum of the branches' own logits.
    let expectedLogits = (0..<buffers.fusedLogits.values.count).map { index in
      0.5 * model.branches[0].logits.values[index] + 2 * model.branches[1].logits.values[index]
    }
    #expect(buffers.fusedLogits.values.count == 6 * 3)
    #expect(zip(buffers.fusedLogits.values, expectedLogits).allSatisfy { abs($0 - $1) < 1e-5 })

    // The reference loss of all parameters; the last "parameter" is the fusion weights.
    let steps = model.branches.map { DoubleReference.steps(of: $0) }
    let x = inputs.map { DoubleReference.values($0) }
    let counts = model.branches.map { $0.parameters.count }
    func referenceLoss(_ parameters: [[Double]]) -> Double {
      var fused = [Double](repeating: 0, count: 6 * 3)
      var next = 0
      for m in 0..<2 {
        let own = Array(parameters[next..<(next + counts[m])])
        next += counts[m]
        let logits = DoubleReference.logits(steps: steps[m], parameters: own, input: x[m], rows: 6)
        for index in fused.indices { fused[index] += parameters.last![m] * logits[index] }
      }
      return DoubleReference.crossEntropy(logits: fused, classes: 3, labels: labels)
    }
    let start = model.branches.flatMap { DoubleReference.parameters(of: $0) } + [weights]
    #expect(abs(Double(loss) - referenceLoss(start)) < 1e-5)
    let numeric = DoubleReference.numericalGradient(of: start, loss: referenceLoss)

    let flat = analytic.flatMap { $0 }
    #expect(flat.count == numeric.count - 1)
    for (index, gradient) in flat.enumerated() {
      #expect(F.worstError(gradient, numeric[index]) < 1e-4, "parameter \(index)")
    }
    let weightGradient = buffers.fusionWeightGradient.map { Double($0) }
    #expect(F.worstError(weightGradient, numeric.last!) < 1e-4)
  }
}
