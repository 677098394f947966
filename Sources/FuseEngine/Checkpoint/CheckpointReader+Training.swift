/// Reading the training run back: its settings and history, and the resume point, every
/// count and shape checked against the model so that a damaged file cannot crash a resume.
extension CheckpointReader {
  func trainingState(of model: FusionModel, dataset: Dataset) throws -> TrainingState? {
    guard let saved = configuration.training else { return nil }
    let names = model.modalities.map(\.name)
    do {
      try saved.options.validate(modalities: names, task: model.task, groups: model.groupNames)
    } catch {
      throw invalid("its training options: \(error)")
    }
    guard saved.history.modalities == names,
      saved.history.epochs.allSatisfy({ $0.branches.map(\.modality) == names })
    else { throw invalid("its history is of other modalities than \(names)") }
    guard saved.scheduleSpan >= 0 else { throw invalid("its schedule span is negative") }

    var state = TrainingState(
      options: saved.options, scheduleSpan: saved.scheduleSpan, strategy: saved.strategy,
      usesRateRule: saved.usesRateRule, threads: saved.threads,
      trainFingerprint: saved.trainFingerprint, history: saved.history,
      notResumable: saved.notResumable, point: nil, isFromCheckpoint: true)
    guard saved.notResumable == nil else { return state }
    guard let resume = saved.resume else {
      throw invalid("its training run is resumable but has no resume point")
    }
    state.point = try point(resume, saved: saved, model: model, dataset: dataset)
    return state
  }

  private func point(
    _ resume: ResumeConfiguration, saved: TrainingConfiguration, model: FusionModel,
    dataset: Dataset
  ) throws -> ResumePoint {
    let modalityCount = model.branches.count
    let plans = model.groupPlans(options: saved.options)
    let groupNames = plans.map(\.name)

    guard resume.completedEpochs == saved.history.epochs.count else {
      throw invalid(
        "its resume point is after epoch \(resume.completedEpochs), its history has "
          + "\(saved.history.epochs.count)")
    }
    let words = resume.generator.map { UInt64($0, radix: 16) }
    guard let generator = SeededGenerator(words: words.compactMap { $0 }),
      words.allSatisfy({ $0 != nil })
    else { throw invalid("its generator state \(resume.generator) is not four hex words") }
    let groupCount = groupNames.count
    guard resume.baseRates.count == groupCount, resume.optimizerSteps.count == groupCount,
      resume.plateaus.count == groupCount, resume.currentRates.count == modalityCount,
      resume.fusionWeights.count == modalityCount,
      resume.optimizerSteps.allSatisfy({ $0 >= 0 })
    else {
      throw invalid("its resume point has rates, steps or trackers for other than its groups")
    }

    let trainCount = try requireSplit("train", of: dataset).count
    let order = try int64s("training.order", shape: [trainCount])
    var seen = Array(repeating: false, count: trainCount)
    for index in order {
      guard index >= 0, index < Int64(trainCount), !seen[Int(index)] else {
        throw invalid("tensor 'training.order' is not an order of the \(trainCount) train samples")
      }
      seen[Int(index)] = true
    }

    func weights(_ source: ResumeConfiguration.WeightSource, prefix: String) throws -> [[Matrix]] {
      guard source != .model else { return model.branches.map { $0.parameters.map(\.value) } }
      return try model.branches.map { branch in
        try branch.checkpointValues(range: branch.parameters.indices, prefix: prefix) {
          try finiteFloats($0, shape: $1)
        }
      }
    }
    let current = try weights(resume.weights, prefix: "resume.")
    let optimizer = try optimizerState(
      steps: resume.optimizerSteps, options: saved.options, plans: plans, model: model)

    return ResumePoint(
      completedEpochs: resume.completedEpochs, generator: generator,
      order: order.map { Int($0) }, baseRates: resume.baseRates,
      currentRates: resume.currentRates, optimizer: optimizer, weights: current,
      fusionWeights: resume.fusionWeights,
      autoSchedule: try autoSchedule(resume, strategy: saved.strategy, count: modalityCount),
      plateaus: try plateaus(resume, options: saved.options, groups: groupNames),
      stopping: try stopping(
        resume, options: saved.options, model: model, current: current,
        stored: { try weights(.stored, prefix: "early_stopping.best.") }))
  }

