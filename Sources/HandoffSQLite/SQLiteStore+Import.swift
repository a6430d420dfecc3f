import Foundation
import GRDB
public import HandoffCore
import HandoffStoreSQL
import Synchronization

extension SQLiteStore {
    /// Pages SQLite may keep in memory while importing (KiB), against the default 2 MiB: the
    /// accounts and the unique keys an import looks rows up by stay in memory. It is a ceiling, not
    /// an allocation, and keeps the import within its memory budget (150 MB peak at any size).
    static let importCacheKiB = 32_768

    /// The page cache while rebuilding indexes (KiB); SQLite's sorter takes as much again.
    static let rebuildCacheKiB = 16_384

    /// Below this many rows an import maintains the indexes as it goes: a rebuild sorts the whole table.
    static let bulkImportMinimum = 50_000

    /// WAL pages a big import lets pile up before copying them into the database (64 MB), and
    /// what the store's connection keeps otherwise (SQLite's default, 4 MB).
    static let bulkCheckpointPages = 16_384
    static let checkpointPages = 1_000

    /// The tables whose secondary indexes an import of `kind` may rebuild rather than maintain.
    private static func tables(filledBy kind: ImportKind) -> [String] {
        switch kind {
        case .leads: ["leads", "transitions"]
        case .events: ["events"]
        case .objections: ["objections"]
        }
    }

    /// Indexes new rows extend at their end (a new lead's id is the largest, so its transitions
    /// sort last): kept up as the import goes, since that costs less than rebuilding them.
    private static let appendOnlyIndexes = ["transitions_lead_time"]

    /// Unique indexes an import may set aside too, with the statement that keeps the first of the
    /// rows that repeat a key (as `INSERT … ON CONFLICT DO NOTHING` would have) before rebuilding.
    private static let dedupedIndexes = [
        "events_unique": """
            DELETE FROM events WHERE id IN (SELECT id FROM (
                SELECT id, row_number() OVER (PARTITION BY lead_id, kind, occurred_at, detail ORDER BY id) AS n FROM events
            ) WHERE n > 1)
            """,
    ]

    /// Triggers that keep a derived table in step row by row, which a big import of `kind` sets
    /// aside with the indexes, by name, with the statement that rebuilds their table once at the
    /// end (run before the trigger is made again; nil for a table's other triggers). Row by row,
    /// FTS5 merges the lead-name word index's segments at every commit, several times what one
    /// rebuild costs.
    private static func derivedTriggers(filledBy kind: ImportKind) -> [String: String?] {
        switch kind {
        case .leads: [
            "lead_name_words_insert": wordsRebuild("lead_name_words", column: "name", table: "leads"),
            "lead_name_words_update": nil, "lead_name_words_delete": nil,
            "account_name_words_insert": wordsRebuild("account_name_words", column: "name_key", table: "accounts"),
            "account_name_words_update": nil, "account_name_words_delete": nil,
            "lead_sources_insert": "DELETE FROM lead_sources; " + Migrations.leadSourcesFill,
            "lead_sources_update": nil, "lead_sources_delete": nil,
        ]
        case .events: [
            "lead_activity_insert": "DELETE FROM lead_activity; DELETE FROM lead_activity_stale; " + Migrations.leadActivityFill(),
            "lead_activity_update": nil, "lead_activity_delete": nil, "lead_activity_replace": nil,
        ]
        case .objections: [
            "objection_days_insert": "DELETE FROM objection_days; " + Migrations.objectionDaysFill,
            "objection_days_update": nil, "objection_days_delete": nil,
        ]
        }
    }

    /// Empties a word index and fills it again from its table.
    private static func wordsRebuild(_ words: String, column: String, table: String) -> String {
        "INSERT INTO \(words) (\(words)) VALUES ('delete-all'); " + Migrations.nameWordsFill(words, column: column, table: table)
    }

