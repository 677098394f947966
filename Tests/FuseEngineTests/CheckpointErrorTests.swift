import Foundation
import Testing

@testable import FuseEngine

/// Checkpoints that do not fit, damaged files and failed writes: each an error that names
/// the file and says what is wrong, never a crash, and never a damaged file left behind.
@Suite("Checkpoints: mismatches, damage, atomic writes")
struct CheckpointErrorTests {
  typealias Recipe = ResumeRecipe
  typealias F = CheckpointFixtures

  static func message(_ body: () throws -> Void) -> String {
    do {
      try body()
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  static func checkpoint() throws -> String {
    try CheckpointRoundTripTests.saved(Recipe.all[3]).1
  }

  // MARK: Another data set or architecture

  @Test func anotherDataSetIsRefusedSayingWhatDiffers() throws {
    let path = try Self.checkpoint()
    func loading(_ data: Dataset) -> String {
      Self.message { _ = try FusionModel.load(from: path, dataset: data) }
    }

    let wider = EngineFixtures.blobs(perClass: (20, 8, 8), dimensions: (5, 3))
    #expect(
      loading(wider)
        == "\(path): checkpoint has modality 'a' with 4 features; this data set's a has 5")

    var renamed = Recipe.data
    renamed.modalities[1].name = "c"
    #expect(loading(renamed) == "\(path): checkpoint has modalities a, b; this data set has a, c")

    var classes = Recipe.data
    classes.classNames[2] = "other"
    #expect(
      loading(classes)
        == "\(path): checkpoint has 3 classes (class0, class1, class2); this data set has 3 "
        + "(class0, class1, other)")

    var smaller = Recipe.data
    smaller.splits["dev"]!.labels.removeLast()
    #expect(
      loading(smaller)
        == "\(path): checkpoint was trained with a dev split of 24 samples; this data set's has 23")

