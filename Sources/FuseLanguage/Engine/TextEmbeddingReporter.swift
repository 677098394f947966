import Foundation
import FuseEngine
import FuseFormat

/// Progress lines for the text modalities a data set builtin encodes: one line per split
/// when its embeddings are ready (saying whether they were encoded, read from the cache or
/// reused), and on a terminal a line redrawn while a split is encoded.
final class TextEmbeddingReporter {
  let host: EngineHost
  let context: BuiltinContext
  private var pace: (start: Date, done: Int)?

  init(host: EngineHost, context: BuiltinContext) {
    self.host = host
    self.context = context
  }

  /// The engine's callback; it stops the encoding once the session is interrupted.
  var callback: TextEmbeddingProgress {
    { event in
      self.show(event)
      return !self.context.isInterrupted
    }
  }

  private func place(_ modality: String, _ split: String) -> String {
    split == "all" ? modality : "\(modality) \(split)"
  }

  private func show(_ event: TextEmbeddingEvent) {
    switch event {
    case .loadingEncoder(let folder):
      host.report(.line("text: reading the encoder in \(folder)"))
    case .encoding(let modality, let split, let done, let total):
      guard host.showsTransientProgress else { break }
      if pace == nil || done <= pace!.done { pace = (Date(), done) }
      var line = "\(place(modality, split)): encoding, \(done)/\(total) texts"
      if let pace, done > pace.done {
        let seconds = Date().timeIntervalSince(pace.start)
        if seconds > 0 {
          line += ", \(Int((Double(done - pace.done) / seconds).rounded())) texts/s"
        }
      }
      host.report(.transient(line))
    case .finished(let modality, let split, let count, let source):
      pace = nil
      let texts = counted(count, "text")
      switch source {
      case .encoded(let cachedAt):
        host.report(
          .line(
            "\(place(modality, split)): encoded \(texts)"
              + (cachedAt.map { ", cached in \($0)" } ?? "")))
      case .cacheFile(let path):
        host.report(.line("\(place(modality, split)): \(texts) read from the cache \(path)"))
      case .session:
        host.report(.line("\(place(modality, split)): \(texts) reused from this session"))
      }
    case .cacheRejected(let path, let reason):
      host.report(.line("text: not using the cache file \(path): \(reason); encoding again"))
    case .cacheNotWritten(let path, let reason):
      host.report(.line("text: warning: cannot write the cache file \(path): \(reason)"))
    }
  }
}