    /// Drops the non-unique indexes of the tables the import fills when the file is at least as big
    /// as what they hold, and the triggers of their derived tables, recording their definitions in
    /// `deferred_indexes` in the same transaction. Unique indexes stay: the upserts find stored
    /// rows through them.
    public func prepareImport(of kind: ImportKind, expectedRows: Int) throws {
        let bulk = try write { db in
            guard expectedRows >= max(Self.bulkImportMinimum, try Self.storedRows(filledBy: kind, db)) else { return false }
            func setAside(_ type: String, _ name: String, _ sql: String, then prepare: String?) throws {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO deferred_indexes (name, sql, dedupe, owner) VALUES (?, ?, ?, ?)",
                    arguments: [name, sql, prepare, Int64(getpid())])
                try db.execute(sql: "DROP \(type) \(name.quotedDatabaseIdentifier)")
            }
            for index in try Self.indexesSetAside(by: kind, uniqueToo: true, db) {
                try setAside("INDEX", index.name, index.sql, then: Self.dedupedIndexes[index.name])
            }
            for trigger in try Self.triggersSetAside(by: kind, db) {
                try setAside("TRIGGER", trigger.name, trigger.sql, then: trigger.rebuild)
            }
            return true
        }
        // Copying the WAL into the file every 4 MB syncs the disk twice each time: a big import
        // lets 64 MB pile up, until `finishImport`.
        if bulk { try connection { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.bulkCheckpointPages)") } }
    }

    /// About how many rows the main table an import of `kind` fills holds (its largest rowid).
    private static func storedRows(filledBy kind: ImportKind, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT ifnull(max(rowid), 0) FROM \(tables(filledBy: kind)[0])") ?? 0
    }