    var nudged = Recipe.data
    nudged.splits["train"]!.features[1].values[7] += 0.5
    #expect(loading(nudged).contains("checkpoint was trained on other train features or labels"))
  }

  @Test func anotherArchitectureIsRefusedSayingWhatDiffers() throws {
    let path = try Self.checkpoint()
    func loading(_ shapes: [BranchShape]) throws -> String {
      let model = try FusionModel(dataset: Recipe.data, shapes: shapes, seed: 1)
      return Self.message {
        _ = try FusionModel.load(from: path, dataset: Recipe.data, architecture: model)
      }
    }
    let linear = BranchShape(hidden: [], dropout: 0, standardize: false)
    #expect(
      try loading([BranchShape(hidden: [16], activation: .gelu, dropout: 0.2), linear])
        == "\(path): checkpoint was written for hidden [8] in branch 'a'; the model has [16]")
    #expect(
      try loading([BranchShape(hidden: [8], activation: .relu, dropout: 0.2), linear])
        == "\(path): checkpoint was written for activation gelu in branch 'a'; the model has relu")
    #expect(
      try loading([
        BranchShape(hidden: [8], activation: .gelu, dropout: 0.2), BranchShape(hidden: []),
      ])
      .contains("checkpoint was written for dropout 0 in branch 'b'; the model has 0.1"))
    #expect(
      try loading([
        BranchShape(hidden: [8], activation: .gelu, dropout: 0.2),
        BranchShape(hidden: [], dropout: 0, standardize: true),
      ]) == "\(path): checkpoint was written for raw features in branch 'b'; the model has "
        + "standardised features")
    let same = try FusionModel(
      dataset: Recipe.data,
      shapes: [BranchShape(hidden: [8], activation: .gelu, dropout: 0.2), linear], seed: 1)
    _ = try FusionModel.load(from: path, dataset: Recipe.data, architecture: same)
  }

  // MARK: Damaged files

  /// The file's tensors and metadata, to write back changed.
  struct Contents {
    var floats: [String: SafeTensor] = [:]
    var integers: [String: SafeIntegerTensor] = [:]
    var metadata: [String: String]

    init(_ path: String) throws {
      let file = try SafeTensorsFile(path: path)
      metadata = file.metadata
      for name in file.names {
        let entry = file.entries[name]!
        if entry.dtype == .i64 {
          integers[name] = SafeIntegerTensor(
            shape: entry.shape, values: try file.int64(name, shape: entry.shape))
        } else {
          floats[name] = try file.tensor(name)
        }
      }
    }

    func write(to path: String) throws {
      try writeSafeTensors(floats, integers: integers, metadata: metadata, to: path)
    }
  }

  /// Writes `path`'s contents changed by `change` to a new file and returns what loading
  /// it says.
  static func loadingChanged(_ path: String, _ change: (inout Contents) -> Void) throws
    -> String
  {
    var contents = try Contents(path)
    change(&contents)
    let changed = path.replacingOccurrences(of: ".safetensors", with: "-changed.safetensors")
    try contents.write(to: changed)
    return message { _ = try FusionModel.load(from: changed, dataset: Recipe.data) }
  }

  @Test func damagedTensorsAreNamed() throws {
    let path = try Self.checkpoint()
    let changed = path.replacingOccurrences(of: ".safetensors", with: "-changed.safetensors")
    #expect(
      try Self.loadingChanged(path) { $0.floats["a.3.bias"] = nil }
        == "\(changed): no tensor named 'a.3.bias'")
    #expect(
      try Self.loadingChanged(path) { contents in
        let weight = contents.floats.removeValue(forKey: "a.0.weight")!
        contents.integers["a.0.weight"] = SafeIntegerTensor(
          shape: weight.shape, values: weight.values.map { _ in 0 })
      } == "\(changed): tensor 'a.0.weight' is stored as I64, expected F32")
    #expect(
      try Self.loadingChanged(path) {
        $0.floats["optimizer.a.0.weight.exp_avg"]!.shape = [4, 8]
      } == "\(changed): tensor 'optimizer.a.0.weight.exp_avg' has shape [4, 8], expected [8, 4]")
    #expect(
      try Self.loadingChanged(path) {
        $0.floats["extra.weight"] = SafeTensor(shape: [1], values: [0])
      } == "\(changed): damaged checkpoint: tensor 'extra.weight' is not part of the model the "
        + "configuration describes")
    #expect(
      try Self.loadingChanged(path) { $0.integers["training.order"]!.values[1] = 0 }
        .contains("tensor 'training.order' is not an order of the 60 train samples"))
    #expect(
      try Self.loadingChanged(path) { $0.floats["a.std"]!.values[2] = 0 }
        .contains("tensor 'a.std': feature 2 has a standard deviation that is not a positive"))
  }

  /// A checkpoint whose weights hold nan or inf would load and then diverge in its first
  /// batch, blaming the learning rate; it is refused at load naming the tensor and element.
  @Test func nonFiniteWeightsAndOptimizerStateAreRefused() throws {
    let path = try Self.checkpoint()
    let changed = path.replacingOccurrences(of: ".safetensors", with: "-changed.safetensors")
    let rule = "weights and optimizer state must be finite numbers"
    #expect(
      try Self.loadingChanged(path) { $0.floats["a.0.weight"]!.values[9] = .nan }
        == "\(changed): damaged checkpoint: tensor 'a.0.weight' holds nan at [2, 1]; \(rule)")
    #expect(
      try Self.loadingChanged(path) { $0.floats["b.0.bias"]!.values[1] = -.infinity }
        == "\(changed): damaged checkpoint: tensor 'b.0.bias' holds -inf at [1]; \(rule)")
    #expect(
      try Self.loadingChanged(path) { $0.floats["fusion.weight"]!.values[0] = .infinity }
        == "\(changed): damaged checkpoint: tensor 'fusion.weight' holds inf at [0]; \(rule)")
    #expect(
      try Self.loadingChanged(path) {
        $0.floats["optimizer.a.0.weight.exp_avg_sq"]!.values[0] = .nan
      } == "\(changed): damaged checkpoint: tensor 'optimizer.a.0.weight.exp_avg_sq' holds nan "
        + "at [0, 0]; \(rule)")
  }

  @Test func damagedConfigurationsAreRefused() throws {
    let path = try Self.checkpoint()
    let changed = path.replacingOccurrences(of: ".safetensors", with: "-changed.safetensors")
    #expect(
      try Self.loadingChanged(path) { $0.metadata = [:] }.hasPrefix(
        "\(changed): not a FuseLab checkpoint: its metadata has no FuseLab configuration"))
    #expect(
      try Self.loadingChanged(path) { $0.metadata["config"] = "{\"formatVersion\": 1" }
        .hasPrefix("\(changed): damaged checkpoint: its config is not the JSON FuseLab writes"))
    #expect(
      try Self.loadingChanged(path) {
        $0.metadata["config"] = $0.metadata["config"]!.replacingOccurrences(
          of: "\"formatVersion\":1", with: "\"formatVersion\":7")
      } == "\(changed): checkpoint format version 7 is newer than this FuseLab reads (1); use a "
        + "newer FuseLab")
    // A configuration that contradicts the tensors: the shapes it implies are checked.
    #expect(
      try Self.loadingChanged(path) {
        $0.metadata["config"] = $0.metadata["config"]!.replacingOccurrences(
          of: "\"hidden\":[8]", with: "\"hidden\":[9]")
      } == "\(changed): tensor 'a.0.weight' has shape [8, 4], expected [9, 4]")
  }

  /// Foundation's words ("Expected to decode Dictionary<String, Any> but found a string
  /// instead", "The given data was not valid JSON") said neither where nor what, plainly.
  @Test func aDamagedConfigurationNamesTheFieldInPlainWords() throws {
    let path = try Self.checkpoint()
    let changed = path.replacingOccurrences(of: ".safetensors", with: "-changed.safetensors")
    func loading(_ change: @escaping (inout [String: Any]) -> Void) throws -> String {
      try Self.loadingChanged(path) { contents in
        var config =
          try! JSONSerialization.jsonObject(with: Data(contents.metadata["config"]!.utf8))
          as! [String: Any]
        change(&config)
        contents.metadata["config"] = String(
          decoding: try! JSONSerialization.data(withJSONObject: config), as: UTF8.self)
      }
    }
    func branches(_ config: inout [String: Any], _ change: (inout [String: Any]) -> Void) {
      var model = config["model"] as! [String: Any]
      var list = model["branches"] as! [[String: Any]]
      change(&list[0])
      model["branches"] = list
      config["model"] = model
    }
    let damaged = "\(changed): damaged checkpoint: its config is not the JSON FuseLab writes"
    #expect(
      try loading { $0["model"] = "x" }
        == "\(damaged) (field 'model' should be an object, not a string)")
    #expect(
      try loading { branches(&$0) { $0["hidden"] = "8" } }
        == "\(damaged) (field 'model.branches[0].hidden' should be a list, not a string)")
    #expect(
      try loading { branches(&$0) { $0["dropout"] = NSNull() } }
        == "\(damaged) (field 'model.branches[0].dropout' should be a number, not null)")
    #expect(
      try loading { branches(&$0) { $0["activation"] = "swish" } }
        == "\(damaged) (field 'model.branches[0].activation' holds \"swish\", which FuseLab does "
        + "not write there)")
    #expect(try loading { $0["dataset"] = nil } == "\(damaged) (it has no field 'dataset')")
    #expect(
      try Self.loadingChanged(path) { $0.metadata["config"] = "{\n  \"formatVersion\": 1,]" }
        == "\(damaged) (not valid JSON: line 2, column 22: invalid value)")
  }

  @Test func truncatedFilesAreRefusedNamingTheFile() throws {
    let path = try Self.checkpoint()
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    let headerEnd = 8 + Int(bytes[0]) + Int(bytes[1]) << 8 + Int(bytes[2]) << 16
    let cut = path.replacingOccurrences(of: ".safetensors", with: "-cut.safetensors")
    for length in [0, 5, 8, 40, headerEnd - 1, headerEnd, headerEnd + 9, bytes.count - 1] {
      try Data(bytes.prefix(length)).write(to: URL(fileURLWithPath: cut))
      let text = Self.message { _ = try FusionModel.load(from: cut, dataset: Recipe.data) }
      #expect(text.hasPrefix("\(cut): "), "\(length) bytes: \(text)")
    }
  }

  /// Bytes changed at random anywhere in the header or data: loading fails with a message
  /// naming the file, or succeeds (a changed digit of a weight); it never crashes.
  @Test func randomDamageNeverCrashes() throws {
    let path = try Self.checkpoint()
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    var generator = SeededGenerator(seed: 21)
    let damaged = path.replacingOccurrences(of: ".safetensors", with: "-damaged.safetensors")
    for _ in 0..<300 {
      var copy = bytes
      for _ in 0...generator.index(below: 3) {
        copy[generator.index(below: copy.count)] = UInt8(truncatingIfNeeded: generator.next())
      }
      try Data(copy).write(to: URL(fileURLWithPath: damaged))
      let text = Self.message { _ = try FusionModel.load(from: damaged, dataset: Recipe.data) }
      #expect(text == "no error" || text.hasPrefix("\(damaged): "), "\(text)")
    }
  }

  // MARK: Atomic writes

  static func listing(_ folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
  }

  /// A save that fails once the new file is written, just before it is renamed into place,
  /// stands for a crash at the worst moment: the old checkpoint is untouched and no
  /// temporary file is left.
  @Test func aSaveThatFailsLeavesTheOldFileAndNoTemporary() throws {
    let (model, path) = try CheckpointRoundTripTests.saved(Recipe.all[0])
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    struct Crash: Error {}
    _ = try resume(model, on: Recipe.data, epochs: 5)
    #expect(throws: Crash.self) {
      try model.save(to: path, dataset: Recipe.data, beforeRename: { throw Crash() })
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(try Self.listing(folder) == ["model.safetensors"])
    _ = try FusionModel.load(from: path, dataset: Recipe.data)

    // Without the failure, the same save replaces the file.
    try model.save(to: path, dataset: Recipe.data)
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) != before)
    #expect(try Self.listing(folder) == ["model.safetensors"])
  }

  @Test func aMissingFileOrAFolderIsNamedAsSuch() throws {
    let folder = try F.folder()
    let missing = folder.appendingPathComponent("gone.safetensors").path
    #expect(
      Self.message { _ = try FusionModel.load(from: missing, dataset: Recipe.data) }
        == "\(missing): cannot access the safetensors file: there is no such file")
    let inside = folder.appendingPathComponent("dir.safetensors")
    try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
    #expect(
      Self.message { _ = try FusionModel.load(from: inside.path, dataset: Recipe.data) }
        == "\(inside.path): cannot access the safetensors file: it is a folder, not a file")
  }

  @Test func unwritablePlacesFailWithoutLeavingAFile() throws {
    let model = try Recipe.model(Recipe.all[0])
    let folder = try F.folder()
    let missing = folder.appendingPathComponent("no/such/folder/model.safetensors").path
    let text = Self.message { try model.save(to: missing, dataset: Recipe.data) }
    #expect(text.hasPrefix("\(missing): cannot access the safetensors file: cannot create"))

    // A folder where the file should go: the rename fails, and the folder stays as it was.
    let occupied = folder.appendingPathComponent("taken.safetensors")
    try FileManager.default.createDirectory(
      at: occupied.appendingPathComponent("inside"), withIntermediateDirectories: true)
    let refused = Self.message { try model.save(to: occupied.path, dataset: Recipe.data) }
    #expect(refused.contains("cannot move the temporary file into place"))
    #expect(try Self.listing(folder) == ["taken.safetensors"])
    #expect(try Self.listing(occupied) == ["inside"])
  }

  /// Only where permissions apply (not as root): a read-only folder keeps its old file.
  @Test(.enabled(if: getuid() != 0, "permissions do not stop root"))
  func aReadOnlyFolderKeepsItsOldFile() throws {
    let (model, path) = try CheckpointRoundTripTests.saved(Recipe.all[0])
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
    defer {
      try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
    }
    #expect(throws: SafeTensorsError.self) { try model.save(to: path, dataset: Recipe.data) }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    #expect(try Self.listing(folder) == ["model.safetensors"])
  }
}
