import FuseEngine
import FuseFormat

/// A fusion model, the data set it was built for, and its latest training history.
final class ModelObject: HostObject {
  let model: FusionModel
  let dataset: Dataset
  /// The history of the latest train() call, complete or stopped.
  var history: History?
  /// Epochs completed over every train() call on this model, and how many calls ran.
  private(set) var trainedEpochs = 0
  private(set) var trainingCalls = 0
  /// Epochs the latest call completed (a resumed call's history also holds earlier ones).
  private var lastCallEpochs = 0
  /// The builtin training this model right now, if any.
  private var work: String?
  /// The checkpoint the model was read from, when load_model() made it.
  let checkpoint: String?

  init(model: FusionModel, dataset: Dataset, history: History? = nil, checkpoint: String? = nil) {
    self.model = model
    self.dataset = dataset
    self.history = history
    self.checkpoint = checkpoint
  }

  /// A model read from `path`: the run it was saved with counts as one train() call.
  convenience init(loaded model: FusionModel, dataset: Dataset, from path: String) {
    self.init(
      model: model, dataset: dataset, history: model.trainingState?.history, checkpoint: path)
    if let history {
      trainedEpochs = history.epochs.count
      lastCallEpochs = trainedEpochs
      trainingCalls = 1
    }
  }

  /// Marks the model as trained by `builtin` until `endWork`. A rate rule that trains or
  /// sweeps the model it is training would swap its branches under the running optimizer.
  func beginWork(_ builtin: String) throws {
    if let work {
      throw BuiltinError(
        "this model is being trained by \(work)(); \(builtin)() cannot train it from inside "
          + "its rate rule (train a copy: fuse(m, rates: ...))")
    }
    work = builtin
  }

  func endWork() { work = nil }

  /// Keeps the history of a train() call that ran, whether it finished or stopped. A
  /// resumed run's history holds the run's earlier epochs too: only those after
  /// `resumedAfter` are new.
  func recordTraining(_ history: History, resumedAfter: Int = 0) {
    self.history = history
    lastCallEpochs = max(0, history.epochs.count - resumedAfter)
    trainedEpochs += lastCallEpochs
    trainingCalls += 1
  }

  var kindName: String { "model" }

  var names: [String] { model.modalities.map(\.name) }

  var display: String {
    let outputs =
      model.task == .regression
      ? "regression (one output per branch)" : "\(model.classNames.count) classes"
    var lines = [
      "model: additive late fusion of \(counted(model.branches.count, "branch", plural: "branches")), "
        + "\(outputs), \(model.parameterCount) parameters"
    ]
    let width = names.map(\.count).max() ?? 0
    for (m, branch) in model.branches.enumerated() {
      let layers = ([branch.modality.dimension] + branch.shape.hidden + [branch.outputCount])
        .map(String.init).joined(separator: " -> ")
      let best = model.bestRates[m].map { ", best rate \(formatRate($0))" } ?? ""
      lines.append(
        "  \(pad(branch.modality.name, width))  \(layers)  (\(notes(on: branch.shape))\(best))")
    }
    lines.append("  rates: " + strategyAndRates(joinedBy: "  "))
    if let history, trainingCalls > 0 {
      lines.append("  " + trainingSummary(history))
    }
    if let checkpoint { lines.append("  loaded from \(checkpoint)" + resumeNote) }
    return lines.joined(separator: "\n")
  }

  /// What the widths do not say about a branch: "gelu, dropout 0.2, standardised",
  /// "linear, raw features". The activation is named unless every branch is a ReLU MLP,
  /// the default; a linear branch has neither activation nor dropout.
  private func notes(on shape: BranchShape) -> String {
    let allDefault = model.branches.allSatisfy {
      !$0.shape.isLinear && $0.shape.activation == .relu
    }
    var notes: [String] = []
    if shape.isLinear {
      notes.append("linear")
    } else {
      if !allDefault { notes.append(shape.activation.rawValue) }
      notes.append("dropout \(formatNumber(Double(shape.dropout)))")
    }
    notes.append(shape.standardize ? "standardised" : "raw features")
    switch shape.fineTuning {
    case .whole?: notes.append("fine-tunes its encoder as one group")
    case .blocks?: notes.append("fine-tunes its encoder by block")
    case nil: break
    }
    return notes.joined(separator: ", ")
  }

