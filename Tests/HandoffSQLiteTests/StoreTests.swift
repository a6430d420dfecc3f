import Foundation
import HandoffTestSupport
import GRDB
import Testing
import HandoffCore
@testable import HandoffSQLite

@Suite struct StoreTests {
    @Test func aFreshFileIsCreatedAndMigratedOnFirstOpen() throws {
        let scratch = Scratch()
        let nested = "\(scratch.directory)/a/b/handoff.sqlite"
        let store = try SQLiteStore(path: nested)
        #expect(FileManager.default.fileExists(atPath: nested))
        #expect(try store.counts() == StoreCounts())
        let (tables, migrations, journal) = try store.database.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"),
             try String.fetchOne(db, sql: "PRAGMA journal_mode"))
        }
        for table in ["accounts", "leads", "events", "transitions", "rejections", "objections", "briefs", "brief_objections", "definitions"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        #expect(migrations == [
            "v1-lead-model", "v2-objection-tally-index", "v3-objection-industry", "v4-lead-name-words", "v4-objection-days",
            "v4-account-name-words", "v4-leads-source-stage", "v4-lead-sources", "v4-transitions-stage", "v5-deferred-indexes",
            "v6-name-words-without-sizes", "v7-lead-activity", "v8-objection-changes", "v9-lead-activity-repair", "v10-objection-confidence", "v11-theme-answers", "v12-after-contact-fields", "v13-definitions-in-force",
        ])
        #expect(journal == "wal")
    }

    @Test func openingChecksTheMigrationsAndAppliesAMissingOne() throws {
        let scratch = Scratch()
        let fresh = try DatabaseQueue(path: scratch.databasePath)
        #expect(try fresh.read(Migrations.areApplied) == false, "a new file has no migrations table")
        try fresh.close()
        let store = try scratch.store()
        #expect(try store.database.read(Migrations.areApplied))
        // One taken away is seen, and applied again by the next open.
        try store.database.write { db in
            try db.execute(sql: """
                DROP TABLE lead_activity; DROP TABLE lead_activity_stale;
                DROP TRIGGER lead_activity_insert; DROP TRIGGER lead_activity_delete;
                DROP TRIGGER lead_activity_update; DROP TRIGGER lead_activity_replace;
                DELETE FROM grdb_migrations WHERE identifier = 'v7-lead-activity'
                """)
        }
        #expect(try store.database.read(Migrations.areApplied) == false)
        let reopened = try scratch.store()
        #expect(try reopened.database.read(Migrations.areApplied))
        #expect(try reopened.database.read { db in try db.tableExists("lead_activity_stale") })
        // A file a newer Handoff migrated further is refused: this build would misread its schema.
        try reopened.database.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-from-the-future')") }
        do {
            _ = try scratch.store()
            Issue.record("a newer database was opened")
        } catch let error as StoreError {
            #expect(error.message == "this database was written by a newer Handoff: \(scratch.databasePath) has the migration 'v99-from-the-future', which this version does not know")
            #expect(error.hint == "run the newer Handoff on it, or choose another database with --db; this version would misread it")
        }
    }

    @Test func aDatabaseFromBeforeV6GetsItsWordIndexesMadeAgainAndTheyStillFindNames() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", """
            external_id,name,company
            L1,Ada Lovelace,Analytical Engines
            L2,Grace Hopper,Navy Labs
            """))
        // The word indexes as v4 made them (with FTS5's table of sizes), and v6 not yet applied.
        try store.database.write { db in
            try db.execute(sql: """
                DROP TABLE lead_name_words;
                CREATE VIRTUAL TABLE lead_name_words USING fts5(name, content='leads', content_rowid='id');
                INSERT INTO lead_name_words (lead_name_words) VALUES ('rebuild');
                DROP TABLE account_name_words;
                CREATE VIRTUAL TABLE account_name_words USING fts5(name_key, content='accounts', content_rowid='id');
                INSERT INTO account_name_words (account_name_words) VALUES ('rebuild');
                DELETE FROM grdb_migrations WHERE identifier = 'v6-name-words-without-sizes';
                """)
        }
        let reopened = try scratch.store()
        let sizeTables = try reopened.database.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE '%name_words_docsize'")
        }
        #expect(sizeTables.isEmpty)
        #expect(try reopened.findLeads(matching: "Hopper", limit: 5, loose: true).map(\.externalId) == ["L2"])
        #expect(try reopened.findAccounts(matching: "Engines", limit: 5, loose: true).map(\.name) == ["Analytical Engines"])
        // And the triggers go on keeping them.
        _ = try importer(reopened, .leads).run(path: scratch.file("m.csv", "external_id,name,company\nL3,Katherine Johnson,Langley Works\n"))
        #expect(try reopened.findLeads(matching: "Johnson", limit: 5, loose: true).map(\.externalId) == ["L3"])
        #expect(try reopened.findAccounts(matching: "Works", limit: 5, loose: true).map(\.name) == ["Langley Works"])
    }

    @Test func theLeadsColumnsAreWhereTheDecoderReadsThem() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let columns = try store.database.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(leads)").map { $0["name"] as String } }
        #expect(Array(columns.prefix(18)) == [
            "id", "external_id", "account_id", "name", "email", "title", "seniority", "source", "owner", "created_at", "stage",
            "outcome", "budget", "authority", "need", "timing", "notes", "attributes",
        ])
    }

    @Test func theColumnsAreWhereTheDecodersReadThem() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        func columns(_ table: String) throws -> [String] {
            try store.database.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String } }
        }
        #expect(try columns("accounts") == ["id", "name", "name_key", "domain", "industry", "employees", "revenue_band", "country"])
        #expect(try columns("events") == ["id", "lead_id", "kind", "occurred_at", "detail"])
        #expect(try columns("transitions") == ["id", "lead_id", "from_stage", "to_stage", "at", "by", "reason"])
        #expect(try columns("rejections") == ["id", "lead_id", "at", "by", "by_rule", "reason_code", "note", "definition_version"])
        #expect(try Array(columns("objections").prefix(9)) == [
            "id", "external_id", "lead_id", "account_id", "text", "theme", "logged_by", "at", "deal_stage",
        ])
    }

    @Test func aFileThatIsNotADatabaseIsRefusedClearly() throws {
        let scratch = Scratch()
        let path = scratch.file("notes.sqlite", String(repeating: "not a database\n", count: 200))
        do {
            _ = try SQLiteStore(path: path)
            Issue.record("opened a text file as a database")
        } catch let error as StoreError {
            #expect(error.message.contains(path))
            #expect(error.hint?.contains("--db") == true)
        }
    }

    @Test func queriesForTheQuestionsTheProductAsksUseIndexes() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let plans = try store.database.read { db in
            try [
                "SELECT * FROM leads WHERE external_id = 'x'",
                "SELECT * FROM leads WHERE email = 'x' COLLATE NOCASE",
                "SELECT * FROM leads WHERE name = 'x' COLLATE NOCASE",
                "SELECT * FROM events WHERE lead_id = 1 ORDER BY occurred_at",
                "SELECT * FROM objections WHERE at >= 0 AND at < 10",
                "SELECT * FROM objections WHERE theme = 'price' AND at >= 0",
            ].map { sql in try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ") }
        }
        for plan in plans { #expect(plan.contains("USING"), "not indexed: \(plan)") }
    }

    /// The last connection to close empties the WAL: a full one is read back by every later start.
    @Test func closingEmptiesTheWriteAheadLogEvenAfterAScan() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        var rows = "external_id,name\n"
        for n in 0..<500 { rows += "L\(n),Lead \(n)\n" }
        _ = try importer(store, .leads).run(path: scratch.file("leads.csv", rows))
        // The read-only connections a scan (the definition report) opens.
        #expect(try store.scanRead { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM leads") } == 500)
        let wal = scratch.databasePath + "-wal"
        #expect(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int ?? 0 > 0)
        store.close()
        #expect(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int == 0)
        #expect(try scratch.store().counts().leads == 500)
    }

    /// What the contract suite cannot see: a version remembered twice is stored once.
    @Test func aDefinitionRememberedAgainIsStoredOnce() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let definition = DefaultDefinition.load()
        try store.remember(definition, at: importTime, by: "dana")
        try store.remember(definition, at: importTime.addingTimeInterval(10), by: "dana")
        #expect(try store.database.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM definitions") } == 1)
    }
}
