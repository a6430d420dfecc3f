import HandoffCore
import Testing

@Suite struct WhitespaceTests {
    @Test(arguments: [
        ("  Ada Lovelace\t", "Ada Lovelace"),
        ("Ada", "Ada"),
        ("", ""),
        (" \t ", ""),
        // Unicode's space separators, as Foundation's `.whitespaces`: no-break, ideographic.
        ("\u{00A0}Müller\u{3000}", "Müller"),
        (" 東京 ", "東京"),
        // Newlines are not spaces here (`.whitespaces`, not `.whitespacesAndNewlines`).
        ("\nline\n", "\nline\n"),
        (" inner  spaces stay ", "inner  spaces stay"),
    ])
    func theSpacesAroundTextAreRemoved(_ text: String, _ trimmed: String) {
        #expect(text.trimmingWhitespace() == trimmed)
    }
}
