import Testing

@Test func placeholderFuseLanguageTests() { #expect(1 + 1 == 2) }
