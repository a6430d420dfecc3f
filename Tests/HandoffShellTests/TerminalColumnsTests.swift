import Testing
@testable import HandoffShell

/// Widths as a terminal draws them: what tables, key-value blocks and charts align by.
@Suite struct TerminalColumnsTests {
    @Test(arguments: [
        ("Acme Corp", 9),
        ("Müller", 6),                  // ü precomposed
        ("Mu\u{308}ller", 6),           // u and a combining diaeresis: one column
        ("東京 Ltd", 8),                // each ideograph two columns
        ("한국어", 6),                   // Hangul syllables
        ("\u{1100}\u{1161}\u{11A8}", 2), // a syllable spelt in conjoining Jamo
        ("ひらがな カタカナ", 17),
        ("ＡＢＣ", 6),                   // fullwidth Latin
        ("ｶﾀｶﾅ", 4),                    // halfwidth Katakana stays narrow
        ("「はい」。", 10),              // CJK punctuation
        ("🙂", 2),
        ("👩‍💻", 2),                     // a ZWJ sequence is one glyph
        ("🇫🇷", 2),                     // a flag: two regional indicators, one glyph
        ("❤", 1), ("❤️", 2),           // text presentation, then emoji presentation asked for
        ("1️⃣", 2),                     // a keycap
        ("a\u{200B}b", 2),              // a zero-width space takes no column
        ("x\u{20DD}", 1),               // an enclosing mark
        ("", 0),
    ])
    func countsTerminalColumns(text: String, columns: Int) {
        #expect(text.terminalColumns == columns, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
    }

    @Test func aSubstringCountsTheSame() {
        let text = "Zoë 東京"
        #expect(text.dropFirst(4).terminalColumns == 4)
    }
}
