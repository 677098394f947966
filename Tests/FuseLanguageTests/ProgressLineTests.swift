import Foundation
import Testing

@testable import FuseLanguage

/// The batch line a terminal redraws during train() and sweep(): where the work is, its
/// loss, the rates in force and its pace. Logs never see it, so its clock is checked here.
@Suite(
  "Progress of a batch", .enabled(if: HTAD.available, "needs data/htad: run scripts/setup"))
struct ProgressLineTests {
  /// The batch lines and the epoch lines of one script.
  static func progress(_ source: String) throws -> (batches: [String], lines: [String]) {
    var batches: [String] = []
    var lines: [String] = []
    let interpreter = Interpreter { _ in }
    interpreter.registerEngineBuiltins(
      host: EngineHost(threads: 1) { update in
        switch update {
        case .transient(let text): batches.append(text)
        case .line(let text): lines.append(text)
        }
      })
    try interpreter.run(source: source, file: "p.fuse")
    return (batches, lines)
  }

  static let pace = try! Regex(#", (\d+) items/s, (\d+):(\d\d) left$"#)

  @Test func trainingShowsRatesItemsPerSecondAndTimeLeft() throws {
    let (batches, lines) = try Self.progress(
      """
      d = load("\(HTAD.root.path)/data/htad")
      m = model(d, hidden: [16], seed: 7)
      h = train(m, epochs: 2, batch: 64, rates: {audio: 0.02, accel: 0.005}, seed: 7)
      """)
    // 835 training samples in batches of 64: 14 a epoch, each reported.
    #expect(batches.count == 28)
    // The first batch starts the clock, so it has no pace yet.
    let first = try #require(batches.first)
    #expect(first.hasPrefix("train: epoch 1/2, batch 1/14, loss "))
    #expect(first.hasSuffix(", lr 0.02 0.005"))
    for line in batches.dropFirst() {
      #expect(line.hasPrefix("train: epoch "))
      #expect(line.contains(", lr 0.02 0.005, "), "\(line)")
      let match = try #require(line.firstMatch(of: Self.pace), "\(line)")
      #expect(Int(match.output[1].substring!)! > 0)
      #expect(Int(match.output[3].substring!)! < 60)
    }
    // The last batch has nothing left to do.
    #expect(batches.last!.hasSuffix(" 0:00 left"))
    // Epoch lines, which logs keep, carry no clock.
    #expect(!lines.contains { $0.contains("items/s") || $0.contains(" left") })
  }
}
