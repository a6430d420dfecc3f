import Foundation
import GRDB
import HandoffCore
import HandoffTestSupport
import Testing
@testable import HandoffSQLite

/// A released migration is never edited: the schema each one leaves behind, run in order on a new
/// file, is the one recorded in Fixtures/schema-history.txt when it was released. A new migration
/// is recorded by running this suite with HANDOFF_BLESS=1, which appends its section and never
/// rewrites one already there.
@Suite struct MigrationHistoryTests {
    static let history = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/schema-history.txt").path

    /// What each migration changes of the tables, indexes, triggers and views, in the words
    /// SQLite keeps: "+ index name: CREATE …" for one it makes or makes again differently,
    /// "- index name" for one it drops.
    static func schemaAfterEachMigration() throws -> [(migration: String, schema: String)] {
        let scratch = Scratch()
        let database = try DatabaseQueue(path: scratch.databasePath)
        var sections: [(String, String)] = []
        var before: [String: String] = [:]
        for step in Migrations.migrator.steps {
            try database.write { db in try step.migrate(db) }
            let rows = try database.read { db in
                try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
            }
            var after: [String: String] = [:]
            for row in rows {
                let sql: String? = row["sql"]
                after["\(row["type"] as String) \(row["name"] as String)"] = sql ?? "(made by SQLite)"
            }
            let made = after.keys.filter { before[$0] != after[$0] }.map { "+ \($0): \(after[$0]!)" }
            let dropped = before.keys.filter { after[$0] == nil }.map { "- \($0)" }
            sections.append((step.identifier, (made + dropped).sorted().joined(separator: "\n")))
            before = after
        }
        return sections
    }

    static func text(_ sections: [(migration: String, schema: String)]) -> String {
        sections.map { "== \($0.migration)\n\($0.schema)\n" }.joined(separator: "\n")
    }

    static func recorded() throws -> [(migration: String, schema: String)] {
        guard let text = try? String(contentsOfFile: history, encoding: .utf8) else { return [] }
        return text.components(separatedBy: "== ").dropFirst().map { section in
            let lines = section.split(separator: "\n", omittingEmptySubsequences: false)
            return (String(lines[0]), lines.dropFirst().joined(separator: "\n").trimmingCharacters(in: .newlines))
        }
    }

    @Test func eachReleasedMigrationLeavesTheSchemaItDidWhenReleased() throws {
        let now = try Self.schemaAfterEachMigration()
        var recorded = try Self.recorded()
        if ProcessInfo.processInfo.environment["HANDOFF_BLESS"] == "1", recorded.count < now.count {
            // Only what is new is written: a released migration's section is never rewritten.
            recorded += now[recorded.count...]
            try FileManager.default.createDirectory(
                atPath: (Self.history as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Self.text(recorded).write(toFile: Self.history, atomically: true, encoding: .utf8)
        }
        #expect(recorded.map(\.migration) == Array(now.map(\.migration).prefix(recorded.count)),
                "the migrations are not those recorded, in the same order: a released one was renamed, removed or moved")
        for (old, new) in zip(recorded, now) where old.migration == new.migration {
            #expect(old.schema == new.schema, "\(old.migration) now leaves another schema than when it was released: append a new migration instead")
        }
        #expect(recorded.count == now.count,
                "\(now.count - recorded.count) migration(s) not recorded yet: run this suite with HANDOFF_BLESS=1 to append them to \(Self.history)")
    }

    /// A file that v7's first text migrated (before 8d9a38f) lacks a trigger and holds rows filled
    /// without reading times as integers; v9 gives it both, and leaves every other file alone.
    @Test func aFileMigratedByTheFirstV7IsRepairedAndNoOtherIsTouched() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", "external_id,name\nL1,Ada Lovelace\n"))
        _ = try importer(store, .events).run(path: scratch.file("e.csv", """
            lead,kind,occurred_at
            L1,web_visit,2026-11-02T10:00:00Z
            L1,web_visit,2026-11-03T10:00:00Z
            """))
        let filled = try store.database.read { db in try String.fetchAll(db, sql: "SELECT events FROM lead_activity") }
        #expect(filled.count == 1)

        // As v7's first text left it: no trigger for INSERT OR REPLACE, and a row of its own fill.
        try store.database.write { db in
            try db.execute(sql: """
                DROP TRIGGER lead_activity_replace;
                UPDATE lead_activity SET events = 'as the first v7 filled it';
                DELETE FROM grdb_migrations WHERE identifier = 'v9-lead-activity-repair'
                """)
        }
        let repaired = try scratch.store()
        let (hasTrigger, rows) = try repaired.database.read { db in
            (try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'lead_activity_replace')") ?? false,
             try String.fetchAll(db, sql: "SELECT events FROM lead_activity"))
        }
        #expect(hasTrigger)
        #expect(rows == filled, "the rows are filled again as v7 fills them now")

        // A file v7 migrated as it stands has the trigger: v9 changes nothing in it.
        try repaired.database.write { db in
            try db.execute(sql: """
                UPDATE lead_activity SET events = 'left alone';
                DELETE FROM grdb_migrations WHERE identifier = 'v9-lead-activity-repair'
                """)
        }
        let untouched = try scratch.store()
        #expect(try untouched.database.read { db in try String.fetchAll(db, sql: "SELECT events FROM lead_activity") } == ["left alone"])
    }
}
