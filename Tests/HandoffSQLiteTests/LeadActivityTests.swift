import Foundation
import HandoffTestSupport
import GRDB
import Testing
import HandoffCore
@testable import HandoffSQLite

/// lead_activity holds each lead's events in one row for the definition report's scan: whatever
/// wrote the events, and whatever state that row is in, the scan must hand over exactly the events
/// the events table holds.
@Suite struct LeadActivityTests {
    static let kinds = ["demo_request", "web_visit", "webinar_attended", "a b\nc", "démo"]

    /// Three leads with an outcome and one without; events of scored kinds, of a kind the
    /// definition does not score, repeated times with different details, out of order. Then 200
    /// leads without events, so that a few stale leads leave the scan reading rows.
    func store(_ scratch: Scratch) throws -> SQLiteStore {
        let store = try scratch.store()
        let others = (1...200).map { "F\($0),Filler \($0),lost\n" }.joined()
        _ = try importer(store, .leads).run(path: scratch.file("leads.csv", """
            external_id,name,outcome
            L1,Ada Lovelace,won
            L2,Grace Hopper,lost
            L3,Alan Turing,won
            L4,Mary Jackson,

            """ + others))
        _ = try importer(store, .events).run(path: scratch.file("events.csv", """
            lead,kind,occurred_at,detail
            L1,web_visit,2026-10-05T10:00:00Z,/pricing
            L1,web_visit,2026-10-01T10:00:00Z,/home
            L1,web_visit,2026-10-01T10:00:00Z,/blog
            L1,demo_request,2026-10-03T09:00:00Z,
            L1,newsletter_open,2026-10-02T09:00:00Z,
            L2,webinar_attended,2026-09-01T15:00:00Z,Q3 webinar
            L4,demo_request,2026-10-07T09:00:00Z,
            """))
        return store
    }

    /// Per lead, per scored kind, the times the scan hands over, in its order.
    static func scanned(_ store: SQLiteStore, parts: Int = 3) throws -> [Int64: [Int32: [Int64]]] {
        var seen: [Int64: [Int32: [Int64]]] = [:]
        for part in 0..<parts {
            try store.scanLeads(outcomes: [.open, .won, .lost], fields: [], attributes: false, eventKinds: kinds, part: part, of: parts) { lead, events in
                #expect(seen[lead.id!] == nil, "lead \(lead.id!) scanned twice")
                seen[lead.id!] = Dictionary(grouping: events, by: \.kind).mapValues { $0.map(\.at) }
            }
        }
        return seen
    }

    /// The same from the events table itself, each kind oldest first.
    static func expected(_ store: SQLiteStore) throws -> [Int64: [Int32: [Int64]]] {
        let ids = try store.database.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM leads") }
        let events = try store.events(leadIds: ids)
        return Dictionary(uniqueKeysWithValues: ids.map { id in
            let scored = (events[id] ?? []).compactMap { event in
                kinds.firstIndex(of: event.kind).map { (kind: Int32($0), at: Int64(event.occurredAt.timeIntervalSince1970)) }
            }
            return (id, Dictionary(grouping: scored, by: \.kind).mapValues { $0.map(\.at).sorted() })
        })
    }

    static func stale(_ store: SQLiteStore) throws -> Int {
        try store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM lead_activity_stale") ?? -1 }
    }

    @Test func theScanHandsOverEveryLeadsEventsFromItsRow() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        #expect(try Self.stale(store) == 0, "the import batch brought the rows up to date")
        #expect(try store.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM lead_activity") } == 3)
        let expected = try Self.expected(store)
        let scoredEvents: Int = expected.values.flatMap(\.values).map(\.count).reduce(0, +)
        #expect(scoredEvents == 6)
        for parts in [1, 2, 5] { #expect(try Self.scanned(store, parts: parts) == expected) }
    }

