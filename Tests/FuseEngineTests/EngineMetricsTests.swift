import Testing

@testable import FuseEngine

@Suite("Classification metrics")
struct EngineMetricsTests {
  static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-12 }

  // labels      0 0 0 1 1 2, predictions 0 0 1 1 2 2, four classes (class 3 never occurs).
  // confusion [true][pred]: [[2,1,0,0],[0,1,1,0],[0,0,1,0],[0,0,0,0]]
  // class 0: P = 2/2 = 1,   R = 2/3, F1 = 2 * 1 * (2/3) / (1 + 2/3) = 0.8
  // class 1: P = 1/2,       R = 1/2, F1 = 0.5
  // class 2: P = 1/2,       R = 1/1, F1 = 2 * 0.5 * 1 / 1.5 = 2/3
  // macro over the classes present (0, 1, 2): (0.8 + 0.5 + 2/3) / 3
  // weighted by support 3, 2, 1: (0.8 * 3 + 0.5 * 2 + 2/3 * 1) / 6
  @Test func threeClassesPresentOfFour() {
    let metrics = ClassificationMetrics(
      labels: [0, 0, 0, 1, 1, 2], predictions: [0, 0, 1, 1, 2, 2], classCount: 4)
    #expect(metrics.confusion == [[2, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 0], [0, 0, 0, 0]])
    #expect(Self.close(metrics.accuracy, 4.0 / 6))
    #expect(
      Self.close(metrics.perClass[0].precision, 1)
        && Self.close(metrics.perClass[0].recall, 2.0 / 3))
    #expect(Self.close(metrics.perClass[0].f1, 0.8))
    #expect(Self.close(metrics.perClass[1].f1, 0.5))
    #expect(Self.close(metrics.perClass[2].f1, 2.0 / 3))
    #expect(metrics.perClass[3] == ClassScore(precision: 0, recall: 0, f1: 0, support: 0))
    let f1: [Double] = [0.8, 0.5, 2.0 / 3]
    let macro: Double = (f1[0] + f1[1] + f1[2]) / 3
    let weighted: Double = (f1[0] * 3 + f1[1] * 2 + f1[2] * 1) / 6
    #expect(Self.close(metrics.macroF1, macro))
    #expect(Self.close(metrics.weightedF1, weighted))
    #expect(metrics.perClass.map { $0.support } == [3, 2, 1, 0])
  }

  // labels 0 0 1 1, predictions 0 2 1 1: class 2 is only predicted, never true.
  // class 0: P = 1/1, R = 1/2, F1 = 2/3;  class 1: P = 2/2, R = 2/2, F1 = 1
  // class 2: P = 0/1 = 0, R = 0 (no support, zero_division 0), F1 = 0, but it counts in
  // the macro average because it occurs among the predictions: (2/3 + 1 + 0) / 3 = 5/9.
  // weighted: (2/3 * 2 + 1 * 2 + 0 * 0) / 4 = 5/6.
  @Test func aClassOnlyPredictedCountsInTheMacroAverage() {
    let metrics = ClassificationMetrics(
      labels: [0, 0, 1, 1], predictions: [0, 2, 1, 1], classCount: 3)
    #expect(Self.close(metrics.accuracy, 0.75))
    #expect(Self.close(metrics.macroF1, 5.0 / 9))
    #expect(Self.close(metrics.weightedF1, 5.0 / 6))
    #expect(metrics.perClass[2].precision == 0 && metrics.perClass[2].support == 0)
  }

  // labels 0 0 0 1 3 3, predictions 0 1 1 1 0 0, five classes: class 3 is never predicted,
  // classes 2 and 4 occur nowhere (2 sits between present classes, so "present" is not a
  // prefix of the class list).
  // confusion [true][pred]: row 0 [1,2,0,0,0], row 1 [0,1,0,0,0], row 3 [2,0,0,0,0]
  // class 0: predicted 3 times, 1 right: P = 1/3, R = 1/3 (support 3), F1 = 1/3
  // class 1: predicted 3 times, 1 right: P = 1/3, R = 1/1, F1 = 2 (1/3) / (4/3) = 1/2
  // class 3: never predicted: P = 0 (zero_division 0), R = 0/2, F1 = 0, support 2
  // accuracy 2/6; macro over classes 0, 1, 3: (1/3 + 1/2 + 0) / 3 = 5/18;
  // weighted by support 3, 1, 2: (1/3 * 3 + 1/2 * 1 + 0 * 2) / 6 = 1/4.
  @Test func aClassNeverPredictedCountsWithF1Zero() {
    let metrics = ClassificationMetrics(
      labels: [0, 0, 0, 1, 3, 3], predictions: [0, 1, 1, 1, 0, 0], classCount: 5)
    #expect(
      metrics.confusion == [
        [1, 2, 0, 0, 0], [0, 1, 0, 0, 0], [0, 0, 0, 0, 0], [2, 0, 0, 0, 0], [0, 0, 0, 0, 0],
      ])
    #expect(Self.close(metrics.accuracy, 2.0 / 6))
    #expect(Self.close(metrics.perClass[0].f1, 1.0 / 3))
    #expect(Self.close(metrics.perClass[1].precision, 1.0 / 3))
    #expect(Self.close(metrics.perClass[1].recall, 1))
    #expect(Self.close(metrics.perClass[1].f1, 0.5))
    #expect(metrics.perClass[3] == ClassScore(precision: 0, recall: 0, f1: 0, support: 2))
    #expect(Self.close(metrics.macroF1, 5.0 / 18))
    #expect(Self.close(metrics.weightedF1, 0.25))
  }

  @Test func perfectAndEmpty() {
    let perfect = ClassificationMetrics(labels: [1, 0, 1], predictions: [1, 0, 1], classCount: 5)
    #expect(perfect.accuracy == 1 && perfect.macroF1 == 1 && perfect.weightedF1 == 1)
    let empty = ClassificationMetrics(labels: [], predictions: [], classCount: 2)
    #expect(empty.accuracy == 0 && empty.macroF1 == 0 && empty.count == 0)
  }
}
