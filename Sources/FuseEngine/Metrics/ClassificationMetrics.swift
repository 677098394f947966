/// Precision, recall, F1 and support of one class.
public struct ClassScore: Equatable, Sendable {
  public var precision: Double
  public var recall: Double
  public var f1: Double
  public var support: Int
}

/// Accuracy, F1 scores and the confusion matrix of a set of predictions.
///
/// Follows scikit-learn with `zero_division=0`: a precision, recall or F1 whose
/// denominator is zero counts as 0, and the macro and weighted averages run over the
/// classes that occur in the labels or the predictions (the sorted union sklearn uses
/// when `labels=None`), so a class absent from both does not pull the macro F1 down.
public struct ClassificationMetrics: Equatable, Sendable {
  public var accuracy: Double
  public var macroF1: Double
  public var weightedF1: Double

  /// Counts indexed [true class][predicted class].
  public var confusion: [[Int]]

  /// Scores of every class 0..<classCount (zeros for a class that never occurs).
  public var perClass: [ClassScore]

  public var count: Int { confusion.reduce(0) { $0 + $1.reduce(0, +) } }

  public init(labels: [Int], predictions: [Int], classCount: Int) {
    precondition(labels.count == predictions.count, "one prediction per label")
    var confusion = Array(repeating: Array(repeating: 0, count: classCount), count: classCount)
    for (label, prediction) in zip(labels, predictions) {
      precondition(label >= 0 && label < classCount && prediction >= 0 && prediction < classCount)
      confusion[label][prediction] += 1
    }
    self.confusion = confusion

    let correct = (0..<classCount).reduce(0) { $0 + confusion[$1][$1] }
    accuracy = labels.isEmpty ? 0 : Double(correct) / Double(labels.count)

    var perClass: [ClassScore] = []
    var present: [Int] = []
    for c in 0..<classCount {
      let truePositives = Double(confusion[c][c])
      let support = confusion[c].reduce(0, +)
      let predicted = (0..<classCount).reduce(0) { $0 + confusion[$1][c] }
      let precision = predicted == 0 ? 0 : truePositives / Double(predicted)
      let recall = support == 0 ? 0 : truePositives / Double(support)
      let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
      perClass.append(ClassScore(precision: precision, recall: recall, f1: f1, support: support))
      if support > 0 || predicted > 0 { present.append(c) }
    }
    self.perClass = perClass

    macroF1 =
      present.isEmpty
      ? 0 : present.reduce(0.0) { $0 + perClass[$1].f1 } / Double(present.count)
    let totalSupport = present.reduce(0) { $0 + perClass[$1].support }
    weightedF1 =
      totalSupport == 0
      ? 0
      : present.reduce(0.0) { $0 + perClass[$1].f1 * Double(perClass[$1].support) }
        / Double(totalSupport)
  }
}
