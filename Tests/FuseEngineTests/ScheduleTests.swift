import Foundation
import Testing

@testable import FuseEngine

/// Schedule factors by hand, at 0-based epoch e of a run of `span` epochs.
@Suite("Learning-rate schedules")
struct ScheduleTests {
  @Test func closedFormsByHand() {
    #expect(RateSchedule.constant.factor(at: 7, span: 10) == 1)
    // StepLR(step_size 3, gamma 0.5): epochs 0-2 -> 1, 3-5 -> 0.5, 6 -> 0.25.
    let step = RateSchedule.step(every: 3, gamma: 0.5)
    #expect([0, 2, 3, 5, 6].map { step.factor(at: $0, span: 10) } == [1, 1, 0.5, 0.5, 0.25])
    let exponential = RateSchedule.exponential(gamma: 0.5)
    #expect(abs(exponential.factor(at: 3, span: 10) - 0.125) < 1e-7)
    // Cosine over T = 4: e = 0 -> 1, e = 2 -> 0.5 (+ min), e = 4 -> min.
    let cosine = RateSchedule.cosine(epochs: nil, minFactor: 0.1)
    #expect(abs(cosine.factor(at: 0, span: 4) - 1) < 1e-12)
    #expect(abs(cosine.factor(at: 2, span: 4) - 0.55) < 1e-6)
    #expect(abs(cosine.factor(at: 1, span: 4) - (0.1 + 0.9 * (1 + 0.5.squareRoot()) / 2)) < 1e-6)
    #expect(abs(cosine.factor(at: 9, span: 4) - 0.1) < 1e-6)
  }

  // LinearLR(start 0.25, 3 epochs) then cosine over the remaining 4 epochs.
  @Test func warmupThenCosine() {
    let schedule = RateSchedule.warmup(
      epochs: 3, startFactor: 0.25, then: .cosine(epochs: nil, minFactor: 0))
    let factors = (0..<7).map { schedule.factor(at: $0, span: 7) }
    let expected = [
      0.25, 0.5, 0.75, 1, 0.5 * (1 + cos(Double.pi / 4)), 0.5, 0.5 * (1 + cos(3 * Double.pi / 4)),
    ]
    for (got, want) in zip(factors, expected) { #expect(abs(got - want) < 1e-6) }
  }

  // ReduceLROnPlateau(mode min, factor 0.5, patience 1, threshold 0): the rate halves after
  // the second epoch in a row without improvement, and never goes below the minimum.
  @Test func plateauHalvesAfterPatienceRunsOut() {
    var tracker = PlateauTracker(
      .plateau(monitor: Monitor("dev_loss"), factor: 0.5, patience: 1, threshold: 0, minRate: 0.02))!
    let losses = [1.0, 0.9, 0.95, 0.95, 0.97, 0.99, 0.99]
    var scales: [Double] = []
    for (index, loss) in losses.enumerated() {
      tracker.observe(loss, epoch: index + 1, rate: 0.1)
      scales.append(tracker.scale)
    }
    #expect(scales == [1, 1, 1, 0.5, 0.5, 0.25, 0.25].map { max($0, 0.2) })
  }

  @Test func autoCapLimitsEachChange() {
    var schedule = AutoRateSchedule(initialRates: [0.1], window: 1, every: 1, cap: 2)
    _ = schedule.rates(afterEpoch: 1, branchAccuracies: [0.1], current: [0.1])
    // Accuracy x8 would give rate 0.8; the cap allows at most 0.1 * 2.
    let rates = schedule.rates(afterEpoch: 2, branchAccuracies: [0.8], current: [0.1])
    #expect(rates == [0.2])
  }

  @Test func invalidSchedulesAreRejected() {
    #expect(throws: EngineError.self) {
      try RateSchedule.step(every: 0, gamma: 0.5).validate(group: "a")
    }
    #expect(throws: EngineError.self) {
      try RateSchedule.warmup(epochs: 2, startFactor: 0, then: .constant).validate(group: "a")
    }
  }
}
