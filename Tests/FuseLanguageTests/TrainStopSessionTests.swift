import Foundation
import Testing

@testable import FuseLanguage

/// Where the repository's HTAD copy is, for tests that train on it.
enum HTAD {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static var available: Bool {
    FileManager.default.fileExists(atPath: root.appendingPathComponent("data/htad/htad.csv").path)
  }
}

/// train() that stops part-way, seen from a session: the model's weights, `m.history` and
/// `show(m)` must agree. A rule that failed in epoch 3 used to move the weights while
/// `show(m)` still said "trained 2 epochs" and `m.history` was the previous call's.
@Suite(
  "train() stopped part-way, in a session",
  .enabled(if: HTAD.available, "needs data/htad: run scripts/setup"))
struct TrainStopSessionTests {
  static let root = HTAD.root

  /// A session on HTAD whose Ctrl-C is pressed when a progress line starts with `trigger`.
  final class Session {
    var printed = ""
    var progress: [String] = []
    var pressed = false
    let interpreter: Interpreter

    init(interruptAt trigger: String? = nil) {
      var session: Session?
      interpreter = Interpreter { session?.printed += $0 }
      interpreter.interrupt = { session?.pressed ?? false }
      interpreter.registerEngineBuiltins(
        host: EngineHost(threads: 1) { update in
          guard let session else { return }
          switch update {
          case .line(let text), .transient(let text):
            session.progress.append(text)
            if let trigger, text.hasPrefix(trigger) { session.pressed = true }
          }
        })
      session = self
    }

    func run(_ source: String) -> Diagnostic? {
      do {
        try interpreter.run(source: source, file: "s.fuse")
        return nil
      } catch {
        return error as? Diagnostic
      }
    }
  }

  static let setup = """
    d = load("\(root.path)/data/htad")
    m = model(d, hidden: [16], seed: 1)
    h = train(m, epochs: 2)

    """

  @Test func aFailingRuleLeavesTheWeightsHistoryAndShowInAgreement() throws {
    let session = Session()
    #expect(session.run(Self.setup) == nil)
    let failure = session.run(
      "train(m, epochs: 5, rule: fn(s) { if s.epoch == 3 { return 1/0 }; return none })")
    #expect(failure?.message == "division by zero")
    #expect(
      session.run(
        """
        print(m.history.epochs, evaluate(m, "dev").acc == m.history.dev_acc[-1])
        print(m.history.stop_reason)
        show(m)
        """) == nil)
    let lines = session.printed.split(separator: "\n").map(String.init)
    #expect(lines.first == "3 true")
    #expect(
      lines.dropFirst().first
        == "the rate rule failed after epoch 3: division by zero (s.fuse:1:60)")
    #expect(
      lines.contains {
        $0.hasPrefix(
          "  trained 5 epochs in 2 calls of train(), the last completed 3 with 1 thread "
            + "(stopped early: ")
      }, "\(lines)")
    // The epoch the rule followed completed, so its progress line was shown.
    #expect(session.progress.contains { $0.hasPrefix("train: epoch 3/5 ") })
  }

  @Test func aDivergenceKeepsTheEpochsBeforeItAndTheRatesGiven() throws {
    let session = Session()
    #expect(session.run(Self.setup) == nil)
    let failure = session.run(
      "train(m, epochs: 4, rule: fn(s) { if s.epoch == 2 { return 1e30 }; return none })")
    #expect(failure?.message.hasPrefix("training diverged") == true)
    #expect(
      session.run(
        """
        print(m.history.epochs, evaluate(m, "dev").acc == m.history.dev_acc[-1], m.rates)
        print(m.history.stop_reason)
        """) == nil)
    let lines = session.printed.split(separator: "\n").map(String.init)
    #expect(lines.first == "2 true {audio: 0.01, accel: 0.01}")
    #expect(lines.dropFirst().first?.hasPrefix("training diverged (loss ") == true)
  }

  @Test func anInterruptMidEpochKeepsTheCompletedEpochs() throws {
    let session = Session(interruptAt: "train: epoch 2/4, batch 3/")
    let failure = session.run(
      """
      d = load("\(Self.root.path)/data/htad")
      m = model(d, hidden: [16], seed: 1)
      h = train(m, epochs: 4)
      """)
    #expect(failure?.kind == .interrupted)
    session.pressed = false
    #expect(session.run("print(m.history.epochs, m.history.stop_reason)\nshow(m)") == nil)
    let lines = session.printed.split(separator: "\n").map(String.init)
    #expect(lines.first == "1 interrupted during epoch 2; the weights are those of its last step")
    // The weights are mid-epoch 2; the score shown says it is epoch 1's.
    #expect(
      lines.contains {
        $0.hasPrefix(
          "  trained 1 epoch with 1 thread (stopped early: interrupted during epoch 2; the "
            + "weights are those of its last step)")
          && $0.hasSuffix(" after epoch 1")
      },
      "\(lines)")
  }

  /// "train: 1 epochs" and "1 thread" read as English.
  @Test func theHeaderCountsEpochs() {
    let session = Session()
    #expect(session.run(Self.setup + "h = train(m, epochs: 1)") == nil)
    #expect(session.progress.contains("train: 1 epoch, batch 64, 1 thread, rates global(0.01)"))
  }
}