  private func optimizerState(
    steps: [Int], options: TrainingOptions, plans: [GroupPlan], model: FusionModel
  ) throws -> Optimizer.State {
    var first: [[Matrix]] = []
    var second: [[Matrix]] = []
    for (g, plan) in plans.enumerated() {
      let kind = options.resolved(group: plan.name).0.kind
      func buffers(_ suffix: String) throws -> [Matrix] {
        guard steps[g] > 0 else { return [] }
        guard let m = plan.modality else {
          let count = model.branches.count
          return [
            try matrix(
              "optimizer.fusion.weight.\(suffix)", parameter: "fusion.weight", rows: 1,
              columns: count)
          ]
        }
        return try model.branches[m].checkpointValues(
          range: plan.parameterRange, prefix: "optimizer.", suffix: "." + suffix
        ) { try finiteFloats($0, shape: $1) }
      }
      first.append(try buffers(kind == .sgd ? "momentum_buffer" : "exp_avg"))
      second.append(kind == .sgd ? [] : try buffers("exp_avg_sq"))
    }
    return Optimizer.State(steps: steps, firstMoments: first, secondMoments: second)
  }

  private func autoSchedule(
    _ resume: ResumeConfiguration, strategy: RateStrategy, count: Int
  ) throws -> AutoRateSchedule? {
    guard case .auto(let window, let every, let cap) = strategy else { return nil }
    guard let initial = resume.autoInitialRates, let validations = resume.autoValidations,
      initial.count == count, validations.allSatisfy({ $0.count == count })
    else { throw invalid("its auto strategy has no bookkeeping for \(count) modalities") }
    var schedule = AutoRateSchedule(initialRates: initial, window: window, every: every, cap: cap)
    schedule.validations = validations
    return schedule
  }

  private func plateaus(
    _ resume: ResumeConfiguration, options: TrainingOptions, groups: [String]
  ) throws -> [PlateauTracker?] {
    try zip(groups, resume.plateaus).map { group, saved in
      let tracker = PlateauTracker(options.resolved(group: group).1)
      guard (tracker == nil) == (saved == nil) else {
        throw invalid("group '\(group)' has plateau bookkeeping that its schedule does not match")
      }
      guard var tracker, let saved else { return nil }
      guard saved.badEpochs >= 0, saved.scale.isFinite, saved.scale >= 0 else {
        throw invalid("group '\(group)' has plateau bookkeeping out of range")
      }
      tracker.best = saved.best
      tracker.badEpochs = saved.badEpochs
      tracker.scale = saved.scale
      return tracker
    }
  }

  private func stopping(
    _ resume: ResumeConfiguration, options: TrainingOptions, model: FusionModel,
    current: [[Matrix]], stored: () throws -> [[Matrix]]
  ) throws -> StoppingState? {
    guard (options.earlyStopping == nil) == (resume.stopping == nil) else {
      throw invalid("its early-stopping bookkeeping does not match its options")
    }
    guard let rule = options.earlyStopping, let saved = resume.stopping else { return nil }
    var state = StoppingState(rule: rule)
    state.best = saved.best
    state.bestEpoch = saved.bestEpoch
    state.epochsWithoutImprovement = saved.epochsWithoutImprovement
    switch saved.bestWeights {
    case nil: break
    case .model?: state.bestWeights = model.branches.map { $0.parameters.map(\.value) }
    case .resume?: state.bestWeights = current
    case .stored?: state.bestWeights = try stored()
    }
    guard saved.bestWeights == nil || saved.bestFusionWeights.count == model.branches.count
    else { throw invalid("its early-stopping bookkeeping has other fusion weights") }
    state.bestFusionWeights = saved.bestFusionWeights
    return state
  }
}
