import FuseEngine
import FuseFormat
import FusePlot

/// The builtins that draw text plots: bar charts, histograms and line plots.
struct PlotBuiltins {
  let host: EngineHost

  var all: [Builtin] { [bars, hist, plot] }

  /// Series from a list of numbers (one, without a name) or a record of lists (one per
  /// field, named by it).
  static func series(_ arguments: Arguments, _ name: String) throws -> [(String, [Double])] {
    func numbers(_ value: Value) -> [Double]? {
      guard case .list(let items) = value else { return nil }
      var numbers: [Double] = []
      for item in items {
        guard case .number(let number) = item else { return nil }
        numbers.append(number)
      }
      return numbers
    }
    let value = arguments[name]
    if let single = numbers(value) { return [("", single)] }
    if case .record(let fields) = value {
      return try fields.map { field, item in
        guard let values = numbers(item) else {
          throw BuiltinError(
            "field '\(field)' of the record given to \(arguments.builtinName) must be a list of "
              + "numbers, got \(item.typeNameWithArticle)")
        }
        return (field, values)
      }
    }
    throw arguments.mismatch(name)
  }

  static let seriesAccepts = "a list of numbers, or a record of lists of numbers"

  /// The title of a plot given none: the argument as written when it is a variable or
  /// member (`h.loss`), else what it holds, `histogram of 40 values`.
  static func title(
    _ arguments: Arguments, _ name: String, _ series: [(String, [Double])], kind: String
  ) throws -> String {
    let given = try arguments.string("title")
    guard !arguments.isGiven("title") else { return given }
    if let path = arguments.writtenPath(name) { return path }
    if case .record = arguments[name] {
      return "\(kind) of " + series.map(\.0).joined(separator: ", ")
    }
    return "\(kind) of \(counted(series.first?.1.count ?? 0, "value"))"
  }

  var bars: Builtin {
    Builtin(
      name: "bars",
      summary: "A horizontal bar chart: of a sweep's dev scores, a record of numbers or a list.",
      parameters: [
        ParameterSpec("x", accepts: "a sweep, a record of numbers or a list of numbers"),
        ParameterSpec("title", default: .string(""), accepts: "a string"),
      ],
      example: "bars(best)\nbars({audio: 0.78, accel: 0.81}, title: \"accuracy\")"
    ) { arguments in
      let title = try arguments.string("title")
      let chart: String
      switch arguments["x"] {
      case .object(let sweep as SweepObject):
        chart = sweepChart(sweep.result, title: title)
      case .record(let fields):
        let bars = try fields.map { name, value -> Bar in
          guard case .number(let number) = value else {
            throw BuiltinError(
              "bars needs numbers; field '\(name)' is \(value.typeNameWithArticle)")
          }
          return Bar(name, number)
        }
        chart = BarChart(title: title, bars: bars).render(style: host.plotStyle)
      case .list:
        let values = try arguments.numbers("x")
        chart = BarChart(
          title: title, labels: values.indices.map { String($0 + 1) }, values: values
        ).render(style: host.plotStyle)
      default:
        throw arguments.mismatch("x")
      }
      arguments.context.write(chart + "\n")
      return .nothing
    }
  }

  /// A sweep's dev accuracy (for regression, dev MAE, a diverged rate drawn without a bar)
  /// as bars grouped by modality, one per rate, the chosen one marked.
  func sweepChart(_ result: SweepResult, title: String) -> String {
    let regression = result.task == .regression
    let groups = result.modalities.indices.map { m in
      BarGroup(
        result.modalities[m],
        bars: result.grids[m].indices.map { r in
          let score =
            result.diverged[m][r]
            ? .nan
            : regression ? result.devRegression[m][r].meanAbsoluteError : result.devAccuracy[m][r]
          return Bar(formatRate(result.grids[m][r]), score)
        }, chosen: result.grids[m].firstIndex(of: result.bestRates[m]))
    }
    let score = regression ? "dev MAE" : "dev accuracy"
    return GroupedBarChart(
      title: title.isEmpty ? "\(score) by learning rate" : title, groups: groups,
      axisLabel: score, higherIsBetter: !regression
    ).render(style: host.plotStyle)
  }

  var hist: Builtin {
    Builtin(
      name: "hist",
      summary:
        "A histogram of numbers; a record of lists gives one per field; a sweep, its dev scores.",
      parameters: [
        ParameterSpec(
          "values", accepts: PlotBuiltins.seriesAccepts + ", or a sweep (drawn as bars(sweep))"),
        ParameterSpec("title", default: .string(""), accepts: "a string"),
        ParameterSpec(
          "bins", default: .nothing, accepts: "a whole number of bins from 1 to 200",
          defaultDescription: "none: Sturges' rule, at most 20"),
        ParameterSpec(
          "log", default: .bool(false),
          accepts:
            "true or false: bins of equal ratio (a log scale) for values that span orders of "
            + "magnitude; only positive values are counted"),
      ],
      example: """
        hist(h.gradnorm, title: "gradient norm per epoch")
        hist(h.update_ratio, log: true)
        """
    ) { arguments in
      // A sweep has one score per modality and rate, not a sample to bin: it reads as bars.
      if case .object(let sweep as SweepObject) = arguments["values"] {
        let chart = sweepChart(sweep.result, title: try arguments.string("title"))
        arguments.context.write(chart + "\n")
        return .nothing
      }
      let series = try PlotBuiltins.series(arguments, "values")
      var bins: Int?
      if !arguments.isNothing("bins") {
        bins = try arguments.integer("bins")
        guard let count = bins, count >= 1, count <= 200 else {
          throw arguments.mismatch("bins", expected: "a whole number from 1 to 200")
        }
      }
      let chart = Histogram(
        title: try PlotBuiltins.title(arguments, "values", series, kind: "histogram"),
        series: series.map { HistogramSeries($0.0, values: $0.1) }, binCount: bins,
        scale: try arguments.bool("log") ? .logarithmic : .linear
      ).render(style: host.plotStyle)
      arguments.context.write(chart + "\n")
      return .nothing
    }
  }

  var plot: Builtin {
    Builtin(
      name: "plot",
      summary: "A line plot of one or more series over their index (for example per epoch).",
      parameters: [
        ParameterSpec("series", accepts: PlotBuiltins.seriesAccepts),
        ParameterSpec("title", default: .string(""), accepts: "a string"),
        ParameterSpec("xlabel", default: .string("epoch"), accepts: "a string"),
        ParameterSpec("ylabel", default: .string(""), accepts: "a string"),
        ParameterSpec("height", default: .number(12), accepts: "a whole number of rows, 3 to 60"),
      ],
      example: "plot(h.loss, title: \"training loss\")\nplot(h.branch_acc)"
    ) { arguments in
      let series = try PlotBuiltins.series(arguments, "series")
      let height = try arguments.integer("height")
      guard (3...60).contains(height) else { throw arguments.mismatch("height") }
      let ylabel = try arguments.string("ylabel")
      let chart = LinePlot(
        title: try PlotBuiltins.title(arguments, "series", series, kind: "line plot"),
        series: series.map { LineSeries($0.0, values: $0.1) },
        xLabel: try arguments.string("xlabel"), yLabel: ylabel.isEmpty ? nil : ylabel,
        height: height
      ).render(style: host.plotStyle)
      arguments.context.write(chart + "\n")
      return .nothing
    }
  }
}
