import Foundation
import Testing

/// `fuselab bench` on a tiny workload written here: it runs, and its JSON line has the
/// fields the reference scripts print. The timings are only checked to be positive; this
/// is not a timed test.
@Suite("The benchmark command")
struct BenchEndToEndTests {
  /// A workload of the benchmark's layout: train/, dev/ and test/ with one CSV per modality
  /// (text, audio, visual) and labels, `rows` samples per split, 7 classes.
  /// `splits` are the split folders written; `label` replaces the first train label.
  static func tinyWorkload(
    rows: Int = 70, splits: [String] = ["train", "dev", "test"], label: String? = nil
  ) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fuselab-bench-\(UUID().uuidString)")
    let widths = ["text": 5, "audio": 7, "visual": 3]
    for split in splits {
      let splitFolder = folder.appendingPathComponent(split)
      try FileManager.default.createDirectory(at: splitFolder, withIntermediateDirectories: true)
      for (modality, width) in widths {
        var text = (0..<width).map { "f\($0)" }.joined(separator: ",") + "\n"
        for row in 0..<rows {
          text +=
            (0..<width).map { String(Double((row * 7 + $0 * 3) % 11) / 10 - 0.5) }
            .joined(separator: ",") + "\n"
        }
        try text.write(
          to: splitFolder.appendingPathComponent("\(modality).csv"), atomically: true,
          encoding: .utf8)
      }
      var classes = (0..<rows).map { String($0 % 7) }
      if split == "train", let label { classes[0] = label }
      let labels = "label\n" + classes.joined(separator: "\n") + "\n"
      try labels.write(
        to: splitFolder.appendingPathComponent("labels.csv"), atomically: true, encoding: .utf8)
    }
    return folder
  }

  @Test func jsonLineHasTheReferenceFields() throws {
    let data = try Self.tinyWorkload()
    let run = try FuselabProcess.run([
      "bench", "--json", "--data", data.path, "--epochs", "2", "--warmup", "1", "--bound",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n")
    #expect(lines.count == 1)
    let object = try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8))
    let fields = try #require(object as? [String: Any])

    #expect(fields["impl"] as? String == "fuselab")
    #expect(fields["threads"] as? Int == 1)
    #expect(fields["steps_per_epoch"] as? Int == 2)
    #expect(fields["train_samples"] as? Int == 70)
    #expect(fields["initial_weights"] as? String == "seeded")
    for name in [
      "warmup_epoch_s", "epoch_median_s", "epoch_min_s", "dev_infer_full_median_s",
      "dev_infer_full_min_s", "dev_infer_b64_median_s", "dev_infer_b64_min_s",
      "rss_after_import_mib", "peak_rss_mib", "dev_score_median_s", "bound_epoch_s",
      "bound_dev_infer_s",
    ] {
      let value = try #require(fields[name] as? Double, "\(name) is missing or not a number")
      #expect(value > 0, "\(name) is \(value)")
    }
    #expect((fields["epoch_s"] as? [Double])?.count == 2)
    let losses = try #require(fields["epoch_train_loss"] as? [Double])
    #expect(losses.count == 3 && losses.allSatisfy { $0 > 0 && $0.isFinite })
    let accuracy = try #require(fields["dev_acc"] as? Double)
    #expect(accuracy >= 0 && accuracy <= 1)
    let blas = try #require((fields["blas"] as? [[String: Any]])?.first)
    #expect(blas["internal_api"] as? String == "openblas")
  }

  @Test func tableNamesEachTiming() throws {
    let data = try Self.tinyWorkload()
    let run = try FuselabProcess.run(["bench", "--data", data.path, "--epochs", "1"])
    #expect(run.status == 0, "\(run.standardError)")
    for label in ["epoch (1 timed)", "dev inference, one batch", "peak RSS", "dev accuracy"] {
      #expect(run.standardOutput.contains(label), "no '\(label)' in \(run.standardOutput)")
    }
  }

  @Test func missingWorkloadSaysHowToWriteIt() throws {
    let run = try FuselabProcess.run(["bench", "--data", "/no/such/workload"])
    #expect(run.status == 70)
    #expect(run.standardError.contains("/no/such/workload"))
    #expect(run.standardError.contains("scripts/bench --prepare"))
  }

  @Test func badCountIsAUsageError() throws {
    let run = try FuselabProcess.run(["bench", "--epochs", "0"])
    #expect(run.status == 64)
    #expect(
      run.standardError.hasPrefix(
        "fuselab bench: error: --epochs takes a whole number from 1 to 10000, not '0'\n"))
  }

  /// An option's value never starts with --: --epochs was taken as the folder of --data.
  @Test(arguments: [
    (["--data", "--epochs", "1"], "--data needs a folder"),
    (["--epochs", "--json"], "--epochs needs a number"),
    (["--json=1"], "--json takes no value, got '--json=1'"),
  ])
  func anOptionWithoutItsValueIsAUsageError(arguments: [String], message: String) throws {
    let run = try FuselabProcess.run(["bench"] + arguments)
    #expect(run.status == 64)
    #expect(
      run.standardError.hasPrefix("fuselab bench: error: \(message)\n"), "\(run.standardError)")
  }

  /// --threads=2 was an unknown option; every option takes its value after = as well.
  @Test func valuesMayFollowAnEqualsSign() throws {
    let data = try Self.tinyWorkload()
    let run = try FuselabProcess.run([
      "bench", "--json", "--data=\(data.path)", "--epochs=1", "--warmup=0", "--repeats=1",
      "--threads=2",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let object = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8))
    let fields = try #require(object as? [String: Any])
    #expect(fields["threads"] as? Int == 2)
    #expect((fields["epoch_s"] as? [Double])?.count == 1)
  }

  /// A folder given with --data that holds no workload: the message says what it must hold,
  /// and does not suggest --data, which was given.
  @Test func aFolderWithoutTheWorkloadListsTheFilesExpected() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent(
      "fuselab-bench-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    let run = try FuselabProcess.run(["bench", "--data", empty.path])
    #expect(run.status == 70)
    #expect(
      run.standardError
        == "fuselab bench: error: no workload in \(empty.path): it needs train/ and dev/ (test/ "
        + "may be left out), each with text.npy, audio.npy, visual.npy and labels.npy (integers 0 "
        + "to 6), and optionally init/ with the reference's initial weights; scripts/bench "
        + "--prepare writes one at data/bench/latefusion\n")
  }

  /// The benchmark reads train/ and dev/ only; a workload without test/ was refused.
  @Test func aWorkloadWithoutTestRuns() throws {
    let data = try Self.tinyWorkload(splits: ["train", "dev"])
    let run = try FuselabProcess.run([
      "bench", "--data", data.path, "--epochs", "1", "--warmup", "0", "--repeats", "1",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    #expect(run.standardOutput.contains("70 train / 70 dev samples"), "\(run.standardOutput)")
  }

  /// A label beyond the 7 classes made an eighth class, and the error blamed the initial
  /// weights' shape; it is named in its file.
  @Test func aLabelOutsideTheClassesIsNamedInItsFile() throws {
    let data = try Self.tinyWorkload(label: "9")
    let run = try FuselabProcess.run(["bench", "--data", data.path, "--epochs", "1"])
    #expect(run.status == 70)
    let labels = data.appendingPathComponent("train/labels.csv").path
    #expect(
      run.standardError
        == "fuselab bench: error: \(labels): label 9 is not one of the workload's 7 classes, 0 "
        + "to 6\n")
  }

  /// Ctrl-C stopped the benchmark silently; it now says so, as `run` does, and exits 130.
  @Test func ctrlCSaysInterrupted() throws {
    let data = try Self.tinyWorkload()
    let binary = try #require(FuselabProcess.binary)
    let process = Process()
    process.executableURL = binary
    process.arguments = ["bench", "--data", data.path, "--epochs", "10000"]
    process.currentDirectoryURL = FuselabProcess.repositoryRoot
    let errors = Pipe()
    process.standardOutput = Pipe()
    process.standardError = errors
    try process.run()

    // Signal only once the handler is in place (SIGINT caught in /proc's SigCgt mask), so
    // that the test cannot race the process's start.
    let status = "/proc/\(process.processIdentifier)/status"
    var caught = false
    for _ in 0..<1000 where !caught {
      let text = (try? String(contentsOfFile: status, encoding: .utf8)) ?? ""
      let mask = text.split(separator: "\n").first { $0.hasPrefix("SigCgt:") }
        .flatMap { UInt64($0.dropFirst(7).trimmingCharacters(in: .whitespaces), radix: 16) }
      caught = (mask ?? 0) & (1 << (UInt64(SIGINT) - 1)) != 0
      if !caught { usleep(10_000) }
    }
    #expect(caught)
    kill(process.processIdentifier, SIGINT)
    let written = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationReason == .exit)
    #expect(process.terminationStatus == 130)
    #expect(String(decoding: written, as: UTF8.self) == "fuselab bench: interrupted\n")
  }
}
