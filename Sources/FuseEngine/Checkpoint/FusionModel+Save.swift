import Foundation

/// Saving a model, with its latest training run, as one safetensors file.
///
/// Tensors, all F32 but the shuffle order (I64), named as PyTorch names a state dict:
///
/// | name | holds |
/// | --- | --- |
/// | `audio.0.weight`, `audio.0.bias`, `audio.3.weight`, ... | each branch's layers, weight [out, in], bias [out] |
/// | `audio.mean`, `audio.std` | the standardisation statistics, for a branch that standardises |
/// | `text.encoder.embeddings.word_embeddings.weight`, ... | a fine-tuned text encoder, by its `BertModel` state-dict names |
/// | `fusion.weight` | the fusion weights w_m [modalities] |
/// | `optimizer.audio.0.weight.momentum_buffer` | SGD's momentum buffer of that parameter |
/// | `optimizer.audio.0.weight.exp_avg`, `.exp_avg_sq` | Adam's and AdamW's moments m and v |
/// | `training.order` | the train split's order as last shuffled |
/// | `resume.audio.0.weight`, ... | the weights a resume starts from, when not the model's |
/// | `early_stopping.best.audio.0.weight`, ... | early stopping's best weights, when neither |
///
/// The metadata holds `format` (`fuselab-checkpoint`) and `config`, a JSON document with the
/// format version, the data set's identity, each branch's shape, the strategy and rates,
/// and the training run: options, history, steps, generator, trackers.
extension FusionModel {
  /// Writes the model to `path` atomically (a temporary file beside it, then a rename), so
  /// that a failure or a crash leaves any earlier file at `path` as it was.
  ///
  /// - Parameter dataset: the data set the model was built and trained for; the file keeps
  ///   its identity (modalities, classes, split sizes, a fingerprint of the train split).
  /// - Throws: `EngineError.dataMismatch` for a data set that does not fit the model;
  ///   `SafeTensorsError.unreadable` when the file cannot be written.
  public func save(to path: String, dataset: Dataset) throws {
    try save(to: path, dataset: dataset, beforeRename: {})
  }

  /// `save`, with a step run once the new file is complete but not yet in place (for the
  /// tests of atomicity: throwing from it stands for a crash at that moment).
  func save(to path: String, dataset: Dataset, beforeRename: () throws -> Void) throws {
    try check(dataset)
    let train = try requireSplit("train", of: dataset)
    var tensors: [String: SafeTensor] = [:]
    var integers: [String: SafeIntegerTensor] = [:]

    var branchConfigurations: [BranchConfiguration] = []
    for branch in branches {
      let named = branch.namedParameters
      tensors.merge(
        branch.checkpointTensors(
          branch.parameters.map(\.value), range: branch.parameters.indices)
      ) { $1 }
      if branch.shape.standardize {
        let count = branch.modality.dimension
        tensors[branch.meanName] = SafeTensor(shape: [count], values: branch.featureMean)
        tensors[branch.scaleName] = SafeTensor(shape: [count], values: branch.featureScale)
      }
      let shape = branch.shape
      branchConfigurations.append(
        BranchConfiguration(
          modality: branch.modality.name, hidden: shape.hidden, activation: shape.activation,
          dropout: shape.dropout, standardize: shape.standardize, parameters: named.map(\.name),
          encoder: branch.textEncoder.map {
            EncoderEntry(
              tuning: shape.fineTuning ?? .whole, normalize: branch.normalizesEmbeddings,
              configuration: $0.configuration)
          }))
    }
    tensors["fusion.weight"] = SafeTensor(shape: [fusionWeights.count], values: fusionWeights)

    let training = trainingState.map {
      trainingConfiguration($0, tensors: &tensors, integers: &integers)
    }
    let configuration = CheckpointConfiguration(
      formatVersion: CheckpointConfiguration.currentVersion,
      dataset: DatasetIdentity(
        name: dataset.name, source: dataset.source,
        modalities: dataset.modalities.map { .init(name: $0.name, dimension: $0.dimension) },
        classNames: dataset.classNames, task: dataset.task,
        splitSizes: dataset.splits.mapValues(\.count),
        trainFingerprint: train.fingerprint),
      model: ModelConfiguration(
        seed: seed, branches: branchConfigurations, bestRates: bestRates, strategy: strategy,
        currentRates: currentRates),
      training: training)
    let json = try CheckpointConfiguration.encoder().encode(configuration)
    let bytes = try encodeSafeTensors(
      tensors, integers: integers,
      metadata: [
        "format": CheckpointConfiguration.formatName,
        "config": String(decoding: json, as: UTF8.self),
      ])
    try writeAtomically(bytes, to: path, beforeRename: beforeRename)
  }

