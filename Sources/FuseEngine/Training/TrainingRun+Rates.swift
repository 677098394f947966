extension TrainingRun {
  /// Puts the rates of a 1-based epoch in force: base rate times schedule factor times the
  /// plateau rule's reductions so far.
  func setRates(forEpoch epoch: Int) {
    for g in optimizer.groups.indices {
      optimizer.groups[g].learningRate = scheduledRate(group: g, epoch: epoch)
    }
  }

  // FIXME: a schedule such as step(1, gamma: 1e10) can take a valid rate past the largest
  // Float; training then diverges "at learning rate inf" instead of the schedule being refused.
  func scheduledRate(group g: Int, epoch: Int) -> Float {
    let factor = schedules[g].factor(at: epoch - 1, span: span)
    // From the rate's decimal: 0.01 * 0.1 is then the float of 0.001, not 0.0009999999.
    return Float(History.decimal(baseRates[g]) * factor * (plateaus[g]?.scale ?? 1))
  }

  /// Applies the `auto` rule after a validation, then the user's rule if there is one, then
  /// lets the plateau schedules see the epoch.
  func adjustRates(after stats: EpochStats) throws {
    let modalityCount = model.branches.count
    if var schedule = autoSchedule {
      let accuracies = stats.branches.map(\.autoScore)
      if let rates = schedule.rates(
        afterEpoch: stats.epoch, branchAccuracies: accuracies,
        current: model.currentRates)
      {
        apply(rates)
      }
      autoSchedule = schedule
    }
    if let rule = rateRule, let rates = try rule(stats) {
      guard rates.count == modalityCount else {
        throw EngineError.invalidOption(
          name: "rate rule", value: optionText(rates),
          reason: "it must return one rate per modality (\(modalityCount))")
      }
      if let bad = rates.first(where: { !($0.isFinite && $0 > 0) }) {
        throw EngineError.invalidOption(
          name: "rate rule", value: optionText(bad),
          reason: "learning rates must be positive and finite")
      }
      apply(rates)
    }
    for g in plateaus.indices {
      guard var tracker = plateaus[g] else { continue }
      let unscaled =
        History.decimal(baseRates[g]) * schedules[g].factor(at: stats.epoch, span: span)
      tracker.observe(tracker.monitor.value(in: stats), epoch: stats.epoch, rate: unscaled)
      plateaus[g] = tracker
    }
  }

  /// Puts new modality rates in force: each group that follows its modality's rate takes
  /// it, and a group with a rate of its own moves by the same factor as its modality.
  private func apply(_ rates: [Float]) {
    let old = model.currentRates
    for (g, plan) in plans.enumerated() {
      guard let m = plan.modality else { continue }
      if plan.followsModality {
        baseRates[g] = rates[m]
      } else if old[m] > 0 {
        baseRates[g] = Float(Double(baseRates[g]) * Double(rates[m]) / Double(old[m]))
      }
    }
    model.currentRates = rates
  }
}

extension BranchEpochStats {
  /// The score `auto` follows for this branch, higher being better: its dev accuracy, or
  /// for regression 1 / (1 + dev MAE), which lies in (0, 1] and, unlike Pearson's r, is
  /// never undefined.
  public var autoScore: Double {
    devRegression.map { 1 / (1 + $0.meanAbsoluteError) } ?? devAccuracy
  }
}
