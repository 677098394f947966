import Foundation

@testable import FuseEngine

/// Helpers shared by the engine's tests: random matrices, synthetic data sets and
/// finite-difference gradients.
enum EngineFixtures {
  static func randomMatrix(rows: Int, columns: Int, seed: UInt64, scale: Float = 1) -> Matrix {
    var generator = SeededGenerator(seed: seed)
    return Matrix(
      rows: rows, columns: columns,
      values: (0..<rows * columns).map { _ in generator.normal() * scale })
  }

  /// A data set whose classes are Gaussian blobs: modality "a" separates them well
  /// (centres `separation` apart), modality "b" only weakly.
  static func blobs(
    classes: Int = 3, perClass: (train: Int, dev: Int, test: Int) = (40, 15, 15),
    dimensions: (Int, Int) = (4, 3), separation: Float = 3, seed: UInt64 = 11
  ) -> Dataset {
    var generator = SeededGenerator(seed: seed)
    let centresA = (0..<classes).map { _ in
      (0..<dimensions.0).map { _ in generator.normal() * separation }
    }
    let centresB = (0..<classes).map { _ in
      (0..<dimensions.1).map { _ in generator.normal() * 0.5 }
    }
    func split(_ count: Int) -> DataSplit {
      var labels: [Int] = []
      var a: [Float] = []
      var b: [Float] = []
      for sample in 0..<(count * classes) {
        let label = sample % classes
        labels.append(label)
        a += centresA[label].map { $0 + generator.normal() }
        // An offset and scale that standardisation has to undo.
        b += centresB[label].map { 10 + 5 * ($0 + generator.normal()) }
      }
      return DataSplit(
        features: [
          Matrix(rows: labels.count, columns: dimensions.0, values: a),
          Matrix(rows: labels.count, columns: dimensions.1, values: b),
        ], labels: labels)
    }
    return Dataset(
      name: "blobs",
      modalities: [
        Modality(name: "a", dimension: dimensions.0), Modality(name: "b", dimension: dimensions.1),
      ],
      classNames: (0..<classes).map { "class\($0)" },
      splits: [
        "train": split(perClass.train), "dev": split(perClass.dev),
        "test": split(perClass.test),
      ],
      splitRule: "synthetic", source: "memory")
  }

  /// A regression data set whose target is linear in the features plus a little noise:
  /// target = 0.8 a0 - 0.5 a1 + 0.6 b0 + noise * N(0, 1), so modality "a" explains most of
  /// it and "b" the rest. Modality "b" has an offset and scale standardisation must undo.
  static func linearTargets(
    counts: (train: Int, dev: Int, test: Int) = (160, 60, 60), noise: Float = 0.1,
    seed: UInt64 = 12
  ) -> Dataset {
    var generator = SeededGenerator(seed: seed)
    func split(_ count: Int) -> DataSplit {
      var a: [Float] = []
      var b: [Float] = []
      var targets: [Float] = []
      for _ in 0..<count {
        let x = (0..<4).map { _ in generator.normal() }
        let y = (0..<3).map { _ in generator.normal() }
        targets.append(0.8 * x[0] - 0.5 * x[1] + 0.6 * y[0] + noise * generator.normal())
        a += x
        b += y.map { 10 + 5 * $0 }
      }
      return DataSplit(
        features: [
          Matrix(rows: count, columns: 4, values: a), Matrix(rows: count, columns: 3, values: b),
        ], targets: targets)
    }
    return Dataset(
      name: "linear",
      modalities: [Modality(name: "a", dimension: 4), Modality(name: "b", dimension: 3)],
      classNames: [],
      splits: ["train": split(counts.train), "dev": split(counts.dev), "test": split(counts.test)],
      splitRule: "synthetic", source: "memory", task: .regression)
  }

  /// Central differences of `objective` with respect to every entry of `parameter`.
  static func numericalGradient(
    of parameter: Parameter, step: Float = 1e-2, objective: () -> Double
  ) -> [Double] {
    (0..<parameter.value.values.count).map { index in
      let saved = parameter.value.values[index]
      parameter.value.values[index] = saved + step
      let plus = objective()
      parameter.value.values[index] = saved - step
      let minus = objective()
      parameter.value.values[index] = saved
      return (plus - minus) / (2 * Double(step))
    }
  }

  /// The largest |analytic - numeric| / (1e-3 + |numeric|) over the entries; infinite when
  /// the counts differ or there is nothing to compare, so a missing gradient cannot pass.
  static func worstError(_ analytic: Matrix, _ numeric: [Double]) -> Double {
    worstError(analytic.values.map { Double($0) }, numeric)
  }

  static func worstError(_ analytic: [Double], _ numeric: [Double]) -> Double {
    guard analytic.count == numeric.count, !numeric.isEmpty else { return .infinity }
    return zip(analytic, numeric).map { abs($0 - $1) / (1e-3 + abs($1)) }.max()!
  }

  /// sum_ij c_ij * y_ij, in double precision: a scalar whose gradient in y is c.
  static func weightedSum(_ y: Matrix, _ c: Matrix) -> Double {
    zip(y.values, c.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
  }

  static func weights(of model: FusionModel) -> [[Float]] {
    model.branches.map { $0.parameters.flatMap { $0.value.values } }
  }
}
