import FusePlot
import Testing

/// Axis labels use the language's number format with three significant digits: whole
/// numbers whole, short exponents (`1e-5`, not `1e-05`; `1e300`, not `1e+300`).
@Suite("compactNumber")
struct NumberFormatTests {
  @Test(arguments: [
    (0.001, "0.001"), (1e-5, "1e-5"), (12345, "12345"), (0.8571, "0.857"),
    (0, "0"), (1, "1"), (-0.5, "-0.5"), (0.0001, "0.0001"), (1.5e-5, "1.5e-5"),
    (999.7, "1e3"), (0.99996, "1"), (12.345, "12.3"), (2.5e7, "25000000"),
    (1_000_000, "1000000"), (0.000123456, "0.000123"), (-3e-6, "-3e-6"),
    (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"), (1e300, "1e300"),
    (-9.0909e298, "-9.09e298"), (1234.5, "1.23e3"),
    // Near the largest Double, rounding to three digits overflows; the text must not.
    (1.797e308, "1.8e308"), (-.greatestFiniteMagnitude, "-1.8e308"),
  ])
  func formats(value: Double, expected: String) {
    #expect(compactNumber(value) == expected)
  }
}
