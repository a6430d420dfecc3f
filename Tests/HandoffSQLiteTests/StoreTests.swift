import Foundation
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
        let (tables, migrations, journal) = try store.pool.read { db in
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
        ])
        #expect(journal == "wal")
    }

    @Test func theLeadsColumnsAreWhereTheDecoderReadsThem() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let columns = try store.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(leads)").map { $0["name"] as String } }
        #expect(Array(columns.prefix(18)) == [
            "id", "external_id", "account_id", "name", "email", "title", "seniority", "source", "owner", "created_at", "stage",
            "outcome", "budget", "authority", "need", "timing", "notes", "attributes",
        ])
    }

    @Test func theColumnsAreWhereTheDecodersReadThem() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        func columns(_ table: String) throws -> [String] {
            try store.pool.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String } }
        }
        #expect(try columns("accounts") == ["id", "name", "name_key", "domain", "industry", "employees", "revenue_band", "country"])
        #expect(try columns("events") == ["id", "lead_id", "kind", "occurred_at", "detail"])
        #expect(try columns("transitions") == ["id", "lead_id", "from_stage", "to_stage", "at", "by", "reason"])
        #expect(try columns("rejections") == ["id", "lead_id", "at", "by", "by_rule", "reason_code", "note", "definition_version"])
        #expect(try Array(columns("objections").prefix(9)) == [
            "id", "external_id", "lead_id", "account_id", "text", "theme", "logged_by", "at", "deal_stage",
        ])
    }

    @Test func reopeningKeepsDataAndDoesNotMigrateAgain() throws {
        let scratch = Scratch()
        do {
            let store = try scratch.store()
            let csv = scratch.file("a.csv", "external_id,name,email\n1,Ada,ada@acme.com\n")
            _ = try importer(store, .leads).run(path: csv)
        }
        let store = try scratch.store()
        #expect(try store.counts().leads == 1)
        #expect(try store.lead(externalId: "1")?.name == "Ada")
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
        let plans = try store.pool.read { db in
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

    @Test func rejectingMovesTheLeadAndKeepsTheAuditTrail() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,email,stage\n1,Ada,ada@acme.com,mql\n"))
        let lead = try #require(try store.lead(externalId: "1"))
        let at = importTime.addingTimeInterval(3600)
        try store.move(StageTransition(leadId: lead.id!, from: .mql, to: .sal, at: at, by: "Dana", reason: "fits"))
        try store.reject(Rejection(leadId: lead.id!, at: at.addingTimeInterval(60), by: "Dana", reasonCode: "no_budget", note: "next year", definitionVersion: "7"))
        #expect(try store.lead(id: lead.id!)?.stage == .disqualified)
        let trail = try store.transitions(leadId: lead.id!)
        #expect(trail.map(\.to) == [.mql, .sal, .disqualified])
        #expect(trail.map(\.from) == [nil, .mql, .sal])
        #expect(trail.last?.by == "Dana")
        #expect(trail.last?.reason == "no_budget: next year")
        let rejection = try #require(try store.rejections(leadId: lead.id!).first)
        #expect(rejection.definitionVersion == "7")
        #expect(throws: NotFoundError.self) {
            try store.reject(Rejection(leadId: 999, at: at, by: "Dana", reasonCode: "x", definitionVersion: "7"))
        }
    }

    @Test func everyDefinitionVersionInForceIsRemembered() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        #expect(try store.lastDefinition() == nil)
        let first = DefaultDefinition.load()
        try store.remember(first, at: importTime)
        try store.remember(first, at: importTime.addingTimeInterval(10))
        var second = first
        second.version = "2"
        second.text = first.text.replacingOccurrences(of: "\"2026.11-1\"", with: "\"2\"")
        try store.remember(second, at: importTime.addingTimeInterval(20))
        #expect(try store.lastDefinition()?.text == second.text)
        #expect(try store.pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM definitions") } == 2)
    }

    @Test func aBrokenDefinitionFileLeavesThePreviousOneInForce() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let good = scratch.file("good.yaml", DefaultDefinition.yaml.replacingOccurrences(of: "\"2026.11-1\"", with: "\"team-3\""))
        let paths = Paths(environment: ["HOME": scratch.directory])
        let first = DefinitionInForce.choose(explicit: good, paths: paths, store: store, now: importTime)
        #expect(first.definition.version == "team-3")
        #expect(first.warning == nil)

        let broken = scratch.file("broken.yaml", DefaultDefinition.yaml.replacingOccurrences(of: "  mql: 60", with: "  mql: sixty"))
        let second = DefinitionInForce.choose(explicit: broken, paths: paths, store: store, now: importTime)
        #expect(second.definition.version == "team-3")
        let warning = try #require(second.warning)
        #expect(warning.contains("broken.yaml:"))
        #expect(warning.contains("thresholds.mql must be a number"))
        #expect(warning.contains("previous version team-3"))
    }

    @Test func twoSessionsWritingOneFileAtOnceBothLand() async throws {
        let scratch = Scratch()
        _ = try scratch.store()
        let path = scratch.databasePath
        let directory = scratch.directory
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let store = try SQLiteStore(path: path)
                    for batch in 0..<10 {
                        var rows = "external_id,name\n"
                        for n in 0..<200 { rows += "w\(writer)-\(batch)-\(n),Lead \(n)\n" }
                        let file = "\(directory)/w\(writer)-\(batch).csv"
                        _ = FileManager.default.createFile(atPath: file, contents: Data(rows.utf8))
                        let summary = try importer(store, .leads).run(path: file)
                        #expect(summary.inserted == 200)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try scratch.store().counts().leads == 4 * 10 * 200)
    }
}
