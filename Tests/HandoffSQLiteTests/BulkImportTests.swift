import Foundation
import HandoffTestSupport
import GRDB
import Testing
import HandoffCore
@testable import HandoffSQLite

/// SQLite's bulk path: a big import sets the indexes of the tables it fills aside and rebuilds
/// them once; what a killed one leaves is rebuilt by the next open.
@Suite struct BulkImportTests {
    static let header = "external_id,name,email,title,company,employees,created_at,stage,outcome\n"

    /// The indexes and triggers of the database, with their definitions.
    static func indexes(_ store: SQLiteStore) throws -> [String: String] {
        try store.database.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
                SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL
                """).map { ($0[0] as String, $0[1] as String) })
        }
    }

    @Test func aBigImportRebuildsTheIndexesItSetAsideAndTheyAnswerQueries() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let before = try Self.indexes(store)
        var csv = "external_id,name,email,title,company,employees,created_at,stage,outcome,source\n"
        let sources = ["webinar", "Webinar", "", "paid"]
        for n in 0..<60_000 {
            csv += "B\(n),Lead \(n),lead\(n)@co\(n % 700).com,Director of IT,Co \(n % 700),\(10 + n % 90),2026-0\(1 + n % 9)-1\(n % 10),mql,open,\(sources[n % 4])\n"
        }
        let summary = try importer(store, .leads).run(path: scratch.file("big.csv", csv))
        #expect((summary.inserted, summary.rejected.count) == (60_000, 0))
        #expect(try Self.indexes(store) == before, "every index is back, as it was defined")
        let (waiting, integrity, byEmail, transitions) = try store.database.read { db in
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
        // The word indexes of lead and account names were rebuilt once, not kept row by row.
        #expect(try store.findLeads(matching: "59999", limit: 5, loose: true).map(\.externalId) == ["B59999"])
        #expect(try store.findAccounts(matching: "699", limit: 5, loose: true).map(\.name) == ["Co 699"])
        // So was the tally of leads by source.
        #expect(Set(try store.sources()) == ["paid", "Webinar", "webinar"])
        var paid = LeadQuery()
        paid.source = "paid"
        #expect(try store.countLeads(paid) == 15_000)

        // A small import into the big table keeps the indexes up as it goes.
        let small = try importer(store, .leads).run(path: scratch.file("small.csv", Self.header + "B1,Renamed,,,,,,sql,\n"))
        #expect((small.inserted, small.updated) == (0, 1))
        #expect(try Self.indexes(store) == before)
        #expect(try store.lead(externalId: "B1")?.name == "Renamed")
        #expect(try store.findLeads(matching: "Renamed", limit: 5, loose: true).map(\.externalId) == ["B1"], "the triggers are back")
        _ = try importer(store, .leads).run(path: scratch.file("new.csv", "external_id,name,source\nB60000,New,fair\n"))
        #expect(Set(try store.sources()) == ["fair", "paid", "Webinar", "webinar"], "the tally's triggers are back")
    }

    @Test func aBigObjectionsImportRebuildsTheDailyTallyOnceAndItCountsEveryObjection() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let before = try Self.indexes(store)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + "O1,Ada,ada@acme.com,,Acme,,2026-10-01,,\n"))
        var csv = "lead,text,theme,logged_by,at\n"
        let themes = ["price", "timing", "authority", "need"]
        for n in 0..<52_000 {
            csv += "O1,Objection \(n),\(themes[n % 4]),Rep \(n % 5),2026-0\(1 + n % 9)-1\(n % 10)T0\(n % 10):00:00Z\n"
        }
        let summary = try importer(store, .objections).run(path: scratch.file("o.csv", csv))
        #expect((summary.inserted, summary.rejected.count) == (52_000, 0))
        #expect(try Self.indexes(store) == before, "every index and trigger is back")
        let counts = try store.countObjections(from: .distantPast, to: .distantFuture, by: .rep, industry: nil)
        #expect(counts.reduce(0) { $0 + $1.count } == 52_000)
        #expect(counts.first { $0.theme == "price" && $0.segment == "Rep 0" }?.count == 2_600)
        // The tally goes on being kept by the triggers after the import.
        _ = try importer(store, .objections).run(path: scratch.file("one.csv", "lead,text,theme,logged_by,at\nO1,One more,price,Rep 0,2026-01-10T09:00:00Z\n"))
        #expect(try store.countObjections(from: .distantPast, to: .distantFuture, by: .rep, industry: nil)
            .first { $0.theme == "price" && $0.segment == "Rep 0" }?.count == 2_601)
    }

    @Test func indexesAKilledImportSetAsideAreRebuiltByTheNextOpen() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let before = try Self.indexes(store)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + "L1,Ada,ada@acme.com,,Acme,,2026-10-01,,\n"))
        // What a killed import leaves: an index dropped, its definition waiting, its process gone.
        try store.database.write { db in
            try db.execute(sql: "INSERT INTO deferred_indexes (name, sql, owner) VALUES ('leads_email', ?, ?)",
                           arguments: [before["leads_email"]!, Int64(Int32.max)])
            try db.execute(sql: "DROP INDEX leads_email")
        }
        #expect(try Self.indexes(store)["leads_email"] == nil)
        let reopened = try scratch.store()
        #expect(try Self.indexes(reopened) == before)
        #expect(try reopened.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM deferred_indexes") } == 0)
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

    @Test func aDryRunCountsWhatTheImportThenDoesAndLeavesEveryTableAsItWas() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + "L0,Ada Lovelace,ada@acme.com,,Acme,,2026-10-01,,\n"))
        _ = try importer(store, .events).run(path: scratch.file("e0.csv", "lead,kind,occurred_at\nL0,web_visit,2026-10-02T00:00:00Z\n"))
        // What a user can see of the stored data, derived tables and schema included.
        func snapshot() throws -> [String] {
            try store.database.read { db in
                try String.fetchAll(db, sql: "SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY name")
                    + String.fetchAll(db, sql: "SELECT source || ' ' || leads FROM lead_sources ORDER BY source")
                    + String.fetchAll(db, sql: "SELECT lead_id || ' ' || events FROM lead_activity ORDER BY lead_id")
                    + String.fetchAll(db, sql: "SELECT name FROM leads WHERE id IN (SELECT rowid FROM lead_name_words WHERE lead_name_words MATCH 'lovelace OR turing')")
                    + [String(try Int.fetchOne(db, sql: "SELECT count(*) FROM leads") ?? -1), String(try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? -1)]
            }
        }
        let before = try snapshot()
        var leads = Self.header + "L0,Ada Lovelace,ada@acme.com,CTO,Acme,,2026-10-01,,\n"
        for n in 1..<3_000 { leads += "L\(n),Alan Turing \(n),a\(n)@b.com,,Bletchley \(n % 40),,2026-10-01,,\n" }
        let leadFile = scratch.file("l2.csv", leads)
        var events = "lead,kind,occurred_at\nL0,web_visit,2026-10-02T00:00:00Z\n"
        for n in 0..<2_000 { events += "L0,demo_request,2026-10-03T\(String(format: "%02d:%02d", n / 60 % 24, n % 60)):00Z\n" }
        let eventFile = scratch.file("e.csv", events)

        let dryLeads = try importer(store, .leads, dryRun: true, batchSize: 1_000).run(path: leadFile)
        #expect(try snapshot() == before)
        let realLeads = try importer(store, .leads, batchSize: 1_000).run(path: leadFile)
        #expect((dryLeads.inserted, dryLeads.updated) == (realLeads.inserted, realLeads.updated))
        #expect((dryLeads.inserted, dryLeads.updated) == (2_999, 1))

        let afterLeads = try snapshot()
        let dryEvents = try importer(store, .events, dryRun: true).run(path: eventFile)
        #expect(try snapshot() == afterLeads)
        let realEvents = try importer(store, .events).run(path: eventFile)
        #expect((dryEvents.inserted, dryEvents.updated, dryEvents.unchanged) == (realEvents.inserted, realEvents.updated, realEvents.unchanged))
        #expect((dryEvents.inserted, dryEvents.updated, dryEvents.unchanged) == (1_440, 0, 561), "a repeated event counts as stored, unchanged")
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
        #expect((summary.inserted, summary.updated, summary.unchanged) == (58_999, 0, 1_000))
        #expect(try store.counts().events == 59_000)
        #expect(try Self.indexes(store) == before, "the unique index is back")
        #expect(try LeadActivityTests.stale(store) == 0)
        #expect(try LeadActivityTests.scanned(store) == LeadActivityTests.expected(store), "each lead's row was made again once")
        let again = try importer(store, .events).run(path: scratch.file("e.csv", events))
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 59_999))
        #expect(try store.counts().events == 59_000)
    }
}
