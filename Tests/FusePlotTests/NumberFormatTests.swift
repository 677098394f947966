import FusePlot
import Testing

@Suite("compactNumber")
struct NumberFormatTests {
  @Test(arguments: [
    (0.001, "0.001"), (1e-5, "1e-05"), (12345, "12345"), (0.8571, "0.857"),
    (0, "0"), (1, "1"), (-0.5, "-0.5"), (0.0001, "0.0001"), (1.5e-5, "1.5e-05"),
    (999.7, "1000"), (0.99996, "1"), (12.345, "12.3"), (2.5e7, "2.5e+07"),
    (1_000_000, "1000000"), (0.000123456, "0.000123"), (-3e-6, "-3e-06"),
    (.nan, "nan"), (.infinity, "inf"), (-.infinity, "-inf"),
    // Near the largest Double, rounding to three digits overflows; the text must not.
    (1.797e308, "1.8e+308"), (-.greatestFiniteMagnitude, "-1.8e+308"),
  ])
  func formats(value: Double, expected: String) {
    #expect(compactNumber(value) == expected)
  }
}
