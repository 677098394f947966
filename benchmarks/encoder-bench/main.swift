import Foundation
import FuseEngine

// Times the text encoder on a batch of MELD-sized sentences: the inference forward pass,
// and a training step's forward and backward passes. A measurement, not a test;
// benchmarks/encoder_step.py times the same batch in PyTorch.

let usage = """
  usage: encoder-bench [--model DIR] [--threads N] [--repeats N] [--sentences N]
                       [--equal-lengths] [--forward-only]

  The batch is --sentences (default 32) token sequences of 12 to 28 tokens, 20 on
  average (with --equal-lengths, 20 each), [CLS] first and [SEP] last, as
  benchmarks/encoder_step.py makes them. The loss is sum(c * e) over the normalised
  sentence embeddings e. Each figure is the median and the minimum over --repeats
  (default 10) timed runs after one untimed one, in milliseconds of wall-clock time and
  of the process's CPU time.
  """

struct Options {
  var model = "data/minilm"
  var threads = 1
  var repeats = 10
  var sentences = 32
  var equalLengths = false
  var forwardOnly = false
}

func parse(_ arguments: ArraySlice<String>) -> Options? {
  var options = Options()
  var remaining = arguments
  func count() -> Int? { remaining.popFirst().flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } }
  while let argument = remaining.popFirst() {
    switch argument {
    case "--model":
      guard let folder = remaining.popFirst() else { return nil }
      options.model = folder
    case "--threads":
      guard let value = count() else { return nil }
      options.threads = value
    case "--repeats":
      guard let value = count() else { return nil }
      options.repeats = value
    case "--sentences":
      guard let value = count() else { return nil }
      options.sentences = value
    case "-h", "--help":
      print(usage)
      exit(0)
    case "--equal-lengths": options.equalLengths = true
    case "--forward-only": options.forwardOnly = true
    default: return nil
    }
  }
  return options
}

/// Sentence s has 12 + (5 s mod 17) tokens (or 20); its token p between [CLS] and [SEP]
/// is 1000 + (7919 s + 104729 p) mod 28000.
func benchTokens(_ count: Int, equalLengths: Bool) -> [[Int]] {
  (0..<count).map { s in
    let length = equalLengths ? 20 : 12 + (5 * s) % 17
    return [101] + (1..<length - 1).map { p in 1000 + (7919 * s + 104_729 * p) % 28_000 } + [102]
  }
}

/// A moment on the wall clock and in the CPU time of the whole process, in milliseconds.
struct Moment {
  var wall: Double
  var processor: Double

  static var now: Moment {
    var clock = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &clock)
    return Moment(
      wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e6,
      processor: Double(clock.tv_sec) * 1e3 + Double(clock.tv_nsec) / 1e6)
  }

  static func - (end: Moment, start: Moment) -> Moment {
    Moment(wall: end.wall - start.wall, processor: end.processor - start.processor)
  }

  static func + (a: Moment, b: Moment) -> Moment {
    Moment(wall: a.wall + b.wall, processor: a.processor + b.processor)
  }
}

func time(_ body: () -> Void) -> Moment {
  let start = Moment.now
  body()
  return Moment.now - start
}

/// The median and minimum of the runs after the first, by wall clock and by CPU time: on
/// a machine shared with other work, the CPU time is the steadier figure.
func summary(_ name: String, _ times: [Moment]) -> String {
  func figures(_ values: [Double]) -> String {
    let timed = values.dropFirst().sorted()
    return String(format: "median %.1f ms, min %.1f ms", timed[timed.count / 2], timed[0])
  }
  return "\(name): wall \(figures(times.map(\.wall))); cpu \(figures(times.map(\.processor)))"
}

guard let options = parse(CommandLine.arguments.dropFirst()) else {
  FileHandle.standardError.write(Data((usage + "\n").utf8))
  exit(64)
}
setMatrixThreadCount(options.threads)
let encoder: TextEncoder
do {
  encoder = try TextEncoder(folder: options.model)
} catch {
  FileHandle.standardError.write(Data("encoder-bench: error: \(error)\n".utf8))
  exit(70)
}
let tokens = benchTokens(options.sentences, equalLengths: options.equalLengths)
let total = tokens.reduce(0) { $0 + $1.count }
print(
  "batch: \(tokens.count) sentences, \(total) tokens (longest \(tokens.map(\.count).max()!)); "
    + "\(options.threads) thread(s), OpenBLAS \(BLASInfo.coreName)")

var inference: [Moment] = []
for _ in 0...options.repeats {
  inference.append(
    time {
      let hidden = encoder.forward(tokens)
      _ = TextEncoder.meanPool(hidden, sequences: TextEncoder.packedRanges(tokens), normalize: true)
    })
}
print(summary("inference forward", inference))
guard !options.forwardOnly else { exit(0) }

let activations = TextEncoder.Activations()
let width = encoder.configuration.hiddenSize
let c = Matrix(
  rows: tokens.count, columns: width,
  values: (0..<tokens.count * width).map { Float(cos(0.37 * Double($0) + 0.1)) })
var forward: [Moment] = []
var backward: [Moment] = []
for _ in 0...options.repeats {
  forward.append(
    time {
      _ = encoder.sentenceEmbeddings(tokens, normalize: true, activations: activations)
    })
  backward.append(time { encoder.backward(embeddingGradient: c, activations: activations) })
}
print(summary("training forward", forward))
print(summary("backward", backward))
print(summary("forward + backward", zip(forward, backward).map(+)))