    @Test func eventsWrittenByAnotherProgramAreReadFromTheEventsUntilHandoffWritesAgain() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        let l1 = try #require(try store.lead(externalId: "L1")?.id)
        let l3 = try #require(try store.lead(externalId: "L3")?.id)
        // As `sqlite3` would: rows the triggers see, odd kind names, an edit, a deletion.
        try store.database.write { db in
            try db.execute(sql: "INSERT INTO events (lead_id, kind, occurred_at) VALUES (?, 'a b\nc', 1790000000), (?, 'démo', 1790000100), (?, 'web_visit', 1780000000)",
                           arguments: [l3, l3, l1])
            try db.execute(sql: "UPDATE events SET occurred_at = occurred_at - 86400 WHERE lead_id = ? AND kind = 'demo_request'", arguments: [l1])
            try db.execute(sql: "DELETE FROM events WHERE lead_id = (SELECT id FROM leads WHERE external_id = 'L2')")
        }
        #expect(try Self.stale(store) == 3)
        let expected = try Self.expected(store)
        #expect(expected[l3]?.count == 2)
        #expect(try Self.scanned(store) == expected)

        // The next import batch brings their rows up to date, and the scan reads them.
        _ = try importer(store, .events).run(path: scratch.file("more.csv", "lead,kind,occurred_at\nL4,web_visit,2026-10-09T09:00:00Z\n"))
        #expect(try Self.stale(store) == 0)
        let refreshed = try Self.expected(store)
        #expect(try Self.scanned(store) == refreshed)
        let (rows, withEvents) = try store.database.read { db in
            (try Int64.fetchAll(db, sql: "SELECT lead_id FROM lead_activity ORDER BY lead_id"),
             try Int64.fetchAll(db, sql: "SELECT DISTINCT lead_id FROM events ORDER BY lead_id"))
        }
        #expect(rows == withEvents)
        #expect(!rows.contains(try #require(try store.lead(externalId: "L2")?.id)), "a lead whose events are all gone has no row")
    }

    @Test func aLeadThatIsNotMarkedIsReadFromItsRowAlone() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        let l2 = try #require(try store.lead(externalId: "L2")?.id)
        // A row that is well formed but says something else than the events: the scan believes the
        // row, which shows it did not read the events (the path the report's speed rests on).
        try store.database.write { db in
            try db.execute(sql: "UPDATE lead_activity SET events = '9 web_visit 1700000000,1700000500' WHERE lead_id = ?", arguments: [l2])
        }
        let scanned = try Self.scanned(store)
        #expect(scanned[l2] == [1: [1_700_000_000, 1_700_000_500]])
    }

    @Test func whatAnotherProgramStoresOddlyIsReadAsTheEventsReadIt() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        let (l1, l2, l3) = try (
            #require(try store.lead(externalId: "L1")?.id), #require(try store.lead(externalId: "L2")?.id),
            #require(try store.lead(externalId: "L3")?.id))
        try store.database.write { db in
            // A time stored as text that looks like a list, and a replace that takes over another
            // lead's event by its id (SQLite fires no delete trigger for it).
            try db.execute(sql: "INSERT INTO events (lead_id, kind, occurred_at) VALUES (?, 'web_visit', '1790000000,1790000001')", arguments: [l3])
            let taken = try Int64.fetchOne(db, sql: "SELECT id FROM events WHERE lead_id = ?", arguments: [l2])!
            try db.execute(sql: "INSERT OR REPLACE INTO events (id, lead_id, kind, occurred_at) VALUES (?, ?, 'demo_request', 1791000000)",
                           arguments: [taken, l1])
        }
        let expected = try Self.expected(store)
        #expect(expected[l3] == [1: [1_790_000_000]])
        #expect(expected[l2] == [:])
        #expect(try Self.scanned(store) == expected)
        // And once an import has brought the rows up to date.
        _ = try importer(store, .events).run(path: scratch.file("more.csv", "lead,kind,occurred_at\nL4,web_visit,2026-10-09T09:00:00Z\n"))
        #expect(try Self.stale(store) == 0)
        #expect(try Self.scanned(store) == Self.expected(store))
    }

    @Test func anEventsImportKilledWithTheRowsSetAsideIsFinishedByTheNextOpen() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        let before = try BulkImportTests.indexes(store)
        // What a killed big events import leaves: the triggers set aside by a process that is gone,
        // events written meanwhile, and no row for them.
        try store.database.write { db in
            for name in ["lead_activity_insert", "lead_activity_update", "lead_activity_delete", "lead_activity_replace"] {
                let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = ?", arguments: [name])!
                let rebuild: String? = name == "lead_activity_insert" ? "DELETE FROM lead_activity; DELETE FROM lead_activity_stale; " + Migrations.leadActivityFill() : nil
                try db.execute(sql: "INSERT INTO deferred_indexes (name, sql, dedupe, owner) VALUES (?, ?, ?, ?)",
                               arguments: [name, sql, rebuild, Int64(Int32.max)])
                try db.execute(sql: "DROP TRIGGER \(name)")
            }
            try db.execute(sql: "INSERT INTO events (lead_id, kind, occurred_at) SELECT id, 'demo_request', 1785000000 FROM leads")
        }
        #expect(try Self.stale(store) == 0)
        let reopened = try scratch.store()
        #expect(try BulkImportTests.indexes(reopened) == before, "the triggers are back")
        #expect(try reopened.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM deferred_indexes") } == 0)
        #expect(try reopened.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM lead_activity") } == 204)
        #expect(try Self.scanned(reopened) == Self.expected(reopened))
    }

    @Test func aRowNotInTheFormHandoffWritesIsReadFromTheEventsInstead() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        let expected = try Self.expected(store)
        for garbage in ["", "12 demo_request", "9 web_visit 1790000000,x", "99999999999999999999 a 1", "5 démo 1\n", "-3 a 1"] {
            try store.database.write { db in
                try db.execute(sql: "UPDATE lead_activity SET events = ? WHERE lead_id = (SELECT id FROM leads WHERE external_id = 'L1')", arguments: [garbage])
            }
            #expect(try Self.scanned(store) == expected, "row \(garbage.debugDescription)")
        }
    }

    @Test func whileABigImportHasSetTheRowsAsideTheScanReadsTheEvents() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        // What an events import leaves while it runs: the triggers set aside, events not yet in the rows.
        try store.database.write { db in
            let insert = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'lead_activity_insert'")!
            try db.execute(sql: "INSERT INTO deferred_indexes (name, sql, dedupe, owner) VALUES ('lead_activity_insert', ?, NULL, ?)",
                           arguments: [insert, Int64(getpid())])
            try db.execute(sql: "DROP TRIGGER lead_activity_insert")
            try db.execute(sql: "INSERT INTO events (lead_id, kind, occurred_at) SELECT id, 'webinar_attended', 1785000000 FROM leads")
        }
        #expect(try Self.stale(store) == 0)
        #expect(try Self.scanned(store) == Self.expected(store))
    }

    @Test func unorderedTimesAreSortedAndUnscoredKindsSkipped() {
        var kinds = EventKinds(["b", "x y"])
        var buffer = [ScannedEvent(kind: 9, at: 9)]
        let text = Array("1 a 5,4\n1 b 30,-20,10\n3 x y 7".utf8)
        let read = text.withUnsafeBufferPointer { ActivityText.read($0, kinds: &kinds, into: &buffer) }
        #expect(read)
        let pairs: [[Int64]] = buffer.map { [Int64($0.kind), $0.at] }
        #expect(pairs == [[9, 9], [0, -20], [0, 10], [0, 30], [1, 7]])
        for bad in ["1 b", "1 b 5,", "2 b 5", "1 b 5\n\n", "b 5"] {
            var untouched = [ScannedEvent(kind: 9, at: 9)]
            let ok = Array(bad.utf8).withUnsafeBufferPointer { ActivityText.read($0, kinds: &kinds, into: &untouched) }
            #expect(!ok, "\(bad.debugDescription)")
            #expect(untouched.map(\.at) == [9])
        }
    }

    @Test func aDatabaseFromBeforeV7GetsTheRowsFilledAndKeptUp() throws {
        let scratch = Scratch()
        let store = try store(scratch)
        let expected = try Self.expected(store)
        try store.database.write { db in
            try db.execute(sql: """
                DROP TRIGGER lead_activity_insert; DROP TRIGGER lead_activity_update; DROP TRIGGER lead_activity_delete;
                DROP TRIGGER lead_activity_replace;
                DROP TABLE lead_activity; DROP TABLE lead_activity_stale;
                DELETE FROM grdb_migrations WHERE identifier = 'v7-lead-activity';
                """)
        }
        let reopened = try scratch.store()
        #expect(try reopened.database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM lead_activity") } == 3)
        #expect(try Self.scanned(reopened) == expected)
        _ = try importer(reopened, .events).run(path: scratch.file("more.csv", "lead,kind,occurred_at\nL3,demo_request,2026-10-09T09:00:00Z\n"))
        #expect(try Self.scanned(reopened) == Self.expected(reopened))
        #expect(try Self.scanned(reopened) != expected)
    }
}
