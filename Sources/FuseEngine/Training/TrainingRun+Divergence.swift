extension TrainingRun {
  /// Restores the weights the epoch started from (branches and fusion weights) and names
  /// the parameter group to blame for a non-finite loss.
  ///
  /// The group whose weights moved most since the epoch started, relative to their size, is
  /// the one a too-large rate blows up; among groups that moved alike (all of them to
  /// infinity, say) the higher rate is blamed. When no weights moved yet (the epoch's first
  /// batch), the branch with non-finite logits and the largest gradient is named instead.
  func diverged(
    epoch: Int, batch: Int, loss: Float, restoring start: [[Matrix]], fusion: [Float]
  ) -> EngineError {
    let branches = model.branches
    let changes = plans.map { plan -> Double in
      guard let m = plan.modality else {
        let before = Matrix(rows: 1, columns: fusion.count, values: fusion)
        return relativeChange([fusionParameter!.value], from: [before])
      }
      return relativeChange(
        branches[m].parameters[plan.parameterRange].map(\.value),
        from: Array(start[m][plan.parameterRange]))
    }
    let rates = optimizer.groups.map(\.learningRate)

    // FIXME: a rate is blamed even when another setting blew the weights up (a weight decay
    // of 1e30, fixed fusion weights of 1e30); the message cannot name those yet.
    var blamed = 0
    if changes.contains(where: { $0 > 0 }) {
      blamed =
        changes.indices.max { a, b in
          changes[a] != changes[b] ? changes[a] < changes[b] : rates[a] < rates[b]
        } ?? 0
    } else {
      let nonFinite = branches.indices.filter { !branches[$0].logits.values.allSatisfy(\.isFinite) }
      let suspects = nonFinite.isEmpty ? Array(branches.indices) : nonFinite
      func size(_ m: Int) -> Double {
        let norm = branches[m].gradientNorm
        return norm.isFinite ? norm : .infinity
      }
      blamed = primaryGroup(of: suspects.max { size($0) < size($1) } ?? 0)
    }

    for (branch, values) in zip(branches, start) {
      for (parameter, value) in zip(branch.parameters, values) { parameter.value = value }
    }
    model.fusionWeights = fusion
    let plan = plans[blamed]
    let name = plan.modality.map { model.modalities[$0].name } ?? "fusion"
    // A modality of several groups (a fine-tuned encoder's beside its head) names the one.
    let several = plans.filter { $0.modality == plan.modality }.count > 1
    return .diverged(
      epoch: epoch, batch: batch, modality: name, learningRate: rates[blamed], loss: loss,
      group: several || plan.name != name ? plan.name : nil)
  }
}

/// ||after - before|| / ||before|| over a group's parameters: infinite when a weight is not
/// finite any more, and the absolute change when the group started at zero.
private func relativeChange(_ after: [Matrix], from before: [Matrix]) -> Double {
  var change = 0.0
  var size = 0.0
  for (now, then) in zip(after, before) {
    for (a, b) in zip(now.values, then.values) {
      guard a.isFinite else { return .infinity }
      let delta = Double(a) - Double(b)
      change += delta * delta
      size += Double(b) * Double(b)
    }
  }
  return size > 0 ? (change / size).squareRoot() : change.squareRoot()
}
