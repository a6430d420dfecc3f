import Foundation
import GRDB
import Testing
import HandoffCore
@testable import HandoffSQLite

@Suite struct ImportTests {
    static let header = "external_id,name,email,title,company,employees,created_at,stage,outcome\n"

    @Test func importsLeadsWithAccountsAndAnAuditTrail() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let csv = scratch.file("leads.csv", Self.header + """
            L1,Ada Lovelace,ada@acme.com,VP Engineering,Acme Corp,850,2026-10-01,mql,open
            L2,Grace Hopper,grace@acme.com,Director of IT,ACME corp ,,2026-10-02T09:00:00Z,,
            L3,Alan Turing,alan@initech.com,Engineer,Initech,120,10/03/2026,inquiry,lost
            """)
        let summary = try importer(store, .leads).run(path: csv)
        #expect((summary.read, summary.inserted, summary.updated, summary.rejected.count) == (3, 3, 0, 0))
        #expect(try store.counts().accounts == 2, "the account name matches whatever its case and spacing")
        let ada = try #require(try store.lead(externalId: "L1"))
        #expect(ada.seniority == .vp)
        #expect(ada.stage == .mql)
        #expect(Timestamp.isoDay(ada.createdAt) == "2026-10-01")
        let acme = try #require(try store.account(named: "acme corp"))
        #expect(acme.employees == 850)
        #expect(try store.lead(externalId: "L3")?.outcome == .lost)
        let trail = try store.transitions(leadId: ada.id!)
        #expect(trail.count == 1)
        #expect(trail[0].to == .mql)
        #expect(trail[0].by == "tester")
        #expect(trail[0].reason.contains("line 2"))
    }

    @Test func reImportingUpdatesInPlaceAndAddsNoDuplicates() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let first = scratch.file("a.csv", Self.header + "L1,Ada,ada@acme.com,VP Sales,Acme,850,2026-10-01,inquiry,open\n")
        _ = try importer(store, .leads).run(path: first)
        // The second export leaves the title blank and moves the stage: blanks keep what is stored.
        let second = scratch.file("b.csv", Self.header + """
            L1,Ada King,,,Acme,,,mql,
            L2,New Lead,new@acme.com,,,,,,
            """)
        let summary = try importer(store, .leads).run(path: second)
        #expect((summary.inserted, summary.updated) == (1, 1))
        let ada = try #require(try store.lead(externalId: "L1"))
        #expect(ada.name == "Ada King")
        #expect(ada.title == "VP Sales")
        #expect(ada.email == "ada@acme.com")
        #expect(ada.stage == .mql)
        #expect(try store.transitions(leadId: ada.id!).map(\.to) == [.inquiry, .mql])
        _ = try importer(store, .leads).run(path: second)
        #expect(try store.counts().leads == 2)
        #expect(try store.transitions(leadId: ada.id!).count == 2, "an unchanged stage records no transition")
    }

    @Test func badRowsAreReportedByLineWhileGoodRowsLandAndNothingStoredIsLost() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("seed.csv", Self.header + "KEEP,Kept Lead,kept@acme.com,CFO,Acme,850,2026-09-01,sql,open\n"))
        let before = try store.lead(externalId: "KEEP")

        var bytes = Array((Self.header + """
            G1,Good One,one@acme.com,,,,2026-10-01,,
            B2,Too Few,b2@acme.com
            B3,Bad Date,b3@acme.com,,,,2026-02-30,,
            B4,Bad Number,b4@acme.com,,Acme,lots,,,
            G5,Good Two,two@acme.com,,,,,,

            """).utf8)
        bytes += [0x0A]  // a blank line: skipped, but it still counts for line numbers
        bytes += Array("B7,Bad ".utf8) + [0xC3, 0x28] + Array(",b7@acme.com,,,,,,\n".utf8)
        bytes += Array("B8,\(String(repeating: "x", count: 1 << 20)),b8@acme.com,,,,,,\n".utf8)
        bytes += Array("B9,Bad Stage,b9@acme.com,,,,,negotiating,\n".utf8)
        bytes += Array("KEEP,,,,,,,,maybe\n".utf8)
        bytes += Array("G11,Good Three,three@acme.com,,,,,,\n".utf8)
        let summary = try importer(store, .leads).run(path: scratch.file("bad.csv", bytes: bytes))

        #expect(summary.read == 10)
        #expect(summary.inserted == 3)
        let problems = Dictionary(uniqueKeysWithValues: summary.rejected.map { ($0.line, $0.reason) })
        #expect(problems.keys.sorted() == [3, 4, 5, 8, 9, 10, 11])
        #expect(problems[3] == "expected 9 fields, found 3")
        #expect(problems[4]?.contains("created_at '2026-02-30' is not a date") == true)
        #expect(problems[5] == "employees 'lots' is not a whole number")
        #expect(problems[8] == "field 2 is not valid UTF-8 text")
        #expect(problems[9]?.contains("longer than 65536 bytes") == true)
        #expect(problems[10]?.contains("'negotiating' is not a stage") == true)
        #expect(problems[11] == "outcome 'maybe' is not won, lost or open")
        #expect(try store.lead(externalId: "KEEP") == before, "a rejected row leaves the stored lead untouched")
        #expect(try Set(store.leads(LeadQuery()).map(\.externalId)) == ["KEEP", "G1", "G5", "G11"])
    }

    @Test func anEmptyFileIsAnErrorAndAHeaderOnlyFileImportsNothing() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        do {
            _ = try importer(store, .leads).run(path: scratch.file("empty.csv", ""))
            Issue.record("an empty file imported")
        } catch {
            #expect("\(error)".hasSuffix("empty.csv:1: the file is empty: expected a header line"))
        }
        let summary = try importer(store, .leads).run(path: scratch.file("header.csv", Self.header))
        #expect(summary.read == 0)
        #expect(summary.notes.contains("the file has a header but no rows"))
        #expect(try store.counts().leads == 0)
    }

    @Test func aFileWithoutAKeyColumnIsRefusedBeforeAnyRow() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        #expect(throws: FileError.self) {
            try importer(store, .leads).run(path: scratch.file("nokey.csv", "name,title\nAda,CTO\n"))
        }
    }

    @Test func strictRefusesTheWholeFileOnOneBadRow() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let csv = scratch.file("strict.csv", Self.header + "G1,Good,g@acme.com,,,,,,\nB2,Bad,b@acme.com,,,,not-a-date,,\n")
        let summary = try importer(store, .leads, strict: true, batchSize: 1).run(path: csv)
        #expect(summary.refused)
        #expect(summary.rejected.map(\.line) == [3])
        #expect(summary.inserted == 0)
        #expect(try store.counts().leads == 0)
        let clean = scratch.file("clean.csv", Self.header + "G1,Good,g@acme.com,,,,,,\n")
        #expect(try importer(store, .leads, strict: true).run(path: clean).inserted == 1)
    }

    @Test func aDryRunCountsButWritesNothing() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let csv = scratch.file("dry.csv", Self.header + "G1,Good,g@acme.com,,Acme,10,,,\nG2,Two,t@acme.com,,,,,,\n")
        let summary = try importer(store, .leads, dryRun: true).run(path: csv)
        #expect((summary.read, summary.inserted, summary.dryRun) == (2, 2, true))
        #expect(try store.counts() == StoreCounts())
    }

    @Test func eventsFindTheirLeadByExternalIdOrEmailAndDoNotDuplicate() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + "L1,Ada,Ada@Acme.com,,,,,,\n"))
        let events = scratch.file("e.csv", """
            lead,email,kind,occurred_at,detail
            L1,,Webinar Attended,2026-11-01T15:00:00Z,Q4 launch
            ,ada@acme.com,pricing_page_visit,2026-11-02,/pricing
            NOPE,,web_visit,2026-11-02,/
            L1,,web_visit,,/
            """)
        let summary = try importer(store, .events).run(path: events)
        #expect(summary.inserted == 2)
        #expect(summary.rejected.map(\.line) == [4, 5])
        #expect(summary.rejected[0].reason.contains("no lead with external id 'NOPE'"))
        let stored = try store.events(leadId: try #require(try store.lead(externalId: "L1")?.id))
        #expect(stored.map(\.kind) == ["webinar_attended", "pricing_page_visit"])
        let again = try importer(store, .events).run(path: events)
        #expect(again.inserted == 0)
        #expect(try store.counts().events == 2)
    }

    @Test func objectionsAreClassifiedWhenNoThemeIsGivenAndUpsertOnReImport() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + "L1,Ada,ada@acme.com,,Acme Corp,,,,\n"))
        let csv = scratch.file("o.csv", """
            lead,account,text,theme,logged_by,at
            L1,,"It's too expensive for us",,Dana,2026-11-18T10:00:00Z
            ,Acme Corp,Legal won't accept the liability terms,contract,Sam,2026-11-19
            ,Globex,We went with another vendor,,Sam,2026-11-19
            """)
        let summary = try importer(store, .objections).run(path: csv)
        #expect(summary.inserted == 2)
        #expect(summary.rejected.map(\.reason) == ["no account named 'Globex'"])
        let stored = try store.objections(from: .distantPast, to: .distantFuture)
        #expect(stored.map(\.theme) == ["price", "contract"])
        #expect(stored[0].accountId != nil, "an objection from a lead belongs to the lead's account too")
        #expect(stored[0].loggedBy == "Dana")
        _ = try importer(store, .objections).run(path: csv)
        #expect(try store.counts().objections == 2)
    }

    @Test func hubSpotExportsImportWithThePresetDetected() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let csv = scratch.file("hubspot.csv", """
            Record ID,First Name,Last Name,Email,Job Title,Lifecycle Stage,Company Name,Number of Employees,Create Date,Original Source,Industry
            101,Ada,Lovelace,ada@acme.com,CTO,marketingqualifiedlead,Acme Corp,850,2026-09-14 10:22,Organic Search,Software
            102,Grace,Hopper,grace@globex.com,VP Ops,customer,Globex,"2,300",2026-08-01 08:00,Referrals,Manufacturing
            """)
        let summary = try importer(store, .leads).run(path: csv)
        #expect(summary.mapping == "hubspot preset")
        #expect(summary.inserted == 2)
        let ada = try #require(try store.lead(externalId: "101"))
        #expect(ada.name == "Ada Lovelace")
        #expect(ada.stage == .mql)
        #expect(ada.source == "web form")
        #expect(try store.lead(externalId: "102")?.stage == .won)
        #expect(try store.account(named: "Globex")?.employees == 2300)
        #expect(try store.account(named: "Globex")?.industry == "Manufacturing")
    }

    @Test func salesforceExportsImportWithThePreset() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let csv = scratch.file("sf.csv", """
            Lead ID,First Name,Last Name,Title,Company / Account,Email,Lead Source,Lead Owner,Create Date,Lead Status,Country
            00Q1,Alan,Turing,Head of Research,Initech,alan@initech.com,Web,Dana Reyes,2026-10-05,Working - Contacted,UK
            """)
        let summary = try importer(store, .leads, mapping: MappingPreset.salesforce.mapping).run(path: csv)
        #expect(summary.inserted == 1)
        let alan = try #require(try store.lead(externalId: "00Q1"))
        #expect(alan.stage == .sal)
        #expect(alan.owner == "Dana Reyes")
        #expect(alan.seniority == .director)
        #expect(try store.account(named: "Initech")?.country == "UK")
    }

    @Test func theXEducationExportImportsInFull() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let mapping = try Mapping.load(path: "\(repositoryRoot)/examples/x-education/mapping.yaml")
        let summary = try importer(store, .leads, mapping: mapping).run(path: xEducationCSV)
        #expect(summary.read == 9_240)
        #expect(summary.inserted == 9_240)
        #expect(summary.rejected.isEmpty)
        #expect(summary.notes.contains { $0.contains("9240 leads have no created date") })
        let (won, lost, notes, selects) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM leads WHERE outcome = 'won'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM leads WHERE outcome = 'lost'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM leads WHERE notes = 'Will revert after reading the email'")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM leads WHERE attributes LIKE '%\"Select\"%'")!)
        }
        #expect(won == 3_561, "Converted = 1 is the outcome")
        #expect(lost == 9_240 - 3_561)
        #expect(notes == 2_072, "Tags are kept as the sales notes")
        #expect(selects == 0, "Select is treated as empty")
        let first = try #require(try store.lead(externalId: "7927b2df-8bba-4d29-b9a2-b6e0beafe620"))
        #expect(first.name == "Lead 660737")
        #expect(first.source == "Olark Chat")
        #expect(first.attributes["origin"] == "API")
        #expect(first.attributes["occupation"] == "Unemployed")
        #expect(first.attributes["Specialization"] == nil, "Select in Specialization is empty")
        #expect(first.notes == "Interested in other courses")
        let again = try importer(store, .leads, mapping: mapping).run(path: xEducationCSV)
        #expect((again.inserted, again.updated) == (0, 9_240))
        #expect(try store.counts().leads == 9_240)
    }

    /// The indexes of the tables an import fills, with their definitions.
    static func indexes(_ store: SQLiteStore) throws -> [String: String] {
        try store.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                """).map { ($0[0] as String, $0[1] as String) })
        }
    }

    @Test func aBigImportRebuildsTheIndexesItSetAsideAndTheyAnswerQueries() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let before = try Self.indexes(store)
        var csv = Self.header
        for n in 0..<60_000 {
            csv += "B\(n),Lead \(n),lead\(n)@co\(n % 700).com,Director of IT,Co \(n % 700),\(10 + n % 90),2026-0\(1 + n % 9)-1\(n % 10),mql,open\n"
        }
        let summary = try importer(store, .leads).run(path: scratch.file("big.csv", csv))
        #expect((summary.inserted, summary.rejected.count) == (60_000, 0))
        #expect(try Self.indexes(store) == before, "every index is back, as it was defined")
        let (waiting, integrity, byEmail, transitions) = try store.pool.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM deferred_indexes")!,
             try String.fetchOne(db, sql: "PRAGMA integrity_check")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM leads WHERE email = 'LEAD59999@co499.com' COLLATE NOCASE")!,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM transitions WHERE to_stage = 'mql'")!)
        }
        #expect(waiting == 0)
        #expect(integrity == "ok", "the rebuilt indexes hold every row")
        #expect(byEmail == 1)
        #expect(transitions == 60_000)
        #expect(try store.counts().accounts == 700)

        // A small import into the big table keeps the indexes up as it goes.
        let small = try importer(store, .leads).run(path: scratch.file("small.csv", Self.header + "B1,Renamed,,,,,,sql,\n"))
        #expect((small.inserted, small.updated) == (0, 1))
        #expect(try Self.indexes(store) == before)
        #expect(try store.lead(externalId: "B1")?.name == "Renamed")
    }

    @Test func indexesAKilledImportSetAsideAreRebuiltByTheNextOpen() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let before = try Self.indexes(store)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + "L1,Ada,ada@acme.com,,Acme,,2026-10-01,,\n"))
        // What a killed import leaves: an index dropped, its definition waiting, its process gone.
        try store.pool.write { db in
            try db.execute(sql: "INSERT INTO deferred_indexes (name, sql, owner) VALUES ('leads_email', ?, ?)",
                           arguments: [before["leads_email"]!, Int64(Int32.max)])
            try db.execute(sql: "DROP INDEX leads_email")
        }
        #expect(try Self.indexes(store)["leads_email"] == nil)
        let reopened = try scratch.store()
        #expect(try Self.indexes(reopened) == before)
        #expect(try reopened.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM deferred_indexes") } == 0)
        #expect(try reopened.findLeads(matching: "ada@acme.com", limit: 5, loose: false).map(\.externalId) == ["L1"])
    }

    @Test func aDryRunOfABigFileLeavesTheIndexesAlone() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let before = try Self.indexes(store)
        var csv = Self.header
        for n in 0..<55_000 { csv += "D\(n),Lead \(n),,,,,,,\n" }
        let summary = try importer(store, .leads, dryRun: true).run(path: scratch.file("dry.csv", csv))
        #expect(summary.inserted == 55_000)
        #expect(try Self.indexes(store) == before)
        #expect(try store.counts().leads == 0)
    }

    @Test func aBigEventsImportStillKeepsEachEventOnceAndCountsRepeatsAsStored() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let before = try Self.indexes(store)
        var leads = Self.header
        for n in 0..<100 { leads += "E\(n),Lead \(n),,,,,,,\n" }
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", leads))
        // One event already stored; the file repeats it, and repeats 999 of its own rows.
        _ = try importer(store, .events).run(path: scratch.file("one.csv", "lead,kind,occurred_at,detail\nE0,web_visit,2026-01-01T00:00:00Z,/0\n"))
        var events = "lead,kind,occurred_at,detail\n"
        for n in 0..<59_000 {
            events += "E\(n % 100),web_visit,2026-01-01T\(String(format: "%02d:%02d:%02d", n / 3600 % 24, n / 60 % 60, n % 60))Z,/\(n / 86_400)\n"
        }
        for n in 0..<999 { events += "E\(n % 100),web_visit,2026-01-01T\(String(format: "%02d:%02d:%02d", n / 3600 % 24, n / 60 % 60, n % 60))Z,/0\n" }
        let summary = try importer(store, .events).run(path: scratch.file("e.csv", events))
        #expect(summary.read == 59_999)
        #expect((summary.inserted, summary.updated) == (58_999, 1_000))
        #expect(try store.counts().events == 59_000)
        #expect(try Self.indexes(store) == before, "the unique index is back")
        let again = try importer(store, .events).run(path: scratch.file("e.csv", events))
        #expect((again.inserted, again.updated) == (0, 59_999))
        #expect(try store.counts().events == 59_000)
    }
}
