import Foundation
import Testing

@testable import FuseEngine

/// The mean squared and absolute errors' gradients through a branch and through the fused
/// model, against central finite differences of a double-precision reference (see
/// DoubleReference: nothing there calls the engine's arithmetic).
@Suite("Regression gradients")
struct RegressionGradientTests {
  typealias F = EngineFixtures

  /// The loss by its definition, in double precision.
  static func reference(_ loss: LossFunction, _ outputs: [Double], _ targets: [Float]) -> Double {
    let errors = zip(outputs, targets).map { $0 - Double($1) }
    let terms = loss == .meanSquaredError ? errors.map { $0 * $0 } : errors.map { abs($0) }
    return terms.reduce(0, +) / Double(terms.count)
  }

  @Test(arguments: [LossFunction.meanSquaredError, .meanAbsoluteError])
  func throughABranchWithDropout(_ loss: LossFunction) throws {
    let data = F.linearTargets()
    let model = try FusionModel(
      dataset: data, shape: BranchShape(hidden: [6, 5], activation: .tanh, dropout: 0.3), seed: 3)
    let branch = model.branches[0]
    #expect(branch.outputCount == 1)
    let split = data.splits["train"]!
    let input = branch.standardized(split.features[0].rows(Array(0..<8)))
    // Targets far from any output, so that |p - t| has no kink within a finite-difference step.
    let targets = (0..<8).map { Float($0 % 2 == 0 ? 5 : -5) + split.targets[$0] }
    var gradient = Matrix(rows: 0, columns: 0)
    var generator = SeededGenerator(seed: 21)
    branch.forward(input, training: true, generator: &generator)
    #expect(branch.logits.rows == 8 && branch.logits.columns == 1)
    let value = regressionLoss(
      loss, predictions: branch.logits, targets: targets, gradient: &gradient)
    branch.backward(input: input, logitsGradient: gradient)
    let analytic = branch.parameters.map { $0.gradient }

    let steps = DoubleReference.steps(of: branch)
    let x = DoubleReference.values(input)
    func referenceLoss(_ parameters: [[Double]]) -> Double {
      Self.reference(
        loss, DoubleReference.logits(steps: steps, parameters: parameters, input: x, rows: 8),
        targets)
    }
    let start = DoubleReference.parameters(of: branch)
    #expect(abs(Double(value) - referenceLoss(start)) < 1e-5 * max(1, abs(Double(value))))
    let numeric = DoubleReference.numericalGradient(of: start, loss: referenceLoss)
    #expect(branch.parameters.count == 6)
    for (p, parameter) in branch.parameters.enumerated() {
      #expect(F.worstError(analytic[p], numeric[p]) < 1e-4, "\(loss) \(parameter.name) \(p)")
    }
  }

  @Test(arguments: [LossFunction.meanSquaredError, .meanAbsoluteError])
  func throughTheFusedModelWithFusionWeights(_ loss: LossFunction) throws {
    let data = F.linearTargets()
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [5], dropout: 0), seed: 4)
    let weights = [0.5, 2.0]
    model.fusionWeights = weights.map { Float($0) }
    let split = data.splits["train"]!
    let rows = Array(0..<6)
    let inputs = model.branches.indices.map {
      model.branches[$0].standardized(split.features[$0].rows(rows))
    }
    let targets = rows.map { split.targets[$0] + ($0 % 2 == 0 ? 4 : -4) }
    var buffers = FusionBuffers()
    var generator = SeededGenerator(seed: 0)
    let value = model.lossAndGradients(
      inputs: inputs, labels: [], targets: targets, loss: loss, training: true,
      generator: &generator, buffers: &buffers)
    let analytic = model.branches.flatMap { $0.parameters.map { $0.gradient } }

    // The fused output is the weighted sum of the branches' own outputs.
    #expect(buffers.fusedLogits.rows == 6 && buffers.fusedLogits.columns == 1)
    for row in rows {
      let expected =
        0.5 * model.branches[0].logits.values[row] + 2 * model.branches[1].logits.values[row]
      #expect(abs(buffers.fusedLogits.values[row] - expected) < 1e-5)
    }

    let steps = model.branches.map { DoubleReference.steps(of: $0) }
    let x = inputs.map { DoubleReference.values($0) }
    let counts = model.branches.map { $0.parameters.count }
    func referenceLoss(_ parameters: [[Double]]) -> Double {
      var fused = [Double](repeating: 0, count: 6)
      var next = 0
      for m in 0..<2 {
        let own = Array(parameters[next..<(next + counts[m])])
        next += counts[m]
        let outputs = DoubleReference.logits(steps: steps[m], parameters: own, input: x[m], rows: 6)
        for index in fused.indices { fused[index] += parameters.last![m] * outputs[index] }
      }
      return Self.reference(loss, fused, targets)
    }
    let start = model.branches.flatMap { DoubleReference.parameters(of: $0) } + [weights]
    #expect(abs(Double(value) - referenceLoss(start)) < 1e-5 * max(1, abs(Double(value))))
    let numeric = DoubleReference.numericalGradient(of: start, loss: referenceLoss)
    #expect(analytic.count == numeric.count - 1)
    for (index, gradient) in analytic.enumerated() {
      #expect(F.worstError(gradient, numeric[index]) < 1e-4, "\(loss) parameter \(index)")
    }
    let weightGradient = buffers.fusionWeightGradient.map { Double($0) }
    #expect(F.worstError(weightGradient, numeric.last!) < 1e-4)
  }
}
