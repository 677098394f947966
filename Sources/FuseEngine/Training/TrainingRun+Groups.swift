/// One optimizer group of a training run: whose parameters it holds and how its rate
/// relates to its modality's.
struct GroupPlan {
  var name: String

  /// The modality whose branch holds the group's parameters; nil for the fusion weights.
  var modality: Int?

  /// Where the group's parameters are in `branches[modality].parameters`.
  var parameterRange: Range<Int>

  /// The encoder blocks the group holds (0 the embeddings, 1 + i layer i), for a group of
  /// a fine-tuning branch's encoder.
  var encoderBlocks: Range<Int>?

  /// Whether the group's base rate is its modality's (the strategy's, and what `auto` and
  /// a rule change); a group with a rate of its own in `groups:` moves by the same factor
  /// as its modality's instead. A branch that does not fine-tune has one group, which is
  /// always its modality's: fixing its rate fixes the modality's.
  var followsModality: Bool
}

extension FusionModel {
  /// The groups of a training run with `options`, in the optimizer's order: for each
  /// modality its branch (the MLP alone for a branch that fine-tunes), then the branch's
  /// encoder groups; then `fusion` when the fusion weights are learned.
  func groupPlans(options: TrainingOptions) -> [GroupPlan] {
    var plans: [GroupPlan] = []
    for (m, branch) in branches.enumerated() {
      let head = branch.headParameters.count
      plans.append(
        GroupPlan(
          name: modalities[m].name, modality: m,
          parameterRange: 0..<(branch.fineTunes ? head : branch.parameters.count),
          followsModality: !branch.fineTunes || options.resolved(group: modalities[m].name).2 == nil
        ))
      var start = head
      for (index, name) in branch.encoderGroupNames.enumerated() {
        let count = branch.encoderGroupParameters[index].count
        plans.append(
          GroupPlan(
            name: name, modality: m, parameterRange: start..<start + count,
            encoderBlocks: branch.encoderGroupBlocks[index],
            followsModality: options.resolved(group: name).2 == nil))
        start += count
      }
    }
    if options.learnFusionWeights {
      plans.append(
        GroupPlan(name: "fusion", modality: nil, parameterRange: 0..<1, followsModality: false))
    }
    return plans
  }
}

extension TrainingRun {
  /// Whether branch m runs its encoder in this run: it fine-tunes one and some group of the
  /// encoder is not frozen. Otherwise it reads features, as every other branch does.
  static func runsEncoder(_ m: Int, plans: [GroupPlan], options: TrainingOptions) -> Bool {
    plans.contains { plan in
      plan.modality == m && plan.encoderBlocks != nil
        && !options.resolved(group: plan.name).0.frozen
    }
  }

  /// The lowest encoder block of branch m that a group trains: the backward pass stops below.
  static func lowestTrainedBlock(_ m: Int, plans: [GroupPlan], options: TrainingOptions) -> Int {
    plans.filter { plan in
      plan.modality == m && plan.encoderBlocks != nil
        && !options.resolved(group: plan.name).0.frozen
    }.compactMap { $0.encoderBlocks?.lowerBound }.min() ?? .max
  }

  /// The group whose rate stands for modality m's in the history: the first that follows
  /// the modality's rate, else the branch's own group.
  func primaryGroup(of m: Int) -> Int { primaryGroups[m] }
}
