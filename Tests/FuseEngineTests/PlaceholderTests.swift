import Testing

@Test func placeholderFuseEngineTests() { #expect(1 + 1 == 2) }
