/// A dense row-major matrix of 32-bit floats: the engine's one tensor shape.
///
/// A mini-batch of one modality is a matrix with one row per sample, so every
/// layer maps a `rows x inputs` matrix to a `rows x outputs` one.
public struct Matrix: Equatable, Sendable {
  public var rows: Int
  public var columns: Int

  /// The entries, row after row; `values.count == rows * columns`.
  public var values: [Float]

  public init(rows: Int, columns: Int, repeating value: Float = 0) {
    precondition(rows >= 0 && columns >= 0, "negative matrix shape")
    self.rows = rows
    self.columns = columns
    self.values = Array(repeating: value, count: rows * columns)
  }

  public init(rows: Int, columns: Int, values: [Float]) {
    precondition(values.count == rows * columns, "matrix values do not fill its shape")
    self.rows = rows
    self.columns = columns
    self.values = values
  }

  public subscript(row: Int, column: Int) -> Float {
    get { values[row * columns + column] }
    set { values[row * columns + column] = newValue }
  }

  /// The matrix made of the given rows, in the given order.
  public func rows(_ indices: [Int]) -> Matrix {
    var gathered = Matrix(rows: indices.count, columns: columns)
    values.withUnsafeBufferPointer { source in
      gathered.values.withUnsafeMutableBufferPointer { target in
        for (position, row) in indices.enumerated() {
          let from = row * columns
          let to = position * columns
          for column in 0..<columns { target[to + column] = source[from + column] }
        }
      }
    }
    return gathered
  }
}
