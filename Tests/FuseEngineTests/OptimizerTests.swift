import Foundation
import Testing

@testable import FuseEngine

/// SGD with Nesterov, Adam, AdamW and clipping, one group each in one optimizer, against
/// Fixtures/make_optimizer_fixture.py (PyTorch's formulas written out in NumPy).
@Suite("Optimizers per parameter group")
struct OptimizerTests {
  struct Fixture: Decodable {
    struct Group: Decodable {
      var name: String
      var kind: String
      var lr: Double
      var wd: Double
      var momentum: Double?
      var nesterov: Bool?
      var betas: [Double]?
      var eps: Double?
      var clip: Double?
      var parameters: [Tensor]
    }
    struct Tensor: Decodable {
      var rows: Int
      var columns: Int
      var value: [Double]
      var gradients: [[Double]]
      var after: [[Double]]
    }
    var steps: Int
    var groups: [Group]
  }

  static func loadFixture() throws -> Fixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/optimizer_fixture.json")
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  static func settings(_ group: Fixture.Group) -> OptimizerSettings {
    OptimizerSettings(
      kind: OptimizerKind(rawValue: group.kind)!, momentum: Float(group.momentum ?? 0),
      nesterov: group.nesterov ?? false, weightDecay: Float(group.wd),
      beta1: Float(group.betas?[0] ?? 0.9), beta2: Float(group.betas?[1] ?? 0.999),
      epsilon: Float(group.eps ?? 1e-8), maxGradientNorm: group.clip.map { Float($0) })
  }

  @Test func everyRuleMatchesNumPyOverFourSteps() throws {
    let fixture = try Self.loadFixture()
    let parameters = fixture.groups.map { group in
      group.parameters.map { tensor in
        Parameter(
          name: group.name,
          value: Matrix(
            rows: tensor.rows, columns: tensor.columns, values: tensor.value.map { Float($0) }))
      }
    }
    let optimizer = Optimizer(
      groups: zip(fixture.groups, parameters).map { group, parameters in
        ParameterGroup(
          name: group.name, parameters: parameters, learningRate: Float(group.lr),
          settings: Self.settings(group))
      })
    for step in 0..<fixture.steps {
      for (group, groupParameters) in zip(fixture.groups, parameters) {
        for (tensor, parameter) in zip(group.parameters, groupParameters) {
          parameter.gradient.values = tensor.gradients[step].map { Float($0) }
        }
      }
      optimizer.step()
      for (group, groupParameters) in zip(fixture.groups, parameters) {
        for (tensor, parameter) in zip(group.parameters, groupParameters) {
          for (got, want) in zip(parameter.value.values, tensor.after[step]) {
            #expect(
              abs(Double(got) - want) < 2e-5 * max(1, abs(want)),
              "group \(group.name), step \(step + 1): \(got) vs \(want)")
          }
        }
      }
    }
  }

  // Adam's first step moves each weight by about lr * sign(g), whatever the gradient's size.
  @Test func adamFirstStepIsRateTimesSign() {
    let parameter = Parameter(name: "w", value: Matrix(rows: 1, columns: 2, values: [1, 1]))
    let optimizer = Optimizer(groups: [
      ParameterGroup(
        name: "a", parameters: [parameter], learningRate: 0.1,
        settings: OptimizerSettings(kind: .adam))
    ])
    parameter.gradient.values = [1000, -0.001]
    optimizer.step()
    #expect(abs(parameter.value.values[0] - 0.9) < 1e-5)
    #expect(abs(parameter.value.values[1] - 1.1) < 1e-3)
  }

  @Test func frozenGroupIsNotUpdated() {
    let frozen = Parameter(name: "w", value: Matrix(rows: 1, columns: 1, values: [2]))
    let free = Parameter(name: "w", value: Matrix(rows: 1, columns: 1, values: [2]))
    let optimizer = Optimizer(groups: [
      ParameterGroup(
        name: "a", parameters: [frozen], learningRate: 0.1,
        settings: OptimizerSettings(frozen: true)),
      ParameterGroup(name: "b", parameters: [free], learningRate: 0.1),
    ])
    frozen.gradient.values = [1]
    free.gradient.values = [1]
    optimizer.step()
    #expect(frozen.value.values == [2])
    #expect(free.value.values[0] < 2)
  }

  @Test func defaultWeightDecayFollowsTheOptimizer() {
    #expect(OptimizerSettings(kind: .sgd).effectiveWeightDecay == 1e-4)
    #expect(OptimizerSettings(kind: .adam).effectiveWeightDecay == 0)
    #expect(OptimizerSettings(kind: .adamw).effectiveWeightDecay == 0.01)
    let override = GroupOverride(kind: .adamw)
    #expect(
      override.applied(to: OptimizerSettings(kind: .sgd, weightDecay: 0.5)).weightDecay == nil)
    #expect(GroupOverride(momentum: 0.5).applied(to: OptimizerSettings()).momentum == 0.5)
  }

  @Test func badSettingsAreRejectedWithTheGroupName() {
    var options = TrainingOptions()
    options.groups = ["audio": GroupOverride(momentum: 1.5)]
    #expect(throws: EngineError.self) {
      try options.validate(modalities: ["audio"], task: .classification)
    }
    options.groups = ["nope": GroupOverride()]
    #expect(throws: EngineError.self) {
      try options.validate(modalities: ["audio"], task: .classification)
    }
  }

  /// A bad shared setting was named after the first group, 'momentum (audio)', though no
  /// group had set it; a group's own is named by its place in `groups`.
  @Test func aSharedSettingIsNamedAsGivenAndAGroupsByItsPlace() {
    let modalities = ["audio", "accel"]
    #expect(
      throws: EngineError.invalidOption(name: "momentum", value: "1", reason: "must be in [0, 1)")
    ) {
      try TrainingOptions(momentum: 1).validate(modalities: modalities, task: .classification)
    }
    var options = TrainingOptions()
    options.groups = ["accel": GroupOverride(momentum: 1.5)]
    #expect(
      throws: EngineError.invalidOption(
        name: "groups.accel.momentum", value: "1.5", reason: "must be in [0, 1)")
    ) { try options.validate(modalities: modalities, task: .classification) }
    options.groups = ["fusion": GroupOverride(learningRate: -1)]
    #expect(
      throws: EngineError.invalidOption(
        name: "groups.fusion.lr", value: "-1", reason: "a learning rate must be positive and finite"
      )
    ) { try options.validate(modalities: modalities, task: .classification) }
    options.groups = ["audio": GroupOverride(schedule: .step(every: 0, gamma: 0.5))]
    #expect(
      throws: EngineError.invalidOption(
        name: "groups.audio.schedule", value: "0", reason: "step's `every` must be at least 1")
    ) { try options.validate(modalities: modalities, task: .classification) }
  }
}
