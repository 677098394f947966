import CBLAS

/// Sets how many threads OpenBLAS uses for matrix products.
///
/// Results repeat bit for bit only at the same thread count: OpenBLAS splits a product
/// differently across threads, which changes the order of floating-point sums.
public func setMatrixThreadCount(_ count: Int) {
  openblas_set_num_threads(Int32(max(1, count)))
}

/// How many threads OpenBLAS uses for matrix products now.
public var matrixThreadCount: Int { Int(openblas_get_num_threads()) }
