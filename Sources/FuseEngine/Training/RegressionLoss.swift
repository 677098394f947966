/// The loss a model is trained on: cross-entropy for classification, mean squared or mean
/// absolute error for regression.
public enum LossFunction: String, Equatable, Sendable, Codable, CaseIterable {
  /// Softmax cross-entropy of the fused logits (PyTorch's `CrossEntropyLoss`).
  case crossEntropy = "cross_entropy"

  /// Mean over the batch of (prediction - target)^2 (PyTorch's `MSELoss`).
  case meanSquaredError = "mse"

  /// Mean over the batch of |prediction - target| (PyTorch's `L1Loss`).
  case meanAbsoluteError = "mae"

  /// The loss `train` uses when none is given.
  public static func standard(for task: LearningTask) -> LossFunction {
    task == .regression ? .meanSquaredError : .crossEntropy
  }

  /// The losses a task can be trained on.
  public static func choices(for task: LearningTask) -> [LossFunction] {
    task == .regression ? [.meanSquaredError, .meanAbsoluteError] : [.crossEntropy]
  }
}

/// The mean squared or absolute error of one column of `predictions` (one row per sample)
/// against `targets`, and its gradient with respect to the predictions, written into
/// `gradient`.
///
/// The gradients are PyTorch's: 2 (p - t) / n for the squared error; sign(p - t) / n for the
/// absolute error, which is 0 where the prediction equals the target. The loss is summed in
/// double precision; a non-finite prediction gives a non-finite loss.
@discardableResult
public func regressionLoss(
  _ loss: LossFunction, predictions: Matrix, targets: [Float], gradient: inout Matrix
) -> Float {
  precondition(loss != .crossEntropy, "regressionLoss takes mse or mae")
  precondition(predictions.columns == 1, "one regression output per row")
  let rows = predictions.rows
  precondition(targets.count == rows, "one target per row")
  gradient.reshape(rows: rows, columns: 1)
  guard rows > 0 else { return 0 }

  var total = 0.0
  let scale = 1 / Float(rows)
  predictions.values.withUnsafeBufferPointer { p in
    gradient.values.withUnsafeMutableBufferPointer { g in
      for row in 0..<rows {
        let difference = p[row] - targets[row]
        if loss == .meanSquaredError {
          total += Double(difference) * Double(difference)
          g[row] = 2 * difference * scale
        } else {
          total += abs(Double(difference))
          g[row] = difference > 0 ? scale : (difference < 0 ? -scale : 0)
        }
      }
    }
  }
  return Float(total / Double(rows))
}

/// The mean squared or absolute error alone, without a gradient.
public func regressionLoss(
  _ loss: LossFunction, predictions: Matrix, targets: [Float]
) -> Float {
  var scratch = Matrix(rows: 0, columns: 0)
  return regressionLoss(loss, predictions: predictions, targets: targets, gradient: &scratch)
}
