/// What a model keeps of its latest training run: the run's settings and history, and,
/// when the run can go on, everything its next epoch reads that the weights do not say.
///
/// `train` leaves one on the model however the run ends; `resume` continues from it, and a
/// checkpoint saves it. A run can be resumed after it finished its epochs, and after Ctrl-C
/// (between epochs, or during one: it then goes on from the start of that epoch). It cannot
/// be resumed once early stopping has ended it, after a divergence, or after its rate rule
/// failed; `notResumable` then says so.
public struct TrainingState {
  /// The run's options; `epochs` is the last epoch the latest call was asked to reach.
  public internal(set) var options: TrainingOptions

  /// The length over which a schedule such as `cosine()` is laid out: the epochs of the
  /// call that started the run.
  public internal(set) var scheduleSpan: Int

  /// The strategy the run was started with; resuming under another one is refused.
  public internal(set) var strategy: RateStrategy

  /// Whether the run had a user rate rule, which a resume must be given again (a rule is a
  /// function of the language and cannot be saved).
  public internal(set) var usesRateRule: Bool

  /// The OpenBLAS thread count the run used; numbers repeat bit for bit at the same count.
  public internal(set) var threads: Int

  /// `DataSplit.fingerprint` of the train split the run read.
  public internal(set) var trainFingerprint: String

  /// Every epoch of the run so far, over all its calls.
  public internal(set) var history: History

  /// Why the run cannot be resumed, or nil when it can.
  public internal(set) var notResumable: String?

  /// Where a resume starts from; nil exactly when `notResumable` is set.
  var point: ResumePoint?

  /// Whether the state was read from a checkpoint, which keeps no rate rule, rather than
  /// left by a run in this process.
  public internal(set) var isFromCheckpoint = false

  /// The epochs the run has completed.
  public var completedEpochs: Int { history.epochs.count }

  /// The run's epoch a resume goes on from (its last completed one), when it can go on.
  public var resumableEpoch: Int? { point?.completedEpochs }
}

/// The state of a run at the end of an epoch: what its next epoch starts from.
struct ResumePoint {
  var completedEpochs: Int
  var generator: SeededGenerator
  /// The train split's order as last shuffled; each epoch shuffles it again in place.
  var order: [Int]
  var baseRates: [Float]
  var currentRates: [Float]
  var optimizer: Optimizer.State
  /// Each branch's parameters and the fusion weights at that moment; they differ from the
  /// model's after Ctrl-C during an epoch, or when early stopping put the best epoch back.
  var weights: [[Matrix]]
  var fusionWeights: [Float]
  var autoSchedule: AutoRateSchedule?
  var plateaus: [PlateauTracker?]
  var stopping: StoppingState?
}

extension TrainingRun {
  /// The run as it stands after `completed` epochs (called at an epoch's end, or before
  /// the first epoch). Only references are taken: buffers are copied when next written.
  func capture(completed: Int) -> ResumePoint {
    ResumePoint(
      completedEpochs: completed, generator: generator, order: order, baseRates: baseRates,
      currentRates: model.currentRates, optimizer: optimizer.state,
      weights: model.branches.map { $0.parameters.map(\.value) },
      fusionWeights: fusionParameter?.value.values ?? model.fusionWeights,
      autoSchedule: autoSchedule, plateaus: plateaus, stopping: stopping)
  }

  /// Puts the run back where `point` left it: weights, optimizer, generator, shuffle order,
  /// rates and the trackers of `auto`, plateaus and early stopping.
  func restore(_ point: ResumePoint) {
    for (branch, values) in zip(model.branches, point.weights) {
      for (parameter, value) in zip(branch.parameters, values) { parameter.value = value }
    }
    model.fusionWeights = point.fusionWeights
    fusionParameter?.value = Matrix(
      rows: 1, columns: point.fusionWeights.count, values: point.fusionWeights)
    optimizer.state = point.optimizer
    generator = point.generator
    order = point.order
    baseRates = point.baseRates
    model.currentRates = point.currentRates
    autoSchedule = point.autoSchedule
    plateaus = point.plateaus
    stopping = point.stopping
  }

  /// The state the model keeps when the run ends, resumable from `point` unless
  /// `notResumable` says why not.
  func state(history: History, point: ResumePoint?, notResumable: String?) -> TrainingState {
    TrainingState(
      options: options, scheduleSpan: span, strategy: startStrategy,
      usesRateRule: rateRule != nil, threads: matrixThreadCount,
      trainFingerprint: trainFingerprint, history: history,
      notResumable: notResumable, point: notResumable == nil ? point : nil)
  }
}
