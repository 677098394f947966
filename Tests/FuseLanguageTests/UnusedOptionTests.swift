import Testing

@testable import FuseLanguage

/// Options that nothing would read were dropped without a word: early stopping's settings
/// without a monitor, SGD's momentum under Adam, a fusion group with fixed fusion weights,
/// and fusion weights that are all zero. Each is now an error at its argument.
@Suite struct UnusedOptionTests {
  static let setup = ArgumentPlaceTests.setup

  @Test(arguments: [
    (
      "train(m, epochs: 1, 1️⃣patience: 3)",
      "patience is a setting of early stopping, which is off without monitor:; give the "
        + "statistic to stop on as well, such as monitor: \"dev_loss\", or leave patience out"
    ),
    (
      "sweep(m, rates: [0.1], epochs: 1, 1️⃣restore_best: false)",
      "restore_best is a setting of early stopping, which is off without monitor:; give the "
        + "statistic to stop on as well, such as monitor: \"dev_loss\", or leave restore_best out"
    ),
    (
      "train(m, epochs: 1, optimizer: \"adam\", 1️⃣momentum: 0.5)",
      "momentum is a setting of SGD, which no group here would read: optimizer \"adam\" has no "
        + "momentum (Adam's betas play its part); leave momentum out"
    ),
    (
      "train(m, epochs: 1, optimizer: \"adamw\", 1️⃣nesterov: true)",
      "nesterov is a setting of SGD, which no group here would read: optimizer \"adamw\" has no "
        + "momentum (Adam's betas play its part); leave nesterov out"
    ),
    (
      "train(m, epochs: 1, 1️⃣groups: {thin: {optimizer: \"adam\", momentum: 0.5}})",
      "groups.thin.momentum is a setting of SGD, but this group's optimizer is adam, which has "
        + "no momentum (Adam's betas play its part); leave it out, or give the group optimizer: "
        + "\"sgd\""
    ),
    (
      "train(m, epochs: 1, optimizer: \"adam\", 1️⃣groups: {wide: {nesterov: true}})",
      "groups.wide.nesterov is a setting of SGD, but this group's optimizer is adam, which has "
        + "no momentum (Adam's betas play its part); leave it out, or give the group optimizer: "
        + "\"sgd\""
    ),
    (
      "train(m, epochs: 1, 1️⃣betas: [0.8, 0.99])",
      "betas is a setting of Adam and AdamW, which no group here would read: the optimizer is "
        + "\"sgd\"; give optimizer: \"adam\" or \"adamw\", or leave betas out"
    ),
    (
      "train(m, epochs: 1, optimizer: \"adam\", 1️⃣eps: 1e-6, groups: {thin: {optimizer: "
        + "\"sgd\"}, wide: {optimizer: \"sgd\"}})",
      "eps is a setting of Adam and AdamW, which no group here would read: each group sets its "
        + "own optimizer or eps; leave eps out"
    ),
    (
      "train(m, epochs: 1, 1️⃣groups: {wide: {eps: 1e-6}})",
      "groups.wide.eps is a setting of Adam and AdamW, but this group's optimizer is sgd; leave "
        + "it out, or give the group optimizer: \"adam\" or \"adamw\""
    ),
    (
      "train(m, epochs: 1, 1️⃣groups: {fusion: {lr: 0.1}})",
      "groups.fusion sets the group of the learned fusion weights, which this run does not have: "
        + "its fusion weights are fixed; add fusion: \"learn\" to train them"
    ),
    (
      "sweep(m, rates: [0.1], epochs: 1, 1️⃣groups: {fusion: {lr: 0.1}})",
      "groups.fusion sets the group of the learned fusion weights, which a sweep does not have: "
        + "it trains each branch alone; leave groups.fusion out"
    ),
    (
      "train(m, epochs: 1, 1️⃣fusion: [0, 0])",
      "fusion weights [0, 0] are all zero: the fused logits would be 0 whatever the input, so "
        + "the model predicts nothing and no branch learns; make at least one non-zero"
    ),
  ])
  func anUnreadOptionIsRefusedAtItsArgument(marked: String, message: String) {
    let source = MarkedSource(Self.setup + marked)
    expectEngineError(source, message)
  }

  /// The same settings where something reads them train as before.
  @Test(arguments: [
    "train(m, epochs: 1, monitor: \"dev_loss\", patience: 3)",
    "train(m, epochs: 1, optimizer: \"adam\", momentum: 0.5, groups: {thin: {optimizer: \"sgd\"}})",
    "train(m, epochs: 1, groups: {thin: {optimizer: \"adam\"}, wide: {nesterov: true}})",
    "train(m, epochs: 1, fusion: \"learn\", groups: {fusion: {lr: 0.1}})",
    "train(m, epochs: 1, fusion: [0, 1])",
    "train(m, epochs: 1, betas: [0.8, 0.99], groups: {thin: {optimizer: \"adam\"}})",
    "train(m, epochs: 1, optimizer: \"adamw\", eps: 1e-6, groups: {wide: {eps: 1e-7}})",
  ])
  func theSameSettingsTrainWhereTheyAreRead(source: String) {
    #expect(engineRun(Self.setup + source).diagnostic == nil)
  }
}
