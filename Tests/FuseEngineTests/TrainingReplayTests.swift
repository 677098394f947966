import Foundation
import Testing

@testable import FuseEngine

/// One epoch of `train` against a replay written here in double precision: the same
/// batches, the closed-form gradient of a sum of linear branches, PyTorch's SGD with
/// momentum and weight decay, one rate per modality.
@Suite("Training against a double-precision replay")
struct TrainingReplayTests {
  typealias F = EngineFixtures

  /// Features z-scored with the train split's mean and population standard deviation.
  static func standardized(_ features: Matrix, train: Matrix) -> [Double] {
    let (rows, columns) = (train.rows, train.columns)
    var result = DoubleReference.values(features)
    for column in 0..<columns {
      let values = (0..<rows).map { Double(train[$0, column]) }
      let mean = values.reduce(0, +) / Double(rows)
      let spread = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(rows))
        .squareRoot()
      for row in 0..<features.rows {
        result[row * columns + column] = (result[row * columns + column] - mean) / spread
      }
    }
    return result
  }

  static func norm(_ arrays: [[Double]]) -> Double {
    arrays.joined().reduce(0) { $0 + $1 * $1 }.squareRoot()
  }

  static func relativeError(_ got: Double, _ want: Double) -> Double {
    abs(got - want) / max(abs(want), 1e-12)
  }

  // 12 train samples in batches of 8 and 4: the second step uses the momentum buffer, and
  // the uneven last batch checks that each batch's loss is its own mean.
  @Test func twoGroupsAtTheirOwnRatesOverTwoMiniBatches() throws {
    let data = F.blobs(perClass: (4, 2, 2))
    let widths = [4, 3]
    let classes = 3
    let model = try FusionModel(dataset: data, shape: BranchShape(hidden: [], dropout: 0), seed: 9)
    model.bestRates = [0.1, 0.01]
    model.strategy = .keep
    let (rates, momentum, decay) = ([0.1, 0.01], 0.9, 0.01)
    let options = TrainingOptions(
      epochs: 1, batchSize: 8, momentum: 0.9, weightDecay: 0.01, seed: 4)

    let start = model.branches.map { DoubleReference.parameters(of: $0) }
    var batchLosses: [Double] = []
    let history = try train(
      model, on: data, options: options,
      progress: { event in
        if case .batch(_, _, let of, let loss) = event {
          #expect(of == 2)
          batchLosses.append(Double(loss))
        }
        return true
      })

    // The replay. The batches are those of the run's seeded shuffle of 0..<12.
    let train = data.splits["train"]!
    let features = (0..<2).map { Self.standardized(train.features[$0], train: train.features[$0]) }
    var order = Array(0..<12)
    var shuffler = SeededGenerator(seed: 4)
    shuffler.shuffle(&order)
    var weights = start
    var velocity = start.map { $0.map { $0.map { _ in 0.0 } } }
    var expectedLosses: [Double] = []
    var normSums = [0.0, 0.0]
    for (step, batch) in [Array(order[0..<8]), Array(order[8..<12])].enumerated() {
      let labels = batch.map { train.labels[$0] }
      let inputs = (0..<2).map { m in
        batch.flatMap { row in features[m][(row * widths[m])..<((row + 1) * widths[m])] }
      }
      var fused = [Double](repeating: 0, count: batch.count * classes)
      for m in 0..<2 {
        let logits = DoubleReference.logits(
          steps: [.linear(inputs: widths[m], outputs: classes)], parameters: weights[m],
          input: inputs[m], rows: batch.count)
        for index in fused.indices { fused[index] += logits[index] }
      }
      expectedLosses.append(
        DoubleReference.crossEntropy(logits: fused, classes: classes, labels: labels))
      let g = DoubleReference.crossEntropyGradient(logits: fused, classes: classes, labels: labels)

      for m in 0..<2 {
        // dW = g^T x (classes x width), db = column sums of g.
        var weightGradient = [Double](repeating: 0, count: classes * widths[m])
        var biasGradient = [Double](repeating: 0, count: classes)
        for row in 0..<batch.count {
          for o in 0..<classes {
            biasGradient[o] += g[row * classes + o]
            for i in 0..<widths[m] {
              weightGradient[o * widths[m] + i] +=
                g[row * classes + o] * inputs[m][row * widths[m] + i]
            }
          }
        }
        normSums[m] += Self.norm([weightGradient, biasGradient])
        // torch.optim.SGD: d = grad + decay * w; v = d, then momentum * v + d; w -= rate * v.
        for (p, gradient) in [weightGradient, biasGradient].enumerated() {
          for i in gradient.indices {
            let d = gradient[i] + decay * weights[m][p][i]
            velocity[m][p][i] = step == 0 ? d : momentum * velocity[m][p][i] + d
            weights[m][p][i] -= rates[m] * velocity[m][p][i]
          }
        }
      }
    }

    // The weights each group reached, at its own rate.
    for m in 0..<2 {
      for (p, parameter) in model.branches[m].parameters.enumerated() {
        #expect(F.worstError(parameter.value, weights[m][p]) < 1e-4, "branch \(m) parameter \(p)")
      }
    }
    #expect(batchLosses.count == 2)
    for (got, want) in zip(batchLosses, expectedLosses) {
      #expect(Self.relativeError(got, want) < 1e-5)
    }

    // The epoch's statistics: loss weighted by batch size, gradient norms averaged over the
    // batches, update ratio ||W_end - W_start|| / ||W_start||.
    let stats = history.epochs[0]
    let meanLoss = (expectedLosses[0] * 8 + expectedLosses[1] * 4) / 12
    #expect(Self.relativeError(stats.trainLoss, meanLoss) < 1e-5)
    for m in 0..<2 {
      let branch = stats.branches[m]
      #expect(branch.learningRate == Float(rates[m]))
      #expect(Self.relativeError(branch.gradientNorm, normSums[m] / 2) < 1e-5, "branch \(m)")
      let change = zip(weights[m], start[m]).map { zip($0, $1).map { $0 - $1 } }
      let ratio = Self.norm(change) / Self.norm(start[m])
      #expect(Self.relativeError(branch.updateRatio, ratio) < 1e-4, "branch \(m)")
    }

    // Dev accuracy after the epoch, fused and per branch, from the replayed weights.
    let dev = data.splits["dev"]!
    var fused = [Double](repeating: 0, count: dev.count * classes)
    for m in 0..<2 {
      let logits = DoubleReference.logits(
        steps: [.linear(inputs: widths[m], outputs: classes)], parameters: weights[m],
        input: Self.standardized(dev.features[m], train: train.features[m]), rows: dev.count)
      for index in fused.indices { fused[index] += logits[index] }
      let own = accuracy(logits, labels: dev.labels, classes: classes)
      #expect(stats.branches[m].devAccuracy == own, "branch \(m)")
    }
    #expect(stats.devAccuracy == accuracy(fused, labels: dev.labels, classes: classes))
  }
}

/// The share of rows whose largest logit (the first on ties) is the label.
func accuracy(_ logits: [Double], labels: [Int], classes: Int) -> Double {
  let correct = labels.indices.filter { row in
    let z = Array(logits[(row * classes)..<((row + 1) * classes)])
    return z.firstIndex(of: z.max()!)! == labels[row]
  }.count
  return Double(correct) / Double(labels.count)
}
