import HandoffCore
import Testing

@Suite struct LabelTests {
    @Test(arguments: [
        ("trade show", "trade show"),
        ("  trade   show ", "trade show"),
        ("trade\tshow", "trade show"),
        ("trade\u{00A0}\u{00A0}show", "trade show"),
        ("Messe  München", "Messe München"),
        ("   ", ""),
        ("", ""),
    ])
    func aLabelIsTrimmedWithOneSpaceBetweenWords(_ text: String, _ tidy: String) {
        #expect(Label.tidy(text) == tidy)
    }
}
