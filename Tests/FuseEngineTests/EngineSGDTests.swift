import Foundation
import Testing

@testable import FuseEngine

/// SGD against numbers computed independently by Fixtures/make_sgd_fixture.py (NumPy).
@Suite("SGD with parameter groups")
struct EngineSGDTests {
  struct Fixture: Decodable {
    struct Group: Decodable {
      var name: String
      var lr: Double
      var parameters: [Tensor]
    }
    struct Tensor: Decodable {
      var rows: Int
      var columns: Int
      var value: [Double]
      var gradients: [[Double]]
      var after: [[Double]]
    }
    var momentum: Double
    var weightDecay: Double
    var groups: [Group]

    enum CodingKeys: String, CodingKey {
      case momentum, groups
      case weightDecay = "weight_decay"
    }
  }

  static func loadFixture() throws -> Fixture {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/sgd_fixture.json")
    return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
  }

  @Test func twoStepsWithTwoGroupsMatchNumPy() throws {
    let fixture = try Self.loadFixture()
    #expect(fixture.groups.count == 2)
    #expect(fixture.groups[0].lr != fixture.groups[1].lr)
    let parameters = fixture.groups.map { group in
      group.parameters.map { tensor in
        Parameter(
          name: group.name,
          value: Matrix(
            rows: tensor.rows, columns: tensor.columns, values: tensor.value.map { Float($0) }))
      }
    }
    let optimizer = Optimizer(
      sgd: zip(fixture.groups, parameters).map { group, parameters in
        ParameterGroup(name: group.name, parameters: parameters, learningRate: Float(group.lr))
      }, momentum: Float(fixture.momentum), weightDecay: Float(fixture.weightDecay))

    for step in 0..<2 {
      for (group, groupParameters) in zip(fixture.groups, parameters) {
        for (tensor, parameter) in zip(group.parameters, groupParameters) {
          parameter.gradient.values = tensor.gradients[step].map { Float($0) }
        }
      }
      optimizer.step()
      for (group, groupParameters) in zip(fixture.groups, parameters) {
        for (tensor, parameter) in zip(group.parameters, groupParameters) {
          for (got, want) in zip(parameter.value.values, tensor.after[step]) {
            #expect(abs(Double(got) - want) < 1e-5, "group \(group.name), step \(step + 1)")
          }
        }
      }
    }
  }

  // One scalar by hand: w = 1, grads 0.5 then 0.2, lr 0.1, momentum 0.9, decay 0.1.
  // Step 1: g = 0.5 + 0.1 * 1 = 0.6, buffer 0.6, w = 1 - 0.06 = 0.94.
  // Step 2: g = 0.2 + 0.094 = 0.294, buffer = 0.54 + 0.294 = 0.834, w = 0.94 - 0.0834 = 0.8566.
  @Test func momentumBufferByHand() {
    let parameter = Parameter(name: "w", value: Matrix(rows: 1, columns: 1, values: [1]))
    let optimizer = Optimizer(
      sgd: [ParameterGroup(name: "m", parameters: [parameter], learningRate: 0.1)],
      momentum: 0.9, weightDecay: 0.1)
    parameter.gradient.values = [0.5]
    optimizer.step()
    #expect(abs(parameter.value.values[0] - 0.94) < 1e-6)
    parameter.gradient.values = [0.2]
    optimizer.step()
    #expect(abs(parameter.value.values[0] - 0.8566) < 1e-6)
  }
}
