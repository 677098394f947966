import CBLAS

extension Matrix {
  /// Gives the matrix a new shape, reusing its storage when it is large enough.
  ///
  /// The entries are left unspecified; callers overwrite them. Once a buffer has
  /// held its largest shape, later calls do not allocate.
  public mutating func reshape(rows: Int, columns: Int) {
    precondition(rows >= 0 && columns >= 0, "negative matrix shape")
    let count = rows * columns
    if values.count != count {
      if values.count > count {
        values.removeLast(values.count - count)
      } else {
        values.append(contentsOf: repeatElement(0, count: count - values.count))
      }
    }
    self.rows = rows
    self.columns = columns
  }

  /// Makes this matrix a copy of `source`, reusing its storage when it is large enough.
  public mutating func copy(from source: Matrix) {
    reshape(rows: source.rows, columns: source.columns)
    source.values.withUnsafeBufferPointer { from in
      values.withUnsafeMutableBufferPointer { to in
        guard let origin = from.baseAddress, let destination = to.baseAddress else { return }
        destination.update(from: origin, count: from.count)
      }
    }
  }

  /// Copies the given rows of `source`, in order, into this matrix.
  ///
  /// The indices come as a buffer, not as any collection: iterating a generic collection
  /// (an `ArraySlice`, say) allocates in unoptimised builds, and the training loop gathers
  /// every batch this way.
  public mutating func gatherRows(of source: Matrix, at indices: UnsafeBufferPointer<Int>) {
    reshape(rows: indices.count, columns: source.columns)
    let width = source.columns
    let sourceRows = source.rows
    source.values.withUnsafeBufferPointer { from in
      values.withUnsafeMutableBufferPointer { to in
        guard let origin = from.baseAddress, let destination = to.baseAddress else { return }
        var target = destination
        for row in indices {
          precondition(row >= 0 && row < sourceRows, "gatherRows: row out of range")
          target.update(from: origin + row * width, count: width)
          target += width
        }
      }
    }
  }

  /// Copies the given rows of `source`, in order, into this matrix.
  public mutating func gatherRows(of source: Matrix, at indices: [Int]) {
    indices.withUnsafeBufferPointer { gatherRows(of: source, at: $0) }
  }

  /// Copies the consecutive rows `rows` of `source` into this matrix, as one block.
  public mutating func gatherRows(of source: Matrix, at rows: Range<Int>) {
    precondition(rows.lowerBound >= 0 && rows.upperBound <= source.rows, "rows out of range")
    reshape(rows: rows.count, columns: source.columns)
    let width = source.columns
    source.values.withUnsafeBufferPointer { from in
      values.withUnsafeMutableBufferPointer { to in
        guard let origin = from.baseAddress, let destination = to.baseAddress else { return }
        destination.update(from: origin + rows.lowerBound * width, count: rows.count * width)
      }
    }
  }

  /// The Euclidean norm of all entries, accumulated in double precision (`cblas_dsdot`).
  public var norm: Double {
    values.withUnsafeBufferPointer { entries in
      guard let base = entries.baseAddress, !entries.isEmpty else { return 0 }
      return cblas_dsdot(Int32(entries.count), base, 1, base, 1).squareRoot()
    }
  }
}

/// The product `op(a) * op(b)`, where `op` transposes when asked; through `cblas_sgemm`.
public func matmul(
  _ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false
) -> Matrix {
  var product = Matrix(rows: 0, columns: 0)
  gemm(a, b, into: &product, transposeA: transposeA, transposeB: transposeB)
  return product
}

/// Computes `c = alpha * op(a) * op(b) + beta * c` in place through `cblas_sgemm`.
///
/// With `beta == 0`, `c` is reshaped to the product's shape first (reusing its storage);
/// otherwise it must already have that shape. This is the form the training loop uses.
public func gemm(
  _ a: Matrix, _ b: Matrix, into c: inout Matrix,
  transposeA: Bool = false, transposeB: Bool = false,
  alpha: Float = 1, beta: Float = 0
) {
  let m = transposeA ? a.columns : a.rows
  let inner = transposeA ? a.rows : a.columns
  let innerB = transposeB ? b.columns : b.rows
  let n = transposeB ? b.rows : b.columns
  precondition(inner == innerB, "matmul: inner dimensions \(inner) and \(innerB) differ")
  if beta == 0 {
    c.reshape(rows: m, columns: n)
  } else {
    precondition(c.rows == m && c.columns == n, "gemm: accumulator has the wrong shape")
  }
  if m == 0 || n == 0 { return }
  if inner == 0 {
    for index in c.values.indices { c.values[index] *= beta }
    return
  }

  let leadingA = Int32(max(a.columns, 1))
  let leadingB = Int32(max(b.columns, 1))
  let leadingC = Int32(max(c.columns, 1))
  a.values.withUnsafeBufferPointer { pa in
    b.values.withUnsafeBufferPointer { pb in
      c.values.withUnsafeMutableBufferPointer { pc in
        cblas_sgemm(
          CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans,
          transposeB ? CblasTrans : CblasNoTrans,
          Int32(m), Int32(n), Int32(inner), alpha,
          pa.baseAddress, leadingA, pb.baseAddress, leadingB,
          beta, pc.baseAddress, leadingC)
      }
    }
  }
}