  private func trainingConfiguration(
    _ state: TrainingState, tensors: inout [String: SafeTensor],
    integers: inout [String: SafeIntegerTensor]
  ) -> TrainingConfiguration {
    var configuration = TrainingConfiguration(
      options: state.options, scheduleSpan: state.scheduleSpan, strategy: state.strategy,
      usesRateRule: state.usesRateRule, threads: state.threads,
      trainFingerprint: state.trainFingerprint, history: state.history,
      notResumable: state.notResumable, resume: nil)
    guard let point = state.point else { return configuration }

    let current = branches.map { $0.parameters.map(\.value) }
    func store(_ weights: [[Matrix]], prefix: String) {
      for (branch, values) in zip(branches, weights) {
        tensors.merge(
          branch.checkpointTensors(values, range: branch.parameters.indices, prefix: prefix)
        ) { $1 }
      }
    }
    let weightSource: ResumeConfiguration.WeightSource = point.weights == current ? .model : .resume
    if weightSource == .resume { store(point.weights, prefix: "resume.") }

    for (g, plan) in groupPlans(options: state.options).enumerated() {
      let kind = state.options.resolved(group: plan.name).0.kind
      let moments = [point.optimizer.firstMoments[g], point.optimizer.secondMoments[g]]
      let suffixes = kind == .sgd ? ["momentum_buffer"] : ["exp_avg", "exp_avg_sq"]
      for (buffers, suffix) in zip(moments, suffixes) where !buffers.isEmpty {
        guard let m = plan.modality else {
          tensors["optimizer.fusion.weight.\(suffix)"] = checkpointTensor(
            "fusion.weight", buffers[0])
          continue
        }
        tensors.merge(
          branches[m].checkpointTensors(
            buffers, range: plan.parameterRange, prefix: "optimizer.", suffix: "." + suffix)
        ) { $1 }
      }
    }
    integers["training.order"] = SafeIntegerTensor(
      shape: [point.order.count], values: point.order.map { Int64($0) })

    var stopping: StoppingConfiguration?
    if let tracker = point.stopping {
      var source: ResumeConfiguration.WeightSource?
      if !tracker.bestWeights.isEmpty {
        source =
          tracker.bestWeights == current
          ? .model : tracker.bestWeights == point.weights ? .resume : .stored
      }
      if source == .stored { store(tracker.bestWeights, prefix: "early_stopping.best.") }
      stopping = StoppingConfiguration(
        best: tracker.best, bestEpoch: tracker.bestEpoch,
        epochsWithoutImprovement: tracker.epochsWithoutImprovement, bestWeights: source,
        bestFusionWeights: tracker.bestFusionWeights)
    }
    configuration.resume = ResumeConfiguration(
      completedEpochs: point.completedEpochs,
      generator: point.generator.words.map { hexWord($0) }, baseRates: point.baseRates,
      currentRates: point.currentRates, optimizerSteps: point.optimizer.steps,
      weights: weightSource, fusionWeights: point.fusionWeights,
      autoValidations: point.autoSchedule?.validations,
      autoInitialRates: point.autoSchedule?.initialRates,
      plateaus: point.plateaus.map { tracker in
        tracker.map {
          PlateauConfiguration(best: $0.best, badEpochs: $0.badEpochs, scale: $0.scale)
        }
      },
      stopping: stopping)
    return configuration
  }
}

/// A parameter as a tensor: a bias and the fusion weights are vectors, as in PyTorch.
func checkpointTensor(_ name: String, _ value: Matrix) -> SafeTensor {
  SafeTensor(
    shape: checkpointShape(name, rows: value.rows, columns: value.columns), values: value.values)
}

func checkpointShape(_ name: String, rows: Int, columns: Int) -> [Int] {
  name.hasSuffix(".bias") || name == "fusion.weight" ? [columns] : [rows, columns]
}

/// A 64-bit word as 16 hex digits.
func hexWord(_ word: UInt64) -> String {
  let digits = String(word, radix: 16)
  return String(repeating: "0", count: 16 - digits.count) + digits
}
