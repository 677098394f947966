import Foundation
import FuseEngine
import FuseFormat

/// `fuselab bench`: trains the standard late-fusion workload in this process and reports
/// its timings, as one JSON line or as a table.
enum BenchCommand {
  static let usage = """
    usage: fuselab bench [--threads N] [--json] [--data DIR] [--epochs N] [--warmup N]
                         [--repeats N] [--bound]

    Trains the standard late-fusion workload of ../shared/bench (text 768, audio 1611 and
    visual 512 features; per modality Linear(dim, 256), ReLU, Linear(256, 7); SGD with
    momentum 0.9, rates 1e-3, 1e-2 and 5e-3; batch 64) through the engine's training loop,
    then times one forward pass of the dev split. It is a measurement, not a test.

    options:
      --threads N    OpenBLAS threads (default 1); any option's value may also follow
                     an equals sign, --threads=2
      --json         print one JSON line with the fields the NumPy and PyTorch scripts
                     print (epoch_median_s, dev_infer_full_median_s, peak_rss_mib, ...)
      --data DIR     the workload (default data/bench/latefusion, which
                     `scripts/bench --prepare` writes at the repository's root)
      --epochs N     timed epochs (default 5)
      --warmup N     untimed epochs before them (default 1)
      --repeats N    timed dev inference passes, each way (default 10)
      --bound        also time the matrix products alone, the floor for an epoch

    exit status: 0 success, 64 bad command line, 70 the workload cannot be read or run,
    130 interrupted (Ctrl-C)
    """

  static let shortUsage = """
    usage: fuselab bench [--threads N] [--json] [--data DIR] [--epochs N] [--warmup N] ...
    see 'fuselab bench --help' for more
    """

  struct Options {
    var threads = 1
    var json = false
    var data = BenchWorkload.defaultFolder
    /// Whether --data named the folder, so that a message need not suggest it.
    var dataGiven = false
    var epochs = 5
    var warmup = 1
    var repeats = 10
    var bound = false
    var help = false
  }

  static func main(_ arguments: [String]) -> ExitStatus {
    let startRSS = residentMiB()
    let options: Options
    do {
      options = try parse(arguments)
    } catch let error as CommandLineTool.UsageError {
      writeStandardError("fuselab bench: error: \(error.message)\n\(shortUsage)\n")
      return .usage
    } catch {
      return .failure
    }
    if options.help {
      writeStandardOutput(usage + "\n")
      return .success
    }

    setMatrixThreadCount(options.threads)
    Interrupts.install()
    let result: BenchResult
    do {
      var workload = try BenchWorkload(folder: options.data, given: options.dataGiven)
      result = try workload.run(
        threads: options.threads, warmup: options.warmup, epochs: options.epochs,
        repeats: options.repeats, measureBound: options.bound, startRSS: startRSS,
        stopRequested: { Interrupts.isPending })
    } catch is BenchInterrupted {
      writeStandardError("fuselab bench: interrupted\n")
      return .interrupted
    } catch {
      writeStandardError("fuselab bench: error: \(error)\n")
      return .runtimeFailure
    }
    writeStandardOutput(options.json ? result.jsonLine() + "\n" : result.table())
    return .success
  }

  static func parse(_ arguments: [String]) throws -> Options {
    typealias UsageError = CommandLineTool.UsageError
    var options = Options()
    var remaining = try CommandLineTool.splittingInlineValues(
      arguments, valued: ["--threads", "--epochs", "--warmup", "--repeats", "--data"],
      flags: ["--json", "--bound", "--help"])[...]
    func count(_ name: String, from lowest: Int, to highest: Int = 10_000) throws -> Int {
      guard let text = CommandLineTool.value(from: &remaining) else {
        throw UsageError(message: "\(name) needs a number")
      }
      guard let value = Int(text), value >= lowest, value <= highest else {
        throw UsageError(
          message: "\(name) takes a whole number from \(lowest) to \(highest), not '\(text)'")
      }
      return value
    }

    while let argument = remaining.popFirst() {
      switch argument {
      case "-h", "--help", "help":
        options.help = true
        return options
      case "--json": options.json = true
      case "--bound": options.bound = true
      case "--threads", "-t":
        options.threads = try count("--threads", from: 1, to: 256)
      case "--epochs": options.epochs = try count("--epochs", from: 1)
      case "--warmup": options.warmup = try count("--warmup", from: 0)
      case "--repeats": options.repeats = try count("--repeats", from: 1)
      case "--data":
        guard let folder = CommandLineTool.value(from: &remaining), !folder.isEmpty else {
          throw UsageError(message: "--data needs a folder")
        }
        options.data = folder
        options.dataGiven = true
      default:
        throw UsageError(
          message: argument.hasPrefix("-")
            ? "unknown option '\(argument)'" : "bench takes no file, got '\(argument)'")
      }
    }
    return options
  }
}

