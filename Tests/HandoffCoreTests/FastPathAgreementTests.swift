import Foundation
import HandoffTestSupport
import Testing
@testable import HandoffCore

/// Where a byte-by-byte fast path stands in for a slower rule, both must give the same answer:
/// seeded random strings plus the edges each rule has.
@Suite struct FastPathAgreementTests {
    /// A random string of `count` pieces from `alphabet`.
    static func text(from alphabet: [String], _ random: inout SeededGenerator, count: ClosedRange<Int> = 0...10) -> String {
        (0..<Int.random(in: count, using: &random)).map { _ in alphabet.randomElement(using: &random)! }.joined()
    }

    static let emaily = ["a", "b", "Z", "0", ".", "@", " ", "\t", "-", "_", "+", "\r\n", "\n"]

    static let emailEdges = [
        "", "@", "a@", "@b.c", "a@b.c", "a@b", "a@.c", "a@c.", "a@b..c", "a.b@c", "a@b.c ", " a@b.c", "a @b.c", "a@@b.c", "a@b@c.d",
        "a@b.c.", ".@b.c", "a@b.c\r\n", "a\t@b.c", "a@\r\n.c", "a@b.\r\n", "\r\n@b.c", "a@-.c",
    ]

    /// `RowConverter.looksLikeEmail` reads ASCII text byte by byte; the character rule must say
    /// the same of it.
    @Test func theASCIIEmailCheckAgreesWithTheCharacterRule() {
        var random = SeededGenerator(seed: 20_261_206)
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
}
