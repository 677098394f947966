import Foundation
import FuseFormat

extension Notebook {
  /// The notebook as Jupyter's `.ipynb` JSON (nbformat 4.5).
  ///
  /// Prose between cells becomes markdown cells, `fuse` cells become code cells, and the
  /// recorded output and error become stream outputs named `stdout` and `stderr`. Nothing is
  /// run: the export shows what the Markdown file records. Keys are sorted and indented by
  /// one space, as Jupyter writes them, so an export is the same byte for byte every time.
  public func jupyterJSON() -> String {
    var cellsJSON: [JSONValue] = []
    var next = 0
    for cell in cells {
      appendMarkdown(lines[next..<(cell.fenceLine - 1)], to: &cellsJSON)
      cellsJSON.append(codeCell(cell, id: "cell-\(cellsJSON.count + 1)"))
      next = cell.recordedLines.upperBound
    }
    appendMarkdown(lines[next...], to: &cellsJSON)

    let notebook: JSONValue = .object([
      "cells": .array(cellsJSON),
      "metadata": .object([
        "kernelspec": .object([
          "display_name": .string("FuseLab"), "language": .string("fuse"),
          "name": .string("fuselab"),
        ]),
        "language_info": .object([
          "file_extension": .string(".fuse"), "mimetype": .string("text/x-fuse"),
          "name": .string("fuse"),
        ]),
      ]),
      "nbformat": .integer(4),
      "nbformat_minor": .integer(5),
    ])
    return notebook.encoded() + "\n"
  }

  private func appendMarkdown(_ prose: ArraySlice<String>, to cells: inout [JSONValue]) {
    var texts = prose.map(content(of:))
    while texts.first?.trimmingCharacters(in: .whitespaces).isEmpty == true {
      texts.removeFirst()
    }
    while texts.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { texts.removeLast() }
    guard !texts.isEmpty else { return }
    cells.append(
      .object([
        "cell_type": .string("markdown"), "id": .string("cell-\(cells.count + 1)"),
        "metadata": .object([:]), "source": Notebook.jupyterSource(texts),
      ]))
  }

  private func codeCell(_ cell: NotebookCell, id: String) -> JSONValue {
    var outputs: [JSONValue] = []
    if !cell.recorded.output.isEmpty {
      outputs.append(Notebook.stream("stdout", cell.recorded.output))
    }
    if let error = cell.recorded.error {
      outputs.append(Notebook.stream("stderr", error))
    }
    let source = cell.source.split(separator: "\n", omittingEmptySubsequences: false)
      .map(String.init)
    return .object([
      "cell_type": .string("code"), "execution_count": .null, "id": .string(id),
      "metadata": .object([:]), "outputs": .array(outputs),
      "source": Notebook.jupyterSource(source),
    ])
  }

  private static func stream(_ name: String, _ lines: [String]) -> JSONValue {
    .object([
      "name": .string(name), "output_type": .string("stream"),
      "text": .array(lines.map { .string($0 + "\n") }),
    ])
  }

  /// Jupyter's multi-line string: a list of lines, each but the last ending in "\n".
  private static func jupyterSource(_ lines: [String]) -> JSONValue {
    .array(
      lines.enumerated().map { index, line in
        .string(index == lines.count - 1 ? line : line + "\n")
      })
  }
}

/// Just enough JSON to write a notebook deterministically.
enum JSONValue {
  case string(String)
  case integer(Int)
  case null
  case array([JSONValue])
  case object([String: JSONValue])

  func encoded(indent: Int = 0) -> String {
    let inner = String(repeating: " ", count: indent + 1)
    let outer = String(repeating: " ", count: indent)
    switch self {
    case .string(let text): return jsonQuoted(text)
    case .integer(let number): return String(number)
    case .null: return "null"
    case .array(let items):
      guard !items.isEmpty else { return "[]" }
      let body = items.map { inner + $0.encoded(indent: indent + 1) }
      return "[\n" + body.joined(separator: ",\n") + "\n" + outer + "]"
    case .object(let fields):
      guard !fields.isEmpty else { return "{}" }
      let body = fields.keys.sorted().map { key in
        inner + jsonQuoted(key) + ": " + fields[key]!.encoded(indent: indent + 1)
      }
      return "{\n" + body.joined(separator: ",\n") + "\n" + outer + "}"
    }
  }
}
