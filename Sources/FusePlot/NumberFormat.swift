import FuseFormat

/// Formats a number for an axis, a bar end or a bin edge: FuseLab's number format
/// (`formatNumber`) with three significant digits, short enough for a label.
///
/// Whole numbers print whole (`12345`); other magnitudes below 1e-4 or from 1e3 use the
/// language's short exponent (`1e-5`, `1.5e7`, `-9.09e298`). Non-finite values print as
/// `nan`, `inf` and `-inf`.
///
///     compactNumber(0.001)   // "0.001"
///     compactNumber(1e-5)    // "1e-5"
///     compactNumber(0.8571)  // "0.857"
///     compactNumber(12345)   // "12345"
public func compactNumber(_ value: Double) -> String {
  formatNumber(value, significantDigits: 3)
}