extension BenchResult {
  /// One JSON object, fields named and ordered as latefusion_numpy.py prints them, then
  /// FuseLab's own.
  func jsonLine() -> String {
    var json = JSONObject()
    json["impl"] = .string("fuselab")
    json["threads"] = .integer(threads)
    json["fuselab"] = .string(CommandLineTool.version)
    json["blas"] = .array([
      .object(
        JSONObject([
          ("internal_api", .string("openblas")), ("version", .string(blasVersion)),
          ("architecture", .string(BLASInfo.coreName)),
          ("num_threads", .integer(BLASInfo.threadCount)),
        ]))
    ])
    json["env"] = .object(
      JSONObject(
        [
          "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS",
          "MKL_NUM_THREADS",
        ].map { ($0, ProcessInfo.processInfo.environment[$0].map(JSONValue.string) ?? .null) }))
    json["steps_per_epoch"] = .integer(stepsPerEpoch)
    json["warmup_epoch_s"] = warmupEpochSeconds.first.map(JSONValue.number) ?? .null
    json["epoch_s"] = .array(epochSeconds.map(JSONValue.number))
    json["epoch_median_s"] = .number(median(epochSeconds))
    json["epoch_min_s"] = .number(epochSeconds.min() ?? .nan)
    json["dev_infer_full_median_s"] = .number(median(devFullSeconds))
    json["dev_infer_full_min_s"] = .number(devFullSeconds.min() ?? .nan)
    json["dev_infer_b64_median_s"] = .number(median(devBatchedSeconds))
    json["dev_infer_b64_min_s"] = .number(devBatchedSeconds.min() ?? .nan)
    json["rss_after_import_mib"] = .number((startRSSMiB * 10).rounded() / 10)
    json["peak_rss_mib"] = .number((peakRSSMiB * 10).rounded() / 10)
    json["epoch_train_loss"] = .array(
      epochTrainLoss.map { .number(($0 * 1e6).rounded() / 1e6) })
    json["dev_acc"] = .number(devAccuracy)
    json["dev_score_median_s"] = .number(median(devScoringSeconds))
    json["train_samples"] = .integer(trainCount)
    json["dev_samples"] = .integer(devCount)
    json["initial_weights"] = .string(initialWeights)
    if let bound {
      json["bound_epoch_s"] = .number(bound.epochSeconds)
      json["bound_dev_infer_s"] = .number(bound.devSeconds)
    }
    return json.text
  }

  /// The same figures for a person: median and minimum of each timing.
  func table() -> String {
    func row(_ name: String, _ values: [Double], milliseconds: Bool = false) -> String {
      let scale = milliseconds ? 1000.0 : 1
      let unit = milliseconds ? "ms" : "s"
      let digits = milliseconds ? 1 : 3
      return "  " + name.padding(toLength: 32, withPad: " ", startingAt: 0)
        + pad(formatFixed(median(values) * scale, digits: digits) + " \(unit)", 10)
        + pad(formatFixed((values.min() ?? .nan) * scale, digits: digits) + " \(unit)", 12)
        + "\n"
    }
    var text = "late-fusion workload: \(trainCount) train / \(devCount) dev samples, "
    text += "\(stepsPerEpoch) steps of \(BenchWorkload.batchSize), "
    text += counted(threads, "thread") + ", OpenBLAS \(blasVersion) (\(BLASInfo.coreName)), "
    text += "initial weights \(initialWeights == "reference" ? "from init/" : "seeded")\n"
    text += "  " + "".padding(toLength: 32, withPad: " ", startingAt: 0)
    text += pad("median", 10) + pad("min", 12) + "\n"
    text += row("epoch (\(epochSeconds.count) timed)", epochSeconds)
    text += row("dev scoring after each epoch", devScoringSeconds, milliseconds: true)
    text += row("dev inference, one batch", devFullSeconds, milliseconds: true)
    text += row("dev inference, batches of 64", devBatchedSeconds, milliseconds: true)
    if let bound {
      text += "  products alone: epoch \(formatFixed(bound.epochSeconds, digits: 3)) s, "
      text += "dev inference \(formatFixed(bound.devSeconds * 1000, digits: 1)) ms\n"
    }
    text += "  peak RSS \(formatFixed(peakRSSMiB, digits: 0)) MiB "
    text += "(\(formatFixed(startRSSMiB, digits: 0)) at start)\n"
    text += "  train loss by epoch: "
    text += epochTrainLoss.map { formatFixed($0, digits: 4) }.joined(separator: ", ")
    text += "; dev accuracy \(formatFixed(devAccuracy, digits: 3))\n"
    return text
  }

  /// The version number from OpenBLAS's configuration ("OpenBLAS 0.3.21 DYNAMIC_ARCH ...").
  private var blasVersion: String {
    let words = BLASInfo.configuration.split(separator: " ")
    return words.count > 1 ? String(words[1]) : "unknown"
  }

  private func pad(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
  }
}
