import FusePlot

/// Plots with realistic FuseLab numbers, shared by the golden tests.
enum Samples {
  static let accuracy = BarChart(
    title: "Test accuracy",
    labels: ["audio", "accel", "summed", "fused"],
    values: [0.785, 0.815, 0.924, 0.9286],
    axisLabel: "accuracy")

  static let sweep = GroupedBarChart(
    title: "Dev accuracy by learning rate",
    groups: [
      BarGroup(
        "audio",
        bars: [
          Bar("1e-4", 0.412), Bar("1e-3", 0.655), Bar("1e-2", 0.771), Bar("3e-2", 0.789),
          Bar("1e-1", 0.762),
        ]),
      BarGroup(
        "accel",
        bars: [
          Bar("1e-4", 0.301), Bar("1e-3", 0.598), Bar("1e-2", 0.790), Bar("3e-2", 0.806),
          Bar("1e-1", 0.8125),
        ]),
    ],
    axisLabel: "dev accuracy")

  static let gradientNorms = Histogram(
    title: "Gradient norm per batch",
    series: [
      HistogramSeries(
        "audio",
        values: [
          0.012, 0.015, 0.018, 0.021, 0.022, 0.025, 0.026, 0.028, 0.031, 0.033, 0.035, 0.041,
          0.044, 0.052, 0.061, 0.075,
        ]),
      HistogramSeries(
        "accel",
        values: [
          0.002, 0.003, 0.003, 0.004, 0.005, 0.005, 0.006, 0.007, 0.009, 0.011, 0.013, 0.016,
          0.019, 0.024, 0.030, 0.038,
        ]),
    ],
    axisLabel: "batches")

  static let loss = LinePlot(
    title: "Training loss",
    series: [
      LineSeries(
        "audio",
        values: [
          1.95, 1.52, 1.21, 1.02, 0.90, 0.82, 0.76, 0.72, 0.69, 0.67, 0.65, 0.64, 0.63, 0.62,
          0.615,
        ]),
      LineSeries(
        "accel",
        values: [
          1.90, 1.31, 0.98, 0.80, 0.69, 0.62, 0.57, 0.54, 0.52, 0.50, 0.49, 0.48, 0.475, 0.47,
          0.468,
        ]),
      LineSeries(
        "fused",
        values: [
          1.60, 0.92, 0.61, 0.45, 0.37, 0.32, 0.29, 0.27, 0.255, 0.245, 0.24, 0.235, 0.232,
          0.23, 0.229,
        ]),
    ],
    xLabel: "epoch", yLabel: "loss")
}
