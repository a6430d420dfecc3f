import Foundation
import HandoffTestSupport
import GRDB
import Testing
import HandoffCore
@testable import HandoffSQLite

/// The tables triggers keep beside the leads and objections (name words, daily objection tallies,
/// lead sources) must answer exactly what reading the rows themselves would.
@Suite struct DerivedTablesTests {
    static let header = "external_id,name,email,title,company,industry,source,created_at\n"

    func store(_ scratch: Scratch) throws -> SQLiteStore {
        let store = try scratch.store()
        let csv = scratch.file("leads.csv", Self.header + """
            L1,Ada Lovelace,ada@acme.com,VP Engineering,Acme Corp,Software,webinar,2026-10-01
            L2,Grace Brewster Hopper,grace@globex.com,Director of IT,Globex,Manufacturing,Webinar,2026-10-02
            L3,Alan Turing,alan@initech.com,Engineer,Initech,,referral,2026-10-03
            L4,Mary O'Brien-Smith,mary@initech.com,CFO,Initech,,,2026-10-04
            """)
        _ = try importer(store, .leads).run(path: csv)
        return store
    }

    @Test func objectionCountsFromTheDailyTallyMatchTheObjectionsThemselves() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        let leads = try ["L1", "L2", "L3"].map { try #require(try store.lead(externalId: $0)) }
        var random = SeededRandom(seed: 20_261_206)
        let start = Timestamp.parse("2026-09-01T00:00:00Z")!.timeIntervalSince1970
        var ids: [Int64] = []
        for _ in 0..<400 {
            let lead = leads.randomElement(using: &random)!
            ids.append(try store.log(Objection(
                leadId: lead.id, accountId: lead.accountId, text: "too dear", theme: ["price", "timing", "risk"].randomElement(using: &random)!,
                loggedBy: ["Dana", "Sam"].randomElement(using: &random)!,
                at: Date(timeIntervalSince1970: start + Double(Int.random(in: 0..<(86_400 * 60), using: &random))),
                dealStage: [nil, .sql, .opportunity].randomElement(using: &random)!)))
        }
        // Edits and deletions reach the tally too.
        try store.database.write { db in
            try db.execute(sql: "UPDATE objections SET theme = 'need', at = at + 4000 WHERE id IN (?, ?, ?)", arguments: [ids[0], ids[1], ids[2]])
            try db.execute(sql: "DELETE FROM objections WHERE id IN (?, ?)", arguments: [ids[3], ids[4]])
        }
        let periods: [(String, String)] = [
            ("2026-09-01T00:00:00Z", "2026-11-01T00:00:00Z"), ("2026-09-03T07:30:00Z", "2026-10-17T22:10:05Z"),
            ("2026-09-10T12:00:00Z", "2026-09-10T18:00:00Z"), ("2026-09-10T12:00:00Z", "2026-09-11T06:00:00Z"),
            ("2026-10-05T00:00:00Z", "2026-10-12T00:00:00Z"), ("2026-08-01T00:00:00Z", "2026-09-02T00:00:01Z"),
        ]
        for (from, to) in periods {
            let (start, end) = (Timestamp.parse(from)!, Timestamp.parse(to)!)
            let objections = try store.objections(from: start, to: end)
            let industries = try Dictionary(uniqueKeysWithValues: store.accounts().map { ($0.id!, $0.industry?.lowercased()) })
            for segment in [nil] + ObjectionSegment.allCases {
                for industry in [nil, "software", "Manufacturing"] as [String?] {
                    var expected: [String: Int] = [:]
                    for objection in objections {
                        let from = objection.accountId.flatMap { industries[$0] } ?? nil
                        if let industry, from != industry.lowercased() { continue }
                        let value: String? = switch segment {
                        case .industry: from
                        case .stage: objection.dealStage?.rawValue
                        case .rep: objection.loggedBy
                        case nil: nil
                        }
                        expected["\(objection.theme)|\(value ?? "-")", default: 0] += 1
                    }
                    let counted = try store.countObjections(from: start, to: end, by: segment, industry: industry)
                    let got = Dictionary(uniqueKeysWithValues: counted.map { ("\($0.theme)|\($0.segment ?? "-")", $0.count) })
                    #expect(got == expected, "\(from)..\(to) by \(segment?.rawValue ?? "nothing") in \(industry ?? "any industry")")
                }
            }
        }
    }

    @Test func aWordInsideANameFindsTheLeadAndFollowsRenamesAndDeletions() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        #expect(try store.findLeads(matching: "brewster", limit: 9, loose: true).map(\.externalId) == ["L2"])
        #expect(try store.findLeads(matching: "Brewster Hop", limit: 9, loose: true).map(\.externalId) == ["L2"])
        #expect(try store.findLeads(matching: "brewster", limit: 9, loose: false).isEmpty, "the word tier is the loose one")
        // LIKE '% smith%' does not match "O'Brien-Smith": the index narrows, LIKE decides, as before.
        #expect(try store.findLeads(matching: "smith", limit: 9, loose: true).isEmpty)
        #expect(try store.findLeads(matching: "o'brien", limit: 9, loose: true).map(\.externalId) == ["L4"])
        #expect(try store.findAccounts(matching: "corp", limit: 9, loose: true).map(\.name) == ["Acme Corp"])
        try store.database.write { db in
            try db.execute(sql: "UPDATE leads SET name = 'Grace Murray' WHERE external_id = 'L2'")
            try db.execute(sql: "DELETE FROM leads WHERE external_id = 'L1'")
        }
        #expect(try store.findLeads(matching: "brewster", limit: 9, loose: true).isEmpty)
        #expect(try store.findLeads(matching: "murray", limit: 9, loose: true).map(\.externalId) == ["L2"])
        #expect(try store.findLeads(matching: "lovelace", limit: 9, loose: true).isEmpty)
        #expect(try store.names(startingWith: "murr", limit: 9) == ["Grace Murray"])
    }

    @Test func sourcesFollowTheLeads() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        #expect(try store.sources() == ["referral", "webinar", "Webinar"] || store.sources() == ["referral", "Webinar", "webinar"])
        try store.database.write { db in
            try db.execute(sql: "UPDATE leads SET source = 'paid' WHERE external_id = 'L3'")
            try db.execute(sql: "DELETE FROM leads WHERE external_id = 'L2'")
        }
        #expect(try store.sources() == ["paid", "webinar"])
    }
}