  /// Whether the loaded run can go on, and from which epoch.
  private var resumeNote: String {
    guard let state = model.trainingState else { return " (not trained when saved)" }
    if let epoch = state.resumableEpoch {
      return "; train(m, epochs: ..., resume: true) goes on from epoch \(epoch)"
    }
    return "; its run cannot be resumed: \(state.notResumable ?? "unknown")"
  }

  /// A branch's shape as the record `model(..., branches:)` takes for it (`finetune` only
  /// for a branch that fine-tunes its encoder).
  static func record(of shape: BranchShape) -> Value {
    var fields: [(String, Value)] = [
      ("hidden", .list(shape.hidden.map { .number(Double($0)) })),
      ("activation", .string(shape.activation.rawValue)),
      ("dropout", .decimal(shape.dropout)),
      ("standardize", .bool(shape.standardize)),
    ]
    if let tuning = shape.fineTuning { fields.append(("finetune", .string(tuning.rawValue))) }
    return .record(fields)
  }

  /// "trained 7 epochs in 2 calls of train(), the last completed 5 with 1 thread (stopped
  /// early: ...); dev accuracy 0.714 after epoch 5": every epoch the model went through,
  /// then what the latest call did and the OpenBLAS threads it used.
  private func trainingSummary(_ history: History) -> String {
    var text = "trained \(counted(trainedEpochs, "epoch"))"
    if trainingCalls > 1 {
      text += " in \(trainingCalls) calls of train(), the last completed \(lastCallEpochs)"
    }
    text += " with \(counted(history.threadCount, "thread"))"
    let stopped = history.stoppedEarly || history.stopReason != nil
    if stopped {
      text += " (stopped early: \(history.stopReason ?? "interrupted"))"
    }
    // The weights are the best epoch's when early stopping restored them.
    let shown =
      history.restoredBest
      ? history.bestEpoch.flatMap { best in history.epochs.first { $0.epoch == best } }
      : history.epochs.last
    if let shown {
      text += "; " + devSummary(of: shown)
      // After a stop, say which epoch the score is of: Ctrl-C can leave later weights.
      if stopped || history.restoredBest { text += " after epoch \(shown.epoch)" }
    }
    return text
  }

  func ratesText(_ rates: [Float]) -> String {
    zip(names, rates).map { "\($0) \(formatRate($1))" }.joined(separator: ", ")
  }

  /// The strategy, then the rates in force: "keep  audio 0.1, accel 0.03". Rates given by
  /// modality already say them, so they stand alone unless a rule has moved the rates.
  func strategyAndRates(joinedBy separator: String) -> String {
    if case .perModality(_, let given) = model.strategy, given == model.currentRates {
      return model.strategy.description
    }
    return "\(model.strategy)\(separator)" + ratesText(model.currentRates)
  }

  var memberNames: [String] {
    [
      "modalities", "branches", "rates", "best_rates", "strategy", "params", "history",
      "gradnorm", "update_ratio", "task", "classes",
    ]
  }

  func member(_ name: String) -> Value? {
    switch name {
    case "modalities": return .list(names.map { .string($0) })
    case "task": return .string(model.task.rawValue)
    case "classes": return .list(model.classNames.map { .string($0) })
    case "branches":
      return .perModality(names, model.branches.map { ModelObject.record(of: $0.shape) })
    case "rates":
      return .perModality(names, model.currentRates.map { .decimal($0) })
    case "best_rates":
      return .perModality(names, model.bestRates.map { $0.map { .decimal($0) } ?? .nothing })
    case "strategy": return .string(model.strategy.description)
    case "params": return .number(Double(model.parameterCount))
    case "history": return history.map { .object(HistoryObject($0)) } ?? .nothing
    case "gradnorm", "update_ratio":
      guard let history else { return .perModality(names, names.map { _ in .list([]) }) }
      return HistoryObject(history).member(name)
    default: return nil
    }
  }
}

/// A rate strategy value, made by global(), smooth() and auto() and passed to fuse(). Rates
/// by modality need no object: a record is the strategy.
final class StrategyObject: HostObject {
  let strategy: RateStrategy

  init(_ strategy: RateStrategy) {
    self.strategy = strategy
  }

  var kindName: String { "strategy" }
  var display: String { strategy.description }
  var memberNames: [String] { [] }
  func member(_ name: String) -> Value? { nil }
}