    /// The indexes a big import of `kind` sets aside: the non-unique ones of the tables it fills
    /// and, with `uniqueToo`, the unique ones it can make again after removing repeats.
    private static func indexesSetAside(by kind: ImportKind, uniqueToo: Bool, _ db: Database) throws -> [(name: String, sql: String)] {
        let unique = uniqueToo ? dedupedIndexes.keys.map { "'\($0)'" }.joined(separator: ", ") : ""
        return try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master
            WHERE type = 'index' AND sql IS NOT NULL
              AND (sql NOT LIKE 'CREATE UNIQUE%' OR name IN (\(unique)))
              AND name NOT IN (\(appendOnlyIndexes.map { "'\($0)'" }.joined(separator: ", ")))
              AND tbl_name IN (\(tables(filledBy: kind).map { "'\($0)'" }.joined(separator: ", ")))
            """).map { ($0[0], $0[1]) }
    }

    /// The triggers of derived tables a big import of `kind` sets aside, with the statement that
    /// rebuilds each one's table (nil for a table's other triggers).
    private static func triggersSetAside(by kind: ImportKind, _ db: Database) throws -> [(name: String, sql: String, rebuild: String?)] {
        let rebuilds = derivedTriggers(filledBy: kind)
        return try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").compactMap { row in
            let name: String = row[0]
            guard let rebuild = rebuilds[name] else { return nil }
            return (name, row[1], rebuild)
        }
    }

    /// A dry run's batch is rolled back, so keeping derived tables and query indexes up to date as
    /// it writes is wasted: inside its transaction the derived tables' triggers are dropped, and the
    /// non-unique indexes too when the table is small enough for dropping them to cost nothing
    /// (dropping an index frees its every page). The rollback puts them back. Unique indexes stay:
    /// the counts of inserted and updated rows come from them.
    private static func setAsideForDryRun(_ kind: ImportKind, _ db: Database) throws {
        if try storedRows(filledBy: kind, db) < bulkImportMinimum {
            for index in try indexesSetAside(by: kind, uniqueToo: false, db) { try db.execute(sql: "DROP INDEX \(index.name.quotedDatabaseIdentifier)") }
        }
        for trigger in try triggersSetAside(by: kind, db) { try db.execute(sql: "DROP TRIGGER \(trigger.name.quotedDatabaseIdentifier)") }
    }

    public func finishImport(of kind: ImportKind) throws -> Int {
        defer { try? connection { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.checkpointPages)") } }
        return try restoreDeferredIndexes { $0 == Int64(getpid()) }
    }

    /// Rebuilds the indexes an import set aside and did not live to restore (it was killed).
    func restoreOrphanedIndexes() throws {
        let owners = try database.read { db in try Int64.fetchAll(db, sql: "SELECT owner FROM deferred_indexes") }
        guard !owners.isEmpty else { return }
        _ = try restoreDeferredIndexes { owner in owner != Int64(getpid()) && !Self.processIsAlive(owner) }
    }

    /// Rebuilds the set-aside indexes `belongs` picks by owner; returns the rows removed for
    /// repeating a unique key.
    private func restoreDeferredIndexes(where belongs: (Int64) -> Bool) throws -> Int {
        try write { db in
            // In the order they were set aside: indexes (duplicates removed) before the tables
            // triggers keep are rebuilt from what they index.
            let waiting = try Row.fetchAll(db, sql: "SELECT name, sql, dedupe, owner FROM deferred_indexes ORDER BY rowid")
            guard waiting.contains(where: { belongs($0[3]) }) else { return 0 }
            // Building an index sorts the table's keys: a sorter thread per core, and a page cache
            // small enough that cache and sorter together stay within the import's memory budget.
            try db.execute(sql: "PRAGMA threads = \(max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))")
            try db.execute(sql: "PRAGMA cache_size = -\(Self.rebuildCacheKiB)")
            var removed = 0
            for row in waiting where belongs(row[3]) {
                let name: String = row[0]
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM sqlite_master WHERE name = ?", arguments: [name]) ?? false
                if !exists {
                    // Before an index: remove the rows that repeat its key. Before a trigger:
                    // rebuild the table it keeps.
                    if let prepare: String = row[2] {
                        try db.execute(sql: prepare)
                        if Self.dedupedIndexes[name] != nil { removed += db.changesCount }
                    }
                    try db.execute(sql: row[1])
                }
                try db.execute(sql: "DELETE FROM deferred_indexes WHERE name = ?", arguments: [name])
            }
            return removed
        }
    }

    private static func processIsAlive(_ pid: Int64) -> Bool {
        guard pid > 0, pid <= Int64(Int32.max) else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    public func apply(_ batch: ImportBatch, dryRun: Bool) throws -> BatchOutcome {
        do {
            return try connection { db in
                try db.execute(sql: "PRAGMA cache_size = -\(Self.importCacheKiB)")
                // Every id the writer stores it has just read or inserted in this transaction, so
                // SQLite's foreign-key probes (two per lead) would only repeat its work.
                let checksKeys = try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
                if checksKeys { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
                defer { if checksKeys { try? db.execute(sql: "PRAGMA foreign_keys = ON") } }
                // Each upsert that fires triggers keeps the pages it changes in a statement journal,
                // to undo that statement alone; past 64 KiB SQLite spilled it to a temporary file,
                // two dozen writes a row. In memory it lasts one statement.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                defer { try? db.execute(sql: "PRAGMA temp_store = DEFAULT") }
                var outcome = BatchOutcome()
                // Taken for the batch: a batch that fails or is rolled back leaves none behind.
                var accounts = importMemos.take(batch.pass)
                try db.inTransaction(.immediate) {
                    if dryRun, let kind = batch.records.first?.importKind { try Self.setAsideForDryRun(kind, db) }
                    var writer = BatchWriter(db: db, batch: batch, accounts: try AccountMemo.current(accounts, db: db))
                    for record in batch.records {
                        do {
                            try writer.write(record, into: &outcome)
                        } catch let problem as RowProblem {
                            outcome.rejected.append(problem)
                        }
                    }
                    accounts = writer.accounts
                    if dryRun { return .rollback }
                    if try Bool.fetchOne(db, sql: Migrations.leadActivityNeedsRefresh) == true {
                        try db.execute(sql: Migrations.leadActivityRefresh)
                    }
                    return .commit
                }
                if !dryRun, let accounts { importMemos.keep(accounts, for: batch.pass) }
                return outcome
            }
        } catch let error as DatabaseError {
            throw StoreError("the import into \(location) failed and nothing of this batch was written: \(error.message ?? "\(error.resultCode)")")
        }
    }
}

/// The accounts one pass over a file has looked up or created, as the file spells them, kept from
/// batch to batch: a million leads name their hundred thousand accounts again and
/// again, and a batch of 5,000 found few of them in its own memory. With each, the hash of the last
/// row that was checked against it: a row that repeats it has nothing new to say, and any other row
/// is checked against what is stored (in memory only an id and a number per account).
struct AccountMemo: Sendable {
    /// SQLite's count of commits by other connections when the memo was made: when another one has
    /// written since, what the memo holds may no longer be true.
    let dataVersion: Int64
    var idsBySpelling: [String: Int64] = [:]
    var lastRows: [Int64: Int] = [:]
    /// Entries kept before the memo starts again, so memory stays bounded whatever the file's size.
    static let capacity = 131_072

    /// `kept` if no other connection has written since it was made, else an empty memo; called
    /// inside the batch's transaction.
    static func current(_ kept: AccountMemo?, db: Database) throws -> AccountMemo {
        let version = try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        if let kept, kept.dataVersion == version { return kept }
        return AccountMemo(dataVersion: version)
    }

    /// The account `row` names if the last row checked against it was the same.
    func known(_ row: AccountRecord, hash: Int) -> Int64? {
        guard let id = idsBySpelling[row.name], lastRows[id] == hash else { return nil }
        return id
    }

    mutating func remember(_ id: Int64, row: AccountRecord, hash: Int) {
        if idsBySpelling.count >= Self.capacity {
            idsBySpelling.removeAll(keepingCapacity: true)
            lastRows.removeAll(keepingCapacity: true)
        }
        idsBySpelling[row.name] = id
        lastRows[id] = hash
    }
}

/// What an import may change on an account, as stored.
private struct AccountDetails: Sendable {
    var domain: String?
    var industry: String?
    var employees: Int64?
    var revenueBand: String?
    var country: String?

    /// Takes what `account` gives (an empty cell keeps what is there); true when anything changed.
    mutating func absorb(_ account: AccountRecord) -> Bool {
        var changed = false
        func take<T: Equatable>(_ value: T?, into stored: inout T?) {
            if let value, value != stored {
                stored = value
                changed = true
            }
        }
        take(account.domain, into: &domain)
        take(account.industry, into: &industry)
        take(account.employees.map(Int64.init), into: &employees)
        take(account.revenueBand, into: &revenueBand)
        take(account.country, into: &country)
        return changed
    }
}

/// Writes one batch's records inside its transaction, remembering the leads it has looked up so
/// a batch asks for each only once. Statements are bound through `FastStatement`.
private struct BatchWriter {
    let db: Database
    let batch: ImportBatch
    var accounts: AccountMemo
    private var leads: [LeadReference: NamedLead] = [:]
    let reasonPrefix: String

    init(db: Database, batch: ImportBatch, accounts: AccountMemo) {
        self.db = db
        self.batch = batch
        self.accounts = accounts
        reasonPrefix = "imported from \(batch.sourceName), line "
    }

    mutating func write(_ record: ImportRecord, into outcome: inout BatchOutcome) throws {
        switch record {
        case .lead(let lead): try write(lead, into: &outcome)
        case .event(let event): try write(event, into: &outcome)
        case .objection(let objection): try write(objection, into: &outcome)
        }
    }

    /// Each statement once per batch: the cache is looked up by an index, not by hashing its SQL.
    private var statements = [FastStatement?](repeating: nil, count: Slot.allCases.count)
    private enum Slot: Int, CaseIterable {
        case insertLead, transition, findLead, updateLead, findAccount, updateAccount, insertAccount
        case leadByExternalId, leadByEmail, leadAndAccountByExternalId, leadAndAccountByEmail, insertEvent
        case accountByKey, insertObjection, updateObjection
    }

    private mutating func statement(_ slot: Slot, _ sql: @autoclosure () -> String) throws -> FastStatement {
        if let statement = statements[slot.rawValue] { return statement }
        let statement = try FastStatement(db, sql())
        statements[slot.rawValue] = statement
        return statement
    }

    private mutating func write(_ record: LeadRecord, into outcome: inout BatchOutcome) throws {
        let accountId = try record.account.map { try upsertAccount($0) }
        let facts = [record.facts.budget, record.facts.authority, record.facts.need, record.facts.timing].map { $0.map { Int64($0 ? 1 : 0) } }
        let attributes = AttributesJSON.encode(record.attributes)
        let reason = reasonPrefix + String(record.line)
        // A new lead is the common case: try to insert it, and only when its external id is
        // already stored read the stored lead and update it.
        let createdAt = record.createdAt ?? batch.at
        let stage = record.stage ?? .inquiry
        let insert = try statement(.insertLead, """
            INSERT INTO leads (external_id, account_id, name, email, title, seniority, source, owner, created_at,
                               stage, outcome, budget, authority, need, timing, notes, attributes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (external_id) DO NOTHING
            """)
        insert.bind(1, record.externalId)
        insert.bind(2, accountId)
        insert.bind(3, record.name ?? record.email ?? record.externalId)
        insert.bind(4, record.email)
        insert.bind(5, record.title)
        insert.bind(6, record.seniority?.rawValue)
        insert.bind(7, record.source)
        insert.bind(8, record.owner)
        insert.bind(9, seconds(createdAt))
        insert.bind(10, stage.rawValue)
        insert.bind(11, (record.outcome ?? Outcome(closing: stage) ?? .open).rawValue)
        for (offset, fact) in facts.enumerated() { insert.bind(Int32(12 + offset), fact) }
        insert.bind(16, record.notes)
        insert.bind(17, attributes)
        try insert.run()
        if insert.changes > 0 {
            let id = insert.lastInsertedRowID
            let transition = try statement(.transition, """
                INSERT INTO transitions (lead_id, from_stage, to_stage, at, by, reason) VALUES (?, NULL, ?, ?, ?, ?)
                """)
            transition.bind(1, id)
            transition.bind(2, stage.rawValue)
            transition.bind(3, seconds(createdAt))
            transition.bind(4, batch.actor)
            transition.bind(5, reason)
            try transition.run()
            try writeNotedObjection(record, leadId: id, accountId: accountId, at: createdAt)
            outcome.inserted += 1
            return
        }

        let find = try statement(.findLead, "SELECT id, stage FROM leads WHERE external_id = ?")
        find.bind(1, record.externalId)
        guard let (id, oldStage) = try find.first({ ($0.int64(0), $0.text(1) ?? "") }) else {
            throw StoreError("lead \(record.externalId) is neither new nor stored")
        }
        if let stage = record.stage, let stored = Stage(rawValue: oldStage), let refusal = StageRules.importRefusal(from: stored, to: stage) {
            outcome.rejected.append(RowProblem(line: record.line, reason: "\(record.externalId): \(refusal)"))
            return
        }
        // Only a row that changes something is written: the same file imported again says
        // "unchanged", not "updated".
        let update = try statement(.updateLead, """
            UPDATE leads SET
                account_id = COALESCE(?1, account_id), name = COALESCE(?2, name), email = COALESCE(?3, email),
                title = COALESCE(?4, title), seniority = COALESCE(?5, seniority), source = COALESCE(?6, source),
                owner = COALESCE(?7, owner), created_at = COALESCE(?8, created_at), outcome = COALESCE(?9, outcome),
                budget = COALESCE(?10, budget), authority = COALESCE(?11, authority), need = COALESCE(?12, need),
                timing = COALESCE(?13, timing), notes = COALESCE(?14, notes),
                attributes = CASE WHEN ?15 = '{}' THEN attributes ELSE json_patch(attributes, ?15) END
            WHERE id = ?16 AND (account_id IS NOT COALESCE(?1, account_id) OR name IS NOT COALESCE(?2, name)
                OR email IS NOT COALESCE(?3, email) OR title IS NOT COALESCE(?4, title) OR seniority IS NOT COALESCE(?5, seniority)
                OR source IS NOT COALESCE(?6, source) OR owner IS NOT COALESCE(?7, owner) OR created_at IS NOT COALESCE(?8, created_at)
                OR outcome IS NOT COALESCE(?9, outcome) OR budget IS NOT COALESCE(?10, budget) OR authority IS NOT COALESCE(?11, authority)
                OR need IS NOT COALESCE(?12, need) OR timing IS NOT COALESCE(?13, timing) OR notes IS NOT COALESCE(?14, notes)
                OR (?15 <> '{}' AND attributes IS NOT json_patch(attributes, ?15)))
            """)
        update.bind(1, accountId)
        update.bind(2, record.name)
        update.bind(3, record.email)
        update.bind(4, record.title)
        update.bind(5, record.seniority?.rawValue)
        update.bind(6, record.source)
        update.bind(7, record.owner)
        update.bind(8, record.createdAt.map(seconds))
        update.bind(9, record.outcome?.rawValue)
        for (offset, fact) in facts.enumerated() { update.bind(Int32(10 + offset), fact) }
        update.bind(14, record.notes)
        update.bind(15, attributes)
        update.bind(16, id)
        try update.run()
        var changed = update.changes > 0
        if let stage = record.stage, stage.rawValue != oldStage {
            try SQLiteStore.recordMove(db, leadId: id, from: oldStage, to: stage.rawValue, at: batch.at, by: batch.actor, reason: reason)
            changed = true
        }
        try writeNotedObjection(record, leadId: id, accountId: accountId, at: record.createdAt ?? batch.at)
        if changed { outcome.updated += 1 } else { outcome.unchanged += 1 }
    }

    /// The objection a lead's notes record, kept once per lead however often the file is imported.
    private func writeNotedObjection(_ record: LeadRecord, leadId: Int64, accountId: Int64?, at: Date) throws {
        guard let (text, theme) = record.notedObjection else { return }
        try db.cachedStatement(sql: """
            INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry)
            VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT stage FROM leads WHERE id = ?), (SELECT lower(industry) FROM accounts WHERE id = ?))
            ON CONFLICT (external_id) DO UPDATE SET text = excluded.text, theme = excluded.theme
            """).execute(arguments: ["notes:\(record.externalId)", leadId, accountId, text, theme, batch.actor, seconds(at), leadId, accountId])
    }

    private mutating func upsertAccount(_ account: AccountRecord) throws -> Int64 {
        let hash = account.hashValue
        if let id = accounts.known(account, hash: hash) { return id }
        let key = Account.key(account.name)
        let find = try statement(.findAccount, "SELECT id, domain, industry, employees, revenue_band, country FROM accounts WHERE name_key = ?")
        find.bind(1, key)
        let stored = try find.first { row in
            (id: row.int64(0),
             details: AccountDetails(domain: row.text(1), industry: row.text(2), employees: row.int64OrNil(3), revenueBand: row.text(4), country: row.text(5)))
        }
        let id: Int64
        var details = stored?.details ?? AccountDetails()
        // What the row gives replaces what is stored; a row that changes nothing writes nothing.
        let changed = details.absorb(account)
        if let stored {
            id = stored.id
            if changed { try updateAccount(id, account) }
        } else {
            let insert = try statement(.insertAccount, """
                INSERT INTO accounts (name, name_key, domain, industry, employees, revenue_band, country) VALUES (?, ?, ?, ?, ?, ?, ?)
                """)
            insert.bind(1, account.name)
            insert.bind(2, key)
            insert.bind(3, account.domain)
            insert.bind(4, account.industry)
            insert.bind(5, account.employees)
            insert.bind(6, account.revenueBand)
            insert.bind(7, account.country)
            try insert.run()
            id = insert.lastInsertedRowID
        }
        accounts.remember(id, row: account, hash: hash)
        return id
    }

    private mutating func updateAccount(_ id: Int64, _ account: AccountRecord) throws {
        let update = try statement(.updateAccount, """
            UPDATE accounts SET domain = COALESCE(?, domain), industry = COALESCE(?, industry),
                employees = COALESCE(?, employees), revenue_band = COALESCE(?, revenue_band), country = COALESCE(?, country)
            WHERE id = ?
            """)
        update.bind(1, account.domain)
        update.bind(2, account.industry)
        update.bind(3, account.employees)
        update.bind(4, account.revenueBand)
        update.bind(5, account.country)
        update.bind(6, id)
        try update.run()
    }

    /// A stored lead an event or objection names; for an objection, which keeps them too, with its
    /// account and the account's industry, read in the same query.
    private struct NamedLead {
        let id: Int64
        let accountId: Int64?
        let industry: String?
    }

    private mutating func lead(_ reference: LeadReference, line: Int, withAccount: Bool = false) throws -> NamedLead {
        if let lead = leads[reference] { return lead }
        let find: FastStatement
        let select = withAccount
            ? "SELECT l.id, l.account_id, lower(a.industry) FROM leads l LEFT JOIN accounts a ON a.id = l.account_id"
            : "SELECT l.id, NULL, NULL FROM leads l"
        switch reference {
        case .externalId(let externalId):
            find = try statement(withAccount ? .leadAndAccountByExternalId : .leadByExternalId, "\(select) WHERE l.external_id = ?")
            find.bind(1, externalId)
        case .email(let email):
            find = try statement(
                withAccount ? .leadAndAccountByEmail : .leadByEmail, "\(select) WHERE l.email = ? COLLATE NOCASE ORDER BY l.id LIMIT 1")
            find.bind(1, email)
        }
        guard let lead = try find.first({ NamedLead(id: $0.int64(0), accountId: $0.int64OrNil(1), industry: $0.text(2)) }) else {
            throw RowProblem(line: line, reason: "no lead with \(reference); import the leads first")
        }
        leads[reference] = lead
        return lead
    }

    private mutating func write(_ record: EventRecord, into outcome: inout BatchOutcome) throws {
        let lead = try lead(record.lead, line: record.line)
        let insert = try statement(.insertEvent, """
            INSERT INTO events (lead_id, kind, occurred_at, detail) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
            """)
        insert.bind(1, lead.id)
        insert.bind(2, record.kind)
        insert.bind(3, seconds(record.occurredAt))
        insert.bind(4, record.detail)
        try insert.run()
        // An event is its lead, kind, time and detail: one already stored is the same event.
        if insert.changes > 0 { outcome.inserted += 1 } else { outcome.unchanged += 1 }
    }

    private mutating func write(_ record: ObjectionRecord, into outcome: inout BatchOutcome) throws {
        var lead: NamedLead?
        if let reference = record.lead { lead = try self.lead(reference, line: record.line, withAccount: true) }
        var accountId = lead?.accountId
        var industry = lead?.industry
        if let name = record.accountName {
            let find = try statement(.accountByKey, "SELECT id, lower(industry) FROM accounts WHERE name_key = ?")
            find.bind(1, Account.key(name))
            guard let account = try find.first({ ($0.int64(0), $0.text(1)) }) else {
                throw RowProblem(line: record.line, reason: "no account named '\(name)'")
            }
            (accountId, industry) = account
        }
        // A new objection is the common case: insert it, and only when its external id is already
        // stored replace the stored one.
        let insert = try statement(.insertObjection, """
            INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry, confidence)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (external_id) DO NOTHING
            """)
        func bindRecord(to write: FastStatement) {
            write.bind(1, record.externalId)
            write.bind(2, lead?.id)
            write.bind(3, accountId)
            write.bind(4, record.text)
            write.bind(5, record.theme)
            write.bind(6, record.loggedBy)
            write.bind(7, seconds(record.at))
            write.bind(8, record.dealStage?.rawValue)
            write.bind(9, industry)
            write.bind(10, record.confidence)
        }
        bindRecord(to: insert)
        try insert.run()
        if insert.changes > 0 {
            outcome.inserted += 1
            return
        }
        let update = try statement(.updateObjection, """
            UPDATE objections SET lead_id = ?2, account_id = ?3, text = ?4, theme = ?5, logged_by = ?6, at = ?7,
                deal_stage = ?8, industry = ?9, confidence = ?10
            WHERE external_id = ?1 AND (lead_id IS NOT ?2 OR account_id IS NOT ?3 OR text IS NOT ?4 OR theme IS NOT ?5
                OR logged_by IS NOT ?6 OR at IS NOT ?7 OR deal_stage IS NOT ?8 OR industry IS NOT ?9 OR confidence IS NOT ?10)
            """)
        bindRecord(to: update)
        try update.run()
        if update.changes > 0 { outcome.updated += 1 } else { outcome.unchanged += 1 }
    }
}

/// The account memo of the import pass that wrote last, kept by the store between its batches:
/// one at a time (a batch of another pass starts its own), gone when the pass ends.
final class ImportMemos: Sendable {
    private let kept = Mutex<(pass: ImportPass, memo: AccountMemo)?>(nil)

    /// The memo `pass` kept, leaving none behind: a batch that fails or is rolled back keeps none.
    func take(_ pass: ImportPass) -> AccountMemo? {
        kept.withLock { kept in
            defer { kept = nil }
            return kept?.pass == pass ? kept?.memo : nil
        }
    }

    func keep(_ memo: AccountMemo, for pass: ImportPass) { kept.withLock { $0 = (pass, memo) } }

    func drop(_ pass: ImportPass) { kept.withLock { if $0?.pass == pass { $0 = nil } } }

    /// Whether a pass's memo is still kept (none is once its pass has ended).
    var holdsAny: Bool { kept.withLock { $0 != nil } }
}

extension SQLiteStore {
    public func endImportPass(_ pass: ImportPass) { importMemos.drop(pass) }
}
