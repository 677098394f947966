import Foundation
import FuseEngine

/// What one `fuselab bench` run measured, named as the reference scripts name it.
struct BenchResult {
  var threads: Int
  var trainCount: Int
  var devCount: Int
  var stepsPerEpoch: Int
  var initialWeights: String

  /// The training pass of each epoch (gathering, forward, backward, optimizer steps).
  var warmupEpochSeconds: [Double]
  var epochSeconds: [Double]

  /// FuseLab's dev scoring after each timed epoch: forward, losses and argmax per branch.
  var devScoringSeconds: [Double]

  /// One forward pass of the whole dev split as one batch, and in batches of 64.
  var devFullSeconds: [Double]
  var devBatchedSeconds: [Double]

  var epochTrainLoss: [Double]
  var devAccuracy: Double
  var startRSSMiB: Double
  var peakRSSMiB: Double
  var bound: ProductBound?
}

/// Ctrl-C stopped the benchmark before it had all its timings.
struct BenchInterrupted: Error {}

extension BenchWorkload {
  /// Trains `warmup + epochs` epochs through the engine's `train`, then times dev inference
  /// `repeats` times each way (the reference scripts time it 10 times). `stopRequested` is
  /// polled between batches and between the timings; once it says so, the run throws
  /// `BenchInterrupted`.
  mutating func run(
    threads: Int, warmup: Int, epochs: Int, repeats: Int, measureBound: Bool, startRSS: Double,
    stopRequested: () -> Bool = { false }
  ) throws -> BenchResult {
    func checkStop() throws { if stopRequested() { throw BenchInterrupted() } }
    let model = try self.model()
    let history = try FuseEngine.train(
      model, on: dataset, options: options(epochs: warmup + epochs),
      progress: { _ in !stopRequested() })
    if history.stoppedEarly { throw BenchInterrupted() }
    let trainingTimes = history.timings.map(\.trainingSeconds)

    var logits = Matrix(rows: 0, columns: 0)
    let full = Self.timed(repeats) { model.fusedLogits(dev.features, into: &logits) }
    try checkStop()
    let predictions = argmaxRows(logits)
    let correct = zip(predictions, dev.labels).filter { $0 == $1 }.count
    var buffers = BatchedInference(branches: dev.features.count)
    let batched = Self.timed(repeats) { buffers.run(model, on: dev) }
    try checkStop()

    let bound =
      measureBound
      ? ProductBound.measure(
        dimensions: dataset.modalities.map(\.dimension), hidden: Self.hiddenWidth,
        classes: dataset.classNames.count, batch: Self.batchSize, trainCount: train.count,
        devCount: dev.count) : nil
    try checkStop()
    return BenchResult(
      threads: threads, trainCount: train.count, devCount: dev.count,
      stepsPerEpoch: (train.count + Self.batchSize - 1) / Self.batchSize,
      initialWeights: initialWeights,
      warmupEpochSeconds: Array(trainingTimes.prefix(warmup)),
      epochSeconds: Array(trainingTimes.dropFirst(warmup)),
      devScoringSeconds: history.timings.dropFirst(warmup).map(\.devSeconds),
      devFullSeconds: full, devBatchedSeconds: batched,
      epochTrainLoss: history.epochs.map(\.trainLoss),
      devAccuracy: Double(correct) / Double(max(dev.count, 1)),
      startRSSMiB: startRSS, peakRSSMiB: peakResidentMiB(), bound: bound)
  }

  /// The wall time of `repeats` calls of `work`, after one untimed call.
  static func timed(_ repeats: Int, _ work: () -> Void) -> [Double] {
    work()
    let clock = ContinuousClock()
    return (0..<repeats).map { _ in
      let start = clock.now
      work()
      return seconds(start.duration(to: clock.now))
    }
  }
}

/// The dev split's fused logits computed 64 rows at a time, as the reference's `b64` does;
/// FuseLab copies each batch's rows into buffers kept from call to call, where NumPy and
/// PyTorch slice them without a copy.
struct BatchedInference {
  var inputs: [Matrix]
  var part = Matrix(rows: 0, columns: 0)
  var logits = Matrix(rows: 0, columns: 0)

  init(branches: Int) {
    inputs = Array(repeating: Matrix(rows: 0, columns: 0), count: branches)
  }

  mutating func run(_ model: FusionModel, on split: DataSplit) {
    logits.reshape(rows: split.count, columns: model.classNames.count)
    let batch = BenchWorkload.batchSize
    for start in stride(from: 0, to: split.count, by: batch) {
      let rows = start..<min(start + batch, split.count)
      for m in inputs.indices { inputs[m].gatherRows(of: split.features[m], at: rows) }
      model.fusedLogits(inputs, into: &part)
      let width = part.columns
      logits.values.withUnsafeMutableBufferPointer { all in
        part.values.withUnsafeBufferPointer { batchLogits in
          for index in batchLogits.indices { all[start * width + index] = batchLogits[index] }
        }
      }
    }
  }
}

func seconds(_ duration: Duration) -> Double {
  let (whole, fraction) = duration.components
  return Double(whole) + Double(fraction) * 1e-18
}

/// The resident memory of this process now, in MiB (/proc/self/statm).
func residentMiB() -> Double {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else {
    return 0
  }
  let fields = text.split(separator: " ")
  guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
  return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

/// The largest resident memory this process has had, in MiB (getrusage; KiB on Linux).
func peakResidentMiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}

/// The median as NumPy takes it: the mean of the two middle values of an even count.
func median(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return .nan }
  let sorted = values.sorted()
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
