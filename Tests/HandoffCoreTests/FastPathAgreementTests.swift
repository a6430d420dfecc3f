import Foundation
import HandoffTestSupport
import Testing
@testable import HandoffCore

/// Where a byte-by-byte fast path stands in for a slower rule, both must give the same answer:
/// seeded random strings plus the edges each rule has.
@Suite struct FastPathAgreementTests {
    /// A random string of `count` pieces from `alphabet`.
    static func text(from alphabet: [String], _ random: inout SeededRandom, count: ClosedRange<Int> = 0...10) -> String {
        (0..<Int.random(in: count, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    /// Spaces of every kind around and inside text: ASCII space and tab, Unicode's space
    /// separators (no-break, em, ideographic, Ogham, narrow no-break), what is whitespace but no
    /// space (newlines, vertical tab, next line), what looks empty but is no space (zero-width
    /// space, byte-order mark), and combining marks that join onto a space.
    static let spacey = [
        " ", " ", "\t", "\u{00A0}", "\u{2003}", "\u{3000}", "\u{1680}", "\u{202F}", "\n", "\r\n", "\u{0B}", "\u{85}", "\u{200B}", "\u{FEFF}",
        "\u{301}", "a", "Z", "é", "e\u{301}", "東", "👍🏽", ".", "-",
    ]

    static let emaily = ["a", "b", "Z", "0", ".", "@", " ", "\t", "-", "_", "+", "\r\n", "\n"]

    static let emailEdges = [
        "", "@", "a@", "@b.c", "a@b.c", "a@b", "a@.c", "a@c.", "a@b..c", "a.b@c", "a@b.c ", " a@b.c", "a @b.c", "a@@b.c", "a@b@c.d",
        "a@b.c.", ".@b.c", "a@b.c\r\n", "a\t@b.c", "a@\r\n.c", "a@b.\r\n", "\r\n@b.c", "a@-.c",
    ]

    /// `RowConverter.looksLikeEmail` reads ASCII text byte by byte; the character rule must say
    /// the same of it.
    @Test func theASCIIEmailCheckAgreesWithTheCharacterRule() {
        var random = SeededRandom(seed: 20_261_206)
        var cases = Self.emailEdges
        for _ in 0..<20_000 { cases.append(Self.text(from: Self.emaily, &random, count: 0...9)) }
        var emails = 0
        for text in cases {
            let bytes = RowConverter.asciiLooksLikeEmail(text.utf8)
            #expect(bytes == RowConverter.characterLooksLikeEmail(text), "\(text.debugDescription)")
            if bytes == true { emails += 1 }
        }
        #expect(emails > 100, "the random strings hold emails as well as non-emails")
        #expect(RowConverter.looksLikeEmail("ada@analytical.org"))
        #expect(!RowConverter.looksLikeEmail("ada@analytical"))
        // Text that is not ASCII is for the character rule alone.
        #expect(RowConverter.asciiLooksLikeEmail("jürgen@müller.de".utf8) == nil)
        #expect(RowConverter.looksLikeEmail("jürgen@müller.de"))
        #expect(!RowConverter.looksLikeEmail("jürgen@müller"))
    }

    /// `Lead.emailDomain` splits ASCII addresses on bytes; the rule is the characters after the
    /// last "@", lower-cased, and none when nothing follows it.
    @Test func theEmailDomainOfASCIIBytesIsTheCharacterRule() {
        func rule(_ email: String) -> String? {
            guard let at = email.lastIndex(of: "@") else { return nil }
            let domain = email[email.index(after: at)...].lowercased()
            return domain.isEmpty ? nil : domain
        }
        var random = SeededRandom(seed: 20_261_210)
        var cases = Self.emailEdges + ["A@ACME.COM", "a@Acme.Com ", "a@b@C.d"]
        for _ in 0..<20_000 { cases.append(Self.text(from: Self.emaily, &random, count: 0...9)) }
        for email in cases {
            let lead = Lead(externalId: "x", name: "x", email: email, createdAt: Date(timeIntervalSince1970: 0))
            #expect(lead.emailDomain == rule(email), "\(email.debugDescription)")
        }
    }

    /// `trimmingWhitespace()` takes tab and Unicode's space separators (Zs) off both ends, nothing
    /// else: the set Foundation documents for `.whitespaces`, and what its `trimmingCharacters`
    /// does here, but for U+200B ZERO WIDTH SPACE, which Foundation on Linux also trims (its table
    /// predates Unicode 4.0.1 moving it out of Zs) and the rule keeps.
    @Test func trimmingWhitespaceIsTheRuleAndFoundationsTrimming() {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        func rule(_ text: String) -> String {
            let scalars = text.unicodeScalars
            guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
            return String(scalars[first...scalars.lastIndex(where: { !isSpace($0) })!])
        }
        var random = SeededRandom(seed: 20_261_207)
        var cases = Self.spacey + ["", " \u{301}x", "x \u{301}", "\u{00A0}\u{00A0}", "\t東\t"]
        for _ in 0..<20_000 { cases.append(Self.text(from: Self.spacey, &random)) }
        for text in cases {
            #expect(text.trimmingWhitespace() == rule(text), "\(text.debugDescription)")
            if !text.unicodeScalars.contains("\u{200B}") {
                #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespaces), "\(text.debugDescription)")
            }
        }
        #expect("\u{200B}x\u{200B}".trimmingWhitespace() == "\u{200B}x\u{200B}")
    }

    /// `Label.tidy` skips the work when the bytes show a label is tidy already; when it does the
    /// work, it is the rule: runs of whitespace as one space, none at the ends.
    @Test func tidyingALabelFollowsItsRule() {
        var random = SeededRandom(seed: 20_261_208)
        var cases = ["", " ", "trade show", "trade  show", " trade show", "trade show ", "trade\tshow", "Trade Show", "a\u{00A0}b", "a\nb"]
        for _ in 0..<20_000 { cases.append(Self.text(from: Self.spacey, &random)) }
        for text in cases {
            #expect(Label.tidy(text) == text.split(whereSeparator: \.isWhitespace).joined(separator: " "), "\(text.debugDescription)")
        }
    }

    /// An import trims each cell as the definition's rules trim what they read
    /// (`trimmingWhitespace`): a cell of no-break spaces is empty, and a name with one around it
    /// is stored without.
    @Test func anImportTrimsCellsAsTheRulesTrimValues() throws {
        let mapping = try Mapping.parse("""
            kind: leads
            fields:
              external_id: ID
              name: Name
              notes: Notes
            """, name: "m.yaml")
        let converter = try RowConverter(
            mapping: mapping, header: ["ID", "Name", "Notes"], file: "f.csv", now: Date(), classifier: ThemeClassifier(themes: []), actor: "test")
        var random = SeededRandom(seed: 20_261_209)
        var cases = ["\u{00A0}Ada Lovelace\u{3000}", "\u{2003}", " \t ", "Ada", "\tAda ", "\nAda\n"]
        for _ in 0..<5_000 { cases.append(Self.text(from: Self.spacey, &random)) }
        for (line, text) in cases.enumerated() {
            let record = CSVRecord(line: line + 2, fields: ["id-\(line)", text, text], problem: nil)
            guard case .success(.lead(let lead)) = converter.convert(record) else {
                Issue.record("the row \(text.debugDescription) did not convert")
                continue
            }
            let trimmed = text.trimmingWhitespace()
            #expect(lead.name == (trimmed.isEmpty ? nil : trimmed), "\(text.debugDescription)")
            #expect(lead.notes == lead.name)
        }
    }
}
