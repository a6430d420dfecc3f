import Foundation
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffSQLite

/// A cell loses the spaces a spreadsheet leaves around it, of every kind, as the definition's rules
/// trim what they read: a lead keyed with a no-break space is the lead keyed without, and a cell
/// of no-break spaces is empty, not a value.
@Suite struct ImportTrimmingTests {
    @Test func noBreakAndIdeographicSpacesAroundACellAreTrimmed() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let csv = "external_id,name,email,title\n\u{00A0}L1\u{00A0},\u{3000}Ada Lovelace\u{00A0},\u{00A0},\u{2003}CTO\n"
        let first = try importer(store, .leads).run(path: scratch.file("first.csv", csv))
        #expect(first.rejected.isEmpty, "\(first.rejected)")
        #expect(first.inserted == 1)
        let lead = try #require(try store.lead(externalId: "L1"))
        #expect(lead.name == "Ada Lovelace")
        #expect(lead.email == nil, "a cell of a no-break space is empty, not an address")
        #expect(lead.title == "CTO")
        #expect(lead.seniority == .cLevel)
        let again = try importer(store, .leads).run(path: scratch.file("again.csv", "external_id,name,email\nL1,Ada Lovelace,ada@analytical.org\n"))
        #expect((again.inserted, again.updated) == (0, 1), "the same lead")
        #expect(try store.lead(externalId: "L1")?.email == "ada@analytical.org")
    }

    /// What a prospect said is stored as said, without the line breaks a spreadsheet cell gathers
    /// at either end: as `log objection`, `handoff mcp` and a plugin's write store it.
    @Test func anObjectionsTextLosesTheLineBreaksAroundIt() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", "external_id,name\nL1,Ada Lovelace\n"))
        let csv = "external_id,lead,text\nO1,L1,\"\n  Too expensive,\nfor now\r\n\"\nO2,L1,\"\n\n\"\n"
        let summary = try importer(store, .objections).run(path: scratch.file("o.csv", csv))
        #expect(summary.inserted == 1)
        #expect(summary.rejected.map(\.reason) == ["no objection text"], "a cell of line breaks says nothing")
        let said = try store.objections(leadId: try store.lead(externalId: "L1")!.id, accountId: nil, limit: 10)
        #expect(said.map(\.text) == ["Too expensive,\nfor now"], "the break inside stays")
    }

    @Test func whitespaceAndNewlinesAreUnicodesWhiteSpace() {
        #expect("\u{2028} a\tb \r\n\u{3000}".trimmingWhitespaceAndNewlines() == "a\tb")
        #expect("\n\n".trimmingWhitespaceAndNewlines() == "")
        #expect("\u{200B}a\u{200B}".trimmingWhitespaceAndNewlines() == "\u{200B}a\u{200B}", "a zero-width space is no space")
    }
}
