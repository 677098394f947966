extension TrainingRun {
  /// The statistics of an epoch whose dev split scored `dev`.
  func epochStats(
    _ epoch: Int, trainLoss: Double, dev: SplitPredictions, start: [[Matrix]],
    startNorms: [Double], gradientNorms: [Double], startFusion: [Float], batches: Int
  ) -> EpochStats {
    if model.task == .regression {
      return regressionStats(
        epoch, trainLoss: trainLoss, dev: dev, start: start, startNorms: startNorms,
        gradientNorms: gradientNorms, startFusion: startFusion, batches: batches)
    }
    let classCount = model.classNames.count
    let trainMetrics = ClassificationMetrics(
      labels: epochLabels, predictions: epochPredictions, classCount: classCount)
    let devMetrics = ClassificationMetrics(
      labels: devLabels, predictions: dev.fused, classCount: classCount)

    let branchStats = model.branches.indices.map { m -> BranchEpochStats in
      let branchDev = ClassificationMetrics(
        labels: devLabels, predictions: dev.branches[m], classCount: classCount)
      let trainCorrect = zip(epochLabels, branchPredictions[m]).filter { $0 == $1 }.count
      return BranchEpochStats(
        modality: model.modalities[m].name,
        learningRate: optimizer.groups[primaryGroup(of: m)].learningRate,
        gradientNorm: gradientNorms[m], updateRatio: updateRatio(m, start: start[m], startNorms),
        trainAccuracy: Double(trainCorrect) / Double(epochLabels.count),
        devAccuracy: branchDev.accuracy, devMacroF1: branchDev.macroF1,
        devWeightedF1: branchDev.weightedF1)
    }
    var stats = EpochStats(
      epoch: epoch, trainLoss: trainLoss, trainAccuracy: trainMetrics.accuracy,
      trainMacroF1: trainMetrics.macroF1, trainWeightedF1: trainMetrics.weightedF1,
      devLoss: dev.loss, devAccuracy: devMetrics.accuracy, devMacroF1: devMetrics.macroF1,
      devWeightedF1: devMetrics.weightedF1, branches: branchStats)
    stats.fusionWeights = model.fusionWeights
    if fusionParameter != nil { stats.fusionLearningRate = optimizer.groups.last?.learningRate }
    stats.groups = groupStats(start: start, startFusion: startFusion, batches: batches)
    return stats
  }

  /// The statistics of a regression epoch: errors, correlation and sign accuracy of the
  /// fused output and of each branch's own output, on the epoch's batches and on dev.
  private func regressionStats(
    _ epoch: Int, trainLoss: Double, dev: SplitPredictions, start: [[Matrix]],
    startNorms: [Double], gradientNorms: [Double], startFusion: [Float], batches: Int
  ) -> EpochStats {
    let branchStats = model.branches.indices.map { m -> BranchEpochStats in
      BranchEpochStats(
        modality: model.modalities[m].name,
        learningRate: optimizer.groups[primaryGroup(of: m)].learningRate,
        gradientNorm: gradientNorms[m], updateRatio: updateRatio(m, start: start[m], startNorms),
        trainAccuracy: 0, devAccuracy: 0, devMacroF1: 0, devWeightedF1: 0,
        trainRegression: RegressionMetrics(targets: epochTargets, predictions: branchValues[m]),
        devRegression: RegressionMetrics(targets: devTargets, predictions: dev.branchValues[m]))
    }
    var stats = EpochStats(
      epoch: epoch, trainLoss: trainLoss, trainAccuracy: 0, trainMacroF1: 0,
      trainWeightedF1: 0, devLoss: dev.loss, devAccuracy: 0, devMacroF1: 0, devWeightedF1: 0,
      branches: branchStats,
      trainRegression: RegressionMetrics(targets: epochTargets, predictions: epochValues),
      devRegression: RegressionMetrics(targets: devTargets, predictions: dev.fusedValues))
    stats.fusionWeights = model.fusionWeights
    if fusionParameter != nil { stats.fusionLearningRate = optimizer.groups.last?.learningRate }
    stats.groups = groupStats(start: start, startFusion: startFusion, batches: batches)
    return stats
  }

  /// Each group's rate, mean gradient norm over the epoch's `batches` and update ratio.
  private func groupStats(start: [[Matrix]], startFusion: [Float], batches: Int)
    -> [GroupEpochStats]
  {
    plans.indices.map { g in
      let plan = plans[g]
      var change = 0.0
      var size = 0.0
      func add(_ now: [Float], _ before: [Float]) {
        for index in before.indices {
          let delta = Double(now[index]) - Double(before[index])
          change += delta * delta
          size += Double(before[index]) * Double(before[index])
        }
      }
      if let m = plan.modality {
        let parameters = model.branches[m].parameters
        for p in plan.parameterRange { add(parameters[p].value.values, start[m][p].values) }
      } else {
        add(model.fusionWeights, startFusion)
      }
      return GroupEpochStats(
        name: plan.name, learningRate: optimizer.groups[g].learningRate,
        gradientNorm: groupGradientNorms[g] / Double(max(batches, 1)),
        updateRatio: size > 0 ? change.squareRoot() / size.squareRoot() : 0)
    }
  }

  /// ||W now - W at the epoch's start|| / ||W at the start|| over branch m's parameters.
  private func updateRatio(_ m: Int, start: [Matrix], _ startNorms: [Double]) -> Double {
    var change = 0.0
    for (parameter, before) in zip(model.branches[m].parameters, start) {
      for index in before.values.indices {
        let delta = Double(parameter.value.values[index]) - Double(before.values[index])
        change += delta * delta
      }
    }
    return startNorms[m] > 0 ? change.squareRoot() / startNorms[m] : 0
  }
}
