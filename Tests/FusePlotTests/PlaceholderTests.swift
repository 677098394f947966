import Testing

@Test func placeholderFusePlotTests() { #expect(1 + 1 == 2) }
