public import Foundation
import GRDB
import GRDBSQLite
public import HandoffCore
import HandoffStoreSQL
import Synchronization

/// The embedded default store: one SQLite file in WAL mode (readers in other sessions never wait
/// for a writer), with a busy timeout so two sessions on one file queue instead of failing.
public final class SQLiteStore: LeadStore {
    public let location: String
    /// The one connection a session reads and writes through. A queue rather than GRDB's pool:
    /// opening a pool writes and syncs a dummy transaction whenever the WAL file is empty (as every
    /// clean exit leaves it), so each start, even `-c help`, committed; and a pool's writer and
    /// reader connections each parse the schema.
    let database: DatabaseQueue
    /// Read-only connections for scans that run in parallel (the definition report), opened on first use.
    private let scanners = Mutex<DatabasePool?>(nil)
    private let configuration: Configuration
    /// Set while a command's reads share one transaction on `database` (`readingTogether`).
    private let sharedRead = SharedRead()
    /// What one import pass learned of the accounts, for its next batch (SQLiteStore+Import).
    let importMemos = ImportMemos()

    /// Opens (creating and migrating if needed) the database at `path`.
    public init(path: String) throws {
        location = path
        let directory = (path as NSString).deletingLastPathComponent
        do {
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        } catch {
            throw StoreError("cannot create the folder \(directory) for the database: \(error.localizedDescription)")
        }
        // Leads, notes and objections are their owner's alone, as the shell's history is. A new
        // file is made 0600 before SQLite opens it, and SQLite gives the -wal, -shm and -journal
        // files it makes the main file's mode. An existing file keeps the mode its owner chose.
        if path != ":memory:" && !path.hasPrefix("file:") {
            let created = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
            if created >= 0 { Foundation.close(created) }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.prepareDatabase { db in
            // WAL makes every commit durable against a crash of the process; NORMAL only risks the
            // last transactions on a power cut, which an import can run again to recover.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // 32 MB of pages per connection (SQLite's default is 2 MB): a script's commands read
            // the same index pages again and again, and re-reading them from the OS was a fifth of
            // a short command's time.
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // Keep the WAL file when the last connection closes rather than deleting it and
            // creating it again on every run...
            var persist: Int32 = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
            // ...but empty: with a size limit set, the last connection to close truncates the kept
            // WAL to nothing. Left full after a big import, every later start read it all back to
            // rebuild its index.
            try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
        }
        self.configuration = configuration
        do {
            database = try DatabaseQueue(path: path, configuration: configuration)
            // A no-op on a database already in WAL mode (the mode is stored in the file).
            try Self.switchToWAL(database)
            // Checked by reading first: migrating takes the write lock even when there is nothing to do.
            if try !database.read(Migrations.areApplied) {
                try Migrations.apply(to: database)
            }
            try restoreOrphanedIndexes()
        } catch let error as Migrations.WrittenByNewerVersion {
            throw StoreError(
                "this database was written by a newer Handoff: \(path) has the migration '\(error.migration)', which this version does not know",
                hint: "run the newer Handoff on it, or choose another database with --db; this version would misread it")
        } catch let error as DatabaseError {
            throw StoreError(
                "cannot open the database \(path): \(error.message ?? "\(error.resultCode)")",
                hint: error.resultCode == .SQLITE_NOTADB ? "the file is not a Handoff database; choose another with --db" : nil)
        }
    }

    /// How long a connection waits for another's lock before it gives up, in seconds.
    static let busyTimeout: TimeInterval = 30

    /// Puts a new file in WAL mode. Two processes opening one new file at once may each read its
    /// header and then both ask for the exclusive lock the switch needs: SQLite then answers one
    /// "database is locked" at once, without the busy timeout, since waiting could never end. The
    /// one refused tries again, a few milliseconds later, for up to the busy timeout; by then the
    /// other has made the switch, and it is a no-op.
    static func switchToWAL(_ database: DatabaseQueue) throws {
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                try database.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
                return
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(UInt32.random(in: 5_000...20_000))
            }
        }
    }

    public func close() {
        // The scan connections first: only the last connection to close checkpoints and empties
        // the WAL, and they are read-only. One that cannot close yet (a statement still open) is
        // left to the exit: SQLite recovers its WAL on the next open.
        scanners.withLock { pool in try? pool?.close() }
        try? database.close()
    }

    /// Runs `work` on one of the read-only connections kept for parallel scans; any number of
    /// threads may call it at once, inside a command's shared read or not.
    func scanRead<T>(_ work: (Database) throws -> T) throws -> T {
        do {
            let pool = try scanners.withLock { pool in
                if let pool { return pool }
                var readOnly = configuration
                readOnly.readonly = true
                let opened = try DatabasePool(path: location, configuration: readOnly)
                pool = opened
                return opened
            }
            return try pool.read(work)
        } catch let error as DatabaseError { throw storeError(error) }
    }

    /// Runs `work` reading, translating SQLite's errors into ones a user can read: in the
    /// command's shared read transaction when there is one, else in a transaction of its own.
    func read<T>(_ work: (Database) throws -> T) throws -> T {
        do {
            if let db = sharedRead.database() { return try work(db) }
            return try database.read(work)
        } catch let error as DatabaseError { throw storeError(error) }
    }

    func write<T>(_ work: (Database) throws -> T) throws -> T {
        try connection { db in
            var result: T?
            try db.inTransaction {
                result = try work(db)
                return .commit
            }
            return result!
        }
    }

    /// Runs `work` on the connection without a transaction, for writes that manage their own.
    /// Inside a command's shared read, on that connection, once the shared read has ended: the
    /// command's reads after a write must see it, so they go on in autocommit from there.
    func connection<T>(_ work: (Database) throws -> T) throws -> T {
        do {
            if let db = sharedRead.database() {
                if db.isInsideTransaction { try db.commit() }
                return try work(db)
            }
            return try database.writeWithoutTransaction(work)
        } catch let error as DatabaseError { throw storeError(error) }
    }

    /// A command's reads share one read transaction: one per store call (BEGIN, the WAL's read
    /// lock, COMMIT) cost as much as the queries of a short command, and they see one state of the
    /// data. Other threads (the definition report's parts) read on `scanRead`'s connections.
    public func readingTogether<T>(_ body: () throws -> T) throws -> T {
        if sharedRead.database() != nil { return try body() }
        do {
            return try database.writeWithoutTransaction { db in
                try db.beginTransaction(.deferred)
                sharedRead.begin(db)
                defer {
                    sharedRead.end()
                    if db.isInsideTransaction { try? db.commit() }
                }
                return try body()
            }
        } catch let error as DatabaseError { throw storeError(error) }
    }

    private func storeError(_ error: DatabaseError) -> StoreError {
        StoreError("the database \(location) refused the operation: \(error.message ?? "\(error.resultCode)")")
    }

    public func counts() throws -> StoreCounts {
        try read { db in
            var counts = StoreCounts()
            func count(_ table: String) throws -> Int { try Int.fetchOne(cached: db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            counts.accounts = try count("accounts")
            counts.leads = try count("leads")
            counts.events = try count("events")
            counts.transitions = try count("transitions")
            counts.rejections = try count("rejections")
            counts.objections = try count("objections")
            counts.briefs = try count("briefs")
            return counts
        }
    }

    public func lead(id: Int64) throws -> Lead? {
        try read { db in try db.one(cached: "SELECT * FROM leads WHERE id = ?", [id], Lead.init) }
    }

    public func leads(ids: [Int64]) throws -> [Int64: Lead] { try rows(of: "leads", ids: ids, Lead.init, id: \.id) }

    public func externalIds(ofLeadsWithEmails emails: [String]) throws -> [String: String] {
        var found: [String: String] = [:]
        try read { db in
            // Newest first, so the oldest lead of an email is the one kept.
            try db.each(
                cached: "SELECT lower(email), external_id FROM leads WHERE email COLLATE NOCASE IN (SELECT value FROM json_each(?)) ORDER BY id DESC",
                [Self.jsonStrings(emails)]
            ) { row in found[row.text(0)] = row.text(1) }
        }
        return found
    }

    public func lead(externalId: String) throws -> Lead? {
        try read { db in
            try db.one(cached: "SELECT * FROM leads WHERE external_id = ?", [externalId], Lead.init)
        }
    }

    public func leads(_ query: LeadQuery) throws -> [Lead] {
        let (sql, arguments) = Self.select("leads.*", query)
        return try read { db in try db.all(cached: sql, arguments, Lead.init) }
    }

    public func countLeads(_ query: LeadQuery) throws -> Int {
        var unlimited = query
        unlimited.limit = nil
        let (sql, arguments) = Self.select("count(*)", unlimited)
        return try read { db in try Int.fetchOne(cached: db, sql: sql, arguments: arguments) ?? 0 }
    }

    public func countLeads(_ query: LeadQuery, by grouping: LeadGrouping) throws -> [(value: String, count: Int)] {
        var unlimited = query
        unlimited.limit = nil
        let column = switch grouping {
        case .source: "coalesce(leads.source, '')"
        case .stage: "leads.stage"
        case .owner: "coalesce(leads.owner, '')"
        }
        let (select, arguments) = Self.select("\(column) AS value, count(*) AS n", unlimited)
        let sql = select + " GROUP BY value ORDER BY n DESC, value"
        return try read { db in
            try db.all(cached: sql, arguments) { (value: $0.text(0), count: Int($0.int(1))) }
        }
    }

    /// The SQL for a lead query, selecting `columns` (the shared builder, in SQLite's words).
    static func select(_ columns: String, _ query: LeadQuery) -> (String, StatementArguments) {
        var dialect = SQLiteDialect()
        let sql = LeadQuerySQL.select(columns, query, newestFirst: columns == "leads.*", &dialect)
        return (sql, dialect.arguments)
    }

    public func findLeads(matching text: String, limit: Int, loose: Bool) throws -> [Lead] {
        let text = text.trimmingWhitespace()
        guard !text.isEmpty else { return [] }
        let pattern = SQLText.likeEscaped(text)
        return try read { db in
            var rows = try Self.firstTier(db, limit: limit, [
                ("SELECT * FROM leads WHERE name = ?1 COLLATE NOCASE OR email = ?1 COLLATE NOCASE OR external_id = ?1", text),
                ("SELECT * FROM leads WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name COLLATE NOCASE", "\(pattern)%"),
            ], Lead.init)
            if rows.isEmpty, loose {
                rows = try Self.withWord(
                    db, in: "leads", "name", words: "lead_name_words", startingWith: text, select: "*", orderBy: "name COLLATE NOCASE",
                    limit: limit, Lead.init)
            }
            if rows.count < limit, Accents.couldMatchAccented(text) {
                // "jose" for José, alongside Joseph: the word index folds the accents Unicode
                // decomposes, and is asked for the letters it does not ("soren" → søren too), so
                // it finds the candidates; the folded names decide, as LIKE decides above.
                let known = Set(rows.compactMap(\.id))
                rows += try db.all(
                    cached: """
                        SELECT * FROM leads WHERE id IN (SELECT rowid FROM lead_name_words WHERE lead_name_words MATCH ? LIMIT 200)
                        ORDER BY name COLLATE NOCASE
                        """, [Accents.undecomposedSpellings(text).map { "\"\($0)\"*" }.joined(separator: " OR ")], Lead.init)
                    .filter { !known.contains($0.id!) && Accents.nameStarts($0.name, with: text, anyWord: loose) }
                rows = Array(rows.prefix(limit))
            }
            return rows
        }
    }

    /// Rows of `table` whose `column` has a word after a space that starts with `text`
    /// (`column LIKE '% text%'`), in `order`. The `words` full-text index narrows the rows to those
    /// with such a word (by its own tokenizer, so a few more than match); LIKE then decides, as it
    /// did when it scanned them all. When very many rows have the word, walking the table in
    /// `order` finds `limit` of them sooner.
    static func withWord<T>(
        _ db: Database, in table: String, _ column: String, words: String, startingWith text: String, select columns: String,
        orderBy order: String, limit: Int, _ decode: (StatementRow) -> T
    ) throws -> [T] {
        let like = "% \(SQLText.likeEscaped(text))%"
        let phrase = "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\"*"
        let scan = "SELECT \(columns) FROM \(table) WHERE \(column) LIKE ?1 ESCAPE '\\' ORDER BY \(order) LIMIT ?2"
        // The index only knows words of letters and digits.
        guard text.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) else {
            return try db.all(cached: scan, [like, limit], decode)
        }
        let candidates: Int
        do {
            candidates = try Int.fetchOne(
                cached: db, sql: "SELECT count(*) FROM (SELECT 1 FROM \(words) WHERE \(words) MATCH ? LIMIT 5000)",
                arguments: [phrase]) ?? 0
        } catch {
            // Text the index cannot search for: ask the table itself.
            return try db.all(cached: scan, [like, limit], decode)
        }
        if candidates >= 5_000 { return try db.all(cached: scan, [like, limit], decode) }
        if candidates == 0 { return [] }
        return try db.all(cached: """
            SELECT \(columns) FROM \(table) WHERE id IN (SELECT rowid FROM \(words) WHERE \(words) MATCH ?3)
            AND \(column) LIKE ?1 ESCAPE '\\' ORDER BY \(order) LIMIT ?2
            """, [like, limit, phrase], decode)
    }

    public func findAccounts(matching text: String, limit: Int, loose: Bool) throws -> [Account] {
        let key = Account.key(text)
        guard !key.isEmpty else { return [] }
        return try read { db in
            var rows = try Self.firstTier(db, limit: limit, [
                ("SELECT * FROM accounts WHERE name_key = ?1 OR domain = ?1", key),
                // A range rather than LIKE, so the unique index on name_key serves it.
                ("SELECT * FROM accounts WHERE name_key >= ?1 AND name_key < ?1 || char(1114111) ORDER BY name_key", key),
            ], Account.init)
            if rows.isEmpty, loose {
                rows = try Self.withWord(
                    db, in: "accounts", "name_key", words: "account_name_words", startingWith: key, select: "*", orderBy: "name_key",
                    limit: limit, Account.init)
            }
            var found = rows
            if loose, found.isEmpty, key.count >= 4,
               try Int.fetchOne(cached: db, sql: "SELECT count(*) FROM accounts")! <= 10_000 {
                // A typo: one edit away from an account name or its first word.
                for account in try db.all(cached: "SELECT * FROM accounts ORDER BY name_key", [], Account.init) {
                    if account.isOneEditAway(from: key) {
                        found.append(account)
                        if found.count >= limit { break }
                    }
                }
            }
            return found
        }
    }

    /// The rows of the first query that finds any: best first, so an exact match hides the
    /// prefix ones, and a prefix match the word ones. Each query takes ?1 (its argument) and a limit.
    static func firstTier<T>(_ db: Database, limit: Int, _ tiers: some Collection<(String, String)>, _ decode: (StatementRow) -> T) throws -> [T] {
        for (sql, argument) in tiers {
            let rows = try db.all(cached: sql + " LIMIT ?2", [argument, limit], decode)
            if !rows.isEmpty { return rows }
        }
        return []
    }

    public func names(startingWith prefix: String, limit: Int) throws -> [String] {
        let pattern = SQLText.likeEscaped(prefix)
        return try read { db in
            var names = try String.fetchAll(
                cached: db, sql: "SELECT name FROM accounts WHERE name_key LIKE ?1 ESCAPE '\\' OR name_key LIKE ?2 ESCAPE '\\' ORDER BY name_key LIMIT ?3",
                arguments: ["\(pattern)%", "% \(pattern)%", limit])
            names += try String.fetchAll(
                cached: db, sql: "SELECT DISTINCT name FROM leads WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name LIMIT ?2",
                arguments: ["\(pattern)%", limit])
            if names.count < limit {
                names += try Self.withWord(
                    db, in: "leads", "name", words: "lead_name_words", startingWith: prefix, select: "DISTINCT name", orderBy: "name",
                    limit: limit - names.count
                ) { $0.text(0) }
            }
            var seen = Set<String>()
            return Array(names.filter { seen.insert($0).inserted }.prefix(limit))
        }
    }

    public func sources() throws -> [String] {
        try read { db in
            // From the lead_sources tally (v4-lead-sources), which triggers keep in step with the
            // leads (a big import sets them aside and counts again at its end).
            try String.fetchAll(cached: db, sql: "SELECT source FROM lead_sources ORDER BY source COLLATE NOCASE")
        }
    }

    /// `text` with LIKE's wildcards escaped, so user input matches literally.
    public func account(id: Int64) throws -> Account? {
        try read { db in try db.one(cached: "SELECT * FROM accounts WHERE id = ?", [id], Account.init) }
    }

    public func accounts(ids: [Int64]) throws -> [Int64: Account] { try rows(of: "accounts", ids: ids, Account.init, id: \.id) }

    /// The rows of `table` (`leads`, `accounts`) with these ids, by id: one cached statement for a
    /// list of any length.
    private func rows<Row>(of table: String, ids: [Int64], _ decode: (StatementRow) -> Row, id: KeyPath<Row, Int64?>) throws -> [Int64: Row] {
        var found: [Int64: Row] = [:]
        try read { db in
            try db.each(cached: "SELECT * FROM \(table) WHERE id IN (SELECT value FROM json_each(?))", [Self.jsonArray(ids)]) { row in
                let decoded = decode(row)
                found[decoded[keyPath: id]!] = decoded
            }
        }
        return found
    }

    /// Ids as one JSON array, for `IN (SELECT value FROM json_each(?))`: one cached statement
    /// whatever their number, and no limit on how many.
    static func jsonArray(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }

    /// Texts as one JSON array, for the same `IN (SELECT value FROM json_each(?))`.
    static func jsonStrings(_ texts: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(texts)) ?? Data("[]".utf8), as: UTF8.self)
    }

    public func account(named name: String) throws -> Account? {
        try read { db in
            try db.one(cached: "SELECT * FROM accounts WHERE name_key = ?", [Account.key(name)], Account.init)
        }
    }

    public func accounts() throws -> [Account] {
        try read { db in try db.all(cached: "SELECT * FROM accounts ORDER BY name", [], Account.init) }
    }

    // A lead's events are read from the (lead_id, kind, occurred_at, detail) index alone, which
    // holds every column, and put in time order here: ordering in SQL made SQLite visit the table
    // for each event instead.
    public func events(leadId: Int64) throws -> [EngagementEvent] {
        try read { db in
            try db.all(cached: "SELECT id, lead_id, kind, occurred_at, detail FROM events WHERE lead_id = ?", [leadId], EngagementEvent.init)
                .sorted(by: Self.inTimeOrder)
        }
    }

    public func events(leadIds: [Int64]) throws -> [Int64: [EngagementEvent]] {
        var byLead: [Int64: [EngagementEvent]] = [:]
        try read { db in
            // The ids as one JSON array: one cached statement, whatever their number.
            try db.each(
                cached: "SELECT id, lead_id, kind, occurred_at, detail FROM events WHERE lead_id IN (SELECT value FROM json_each(?))",
                [Self.jsonArray(leadIds)]
            ) { row in
                byLead[row.int(1), default: []].append(EngagementEvent(row))
            }
        }
        for id in byLead.keys { byLead[id]!.sort(by: Self.inTimeOrder) }
        return byLead
    }

    private static func inTimeOrder(_ a: EngagementEvent, _ b: EngagementEvent) -> Bool {
        (a.occurredAt, a.id ?? 0) < (b.occurredAt, b.id ?? 0)
    }

    public func transitions(leadId: Int64) throws -> [StageTransition] {
        try read { db in
            try db.all(cached: "SELECT * FROM transitions WHERE lead_id = ? ORDER BY at, id", [leadId], StageTransition.init)
        }
    }

    public func lastTransition(by actor: String) throws -> StageTransition? {
        try read { db in
            try db.all(cached: "SELECT * FROM transitions WHERE by = ? AND from_stage IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1", [actor], StageTransition.init).first
        }
    }

    public func moves(ofLeadsCreatedFrom from: Date?, to: Date?) throws -> [Move] {
        // Every lead's: read in the table's order, with no join, and put in lead order here. Through
        // the (lead_id, at) index, each row was a look-up in the table: 1.9 s for 4.4M moves in
        // `sqlite3` alone, against 0.7 s for the plain scan.
        if from == nil && to == nil {
            var moves = try read { db in try db.all(cached: "SELECT \(Self.moveColumns) FROM transitions", [], Move.init) }
            Self.putInLeadOrder(&moves)
            return moves
        }
        return try read { db in
            try db.all(
                cached: """
                    SELECT \(Self.moveColumns) FROM transitions JOIN leads ON leads.id = transitions.lead_id
                    WHERE leads.created_at >= ? AND leads.created_at < ?
                    ORDER BY transitions.lead_id, transitions.at, transitions.id
                    """,
                [from.map(seconds) ?? Int64.min, to.map(seconds) ?? Int64.max], Move.init)
        }
    }

    public func moves(ofLeadsAt stage: Stage, orMovedIntoItFrom start: Date, to end: Date) throws -> [Move] {
        try read { db in
            try db.all(
                cached: """
                    SELECT \(Self.moveColumns) FROM transitions
                    WHERE lead_id IN (
                        SELECT lead_id FROM transitions WHERE at >= ? AND at < ? AND to_stage = ?
                        UNION SELECT id FROM leads WHERE stage = ?)
                    ORDER BY lead_id, at, id
                    """,
                [seconds(start), seconds(end), stage.rawValue, stage.rawValue], Move.init)
        }
    }

    private static let moveColumns = "transitions.id, transitions.lead_id, transitions.from_stage, transitions.to_stage, transitions.at, transitions.reason"

    /// Sorts moves read in the table's order by lead, time and id. Moves are written as they are
    /// made, so a table's order is nearly time order with the leads mixed.
    private static func putInLeadOrder(_ moves: inout [Move]) {
        func before(_ a: Move, _ b: Move) -> Bool { (a.leadId, a.at, a.id) < (b.leadId, b.at, b.id) }
        var sorted = true
        for index in moves.indices.dropFirst() where before(moves[index], moves[index - 1]) {
            sorted = false
            break
        }
        if !sorted { moves.sort(by: before) }
    }

    public func transitions(ofLeadsMovedFrom start: Date, to end: Date) throws -> [StageTransition] {
        try read { db in
            try db.all(
                cached: """
                    SELECT * FROM transitions
                    WHERE lead_id IN (SELECT lead_id FROM transitions WHERE at >= ? AND at < ?)
                    ORDER BY lead_id, at, id
                    """,
                [seconds(start), seconds(end)], StageTransition.init)
        }
    }

    public func rejections(leadId: Int64) throws -> [Rejection] {
        try read { db in
            try db.all(cached: "SELECT * FROM rejections WHERE lead_id = ? ORDER BY at, id", [leadId], Rejection.init)
        }
    }

    public func rejections(from start: Date, to end: Date) throws -> [Rejection] {
        try read { db in
            try db.all(cached: "SELECT * FROM rejections WHERE at >= ? AND at < ? ORDER BY at, id", [seconds(start), seconds(end)], Rejection.init)
        }
    }

    public func objections(from start: Date, to end: Date) throws -> [Objection] {
        try read { db in
            try db.all(
                cached: "SELECT * FROM objections WHERE at >= ? AND at < ? ORDER BY at, id",
                [Int64(start.timeIntervalSince1970), Int64(end.timeIntervalSince1970)], Objection.init)
        }
    }

    public func objections(leadId: Int64?, accountId: Int64?, limit: Int) throws -> [Objection] {
        try read { db in
            try db.all(
                cached: """
                    SELECT * FROM objections WHERE lead_id = ?1 OR account_id = ?2
                       OR lead_id IN (SELECT id FROM leads WHERE account_id = ?2)
                    ORDER BY at DESC, id DESC LIMIT ?3
                    """,
                [leadId, accountId, limit], Objection.init)
        }
    }

    public func countObjections(from start: Date, to end: Date, by segment: ObjectionSegment?, industry: String?) throws -> [ObjectionCount] {
        let (from, to) = (seconds(start), seconds(end))
        // Whole UTC days come from the daily tally; the ragged ends of the period from the index.
        let firstDay = from >= 0 ? (from + 86_399) / 86_400 : from / 86_400
        let endDay = to >= 0 ? to / 86_400 : (to - 86_399) / 86_400
        return try read { db in
            var counts: [ObjectionKey: Int] = [:]
            if firstDay < endDay {
                try Self.countIndexed(db, from: from, to: firstDay * 86_400, by: segment, industry: industry, into: &counts)
                try Self.countDays(db, from: firstDay, to: endDay, by: segment, industry: industry, into: &counts)
                try Self.countIndexed(db, from: endDay * 86_400, to: to, by: segment, industry: industry, into: &counts)
            } else {
                try Self.countIndexed(db, from: from, to: to, by: segment, industry: industry, into: &counts)
            }
            // In GROUP BY's order: by theme, then segment with the unknown first.
            return counts.filter { $0.value > 0 }.sorted { a, b in
                a.key.theme != b.key.theme ? a.key.theme < b.key.theme
                    : a.key.segment == nil ? b.key.segment != nil : b.key.segment.map { a.key.segment! < $0 } ?? false
            }.map { ObjectionCount(theme: $0.key.theme, segment: $0.key.segment, count: $0.value) }
        }
    }

    struct ObjectionKey: Hashable {
        var theme: String
        var segment: String?
    }

    /// Counts objections in [from, to) seconds from the objections_tally index alone.
    static func countIndexed(
        _ db: Database, from: Int64, to: Int64, by segment: ObjectionSegment?, industry: String?, into counts: inout [ObjectionKey: Int]
    ) throws {
        guard from < to else { return }
        let column = switch segment {
        case .industry: "industry"
        case .stage: "deal_stage"
        case .rep: "logged_by"
        case nil: "NULL"
        }
        var sql = "SELECT theme, \(column) AS segment, count(*) AS n FROM objections WHERE at >= ? AND at < ?"
        var arguments: StatementArguments = [from, to]
        if let industry {
            sql += " AND industry = ?"
            _ = arguments.append(contentsOf: [industry.lowercased()])
        }
        sql += " GROUP BY 1, 2"
        try db.each(cached: sql, arguments) { row in
            counts[ObjectionKey(theme: row.text(0), segment: row.optionalText(1)), default: 0] += Int(row.int(2))
        }
    }

    /// Counts objections of the UTC days [from, to) from the objection_days tally (v4-objection-days).
    static func countDays(
        _ db: Database, from: Int64, to: Int64, by segment: ObjectionSegment?, industry: String?, into counts: inout [ObjectionKey: Int]
    ) throws {
        let (tally, column) = switch segment {
        case .industry: ("all", "industry")
        case .stage: ("stage", "value")
        case .rep: ("rep", "value")
        case nil: ("all", "''")
        }
        var sql = "SELECT theme, \(column), sum(n) FROM objection_days WHERE segment = ? AND day >= ? AND day < ?"
        var arguments: StatementArguments = [tally, from, to]
        if let industry {
            sql += " AND industry = ?"
            _ = arguments.append(contentsOf: ["=" + industry.lowercased()])
        }
        sql += " GROUP BY 1, 2"
        try db.each(cached: sql, arguments) { row in
            // '' is an unknown value, '=' followed by the value a known one.
            let stored = row.text(1)
            let value: String? = segment == nil || stored.isEmpty ? nil : String(stored.dropFirst())
            counts[ObjectionKey(theme: row.text(0), segment: value), default: 0] += Int(row.int(2))
        }
    }

    /// The latest objections of one theme in a period (from one industry when given), newest first.
    static func latestObjectionsQuery(theme: String, from start: Date, to end: Date, industry: String?, limit: Int) -> (String, StatementArguments) {
        var sql = "SELECT * FROM objections WHERE theme = ? AND at >= ? AND at < ?"
        var arguments: StatementArguments = [theme, seconds(start), seconds(end)]
        if let industry {
            sql += " AND industry = ?"
            _ = arguments.append(contentsOf: [industry.lowercased()])
        }
        sql += " ORDER BY at DESC, id DESC LIMIT ?"
        _ = arguments.append(contentsOf: [limit])
        return (sql, arguments)
    }

    public func latestObjections(theme: String, from start: Date, to end: Date, industry: String?, limit: Int) throws -> [Objection] {
        let (sql, arguments) = Self.latestObjectionsQuery(theme: theme, from: start, to: end, industry: industry, limit: limit)
        return try read { db in try db.all(cached: sql, arguments, Objection.init) }
    }

    public func reject(_ rejection: Rejection) throws {
        try write { db in
            guard let from = try String.fetchOne(cached: db, sql: "SELECT stage FROM leads WHERE id = ?", arguments: [rejection.leadId]) else {
                throw NotFoundError("no lead with id \(rejection.leadId)")
            }
            try StageConflict.checkRejection(leadId: rejection.leadId, current: from)
            try db.execute(
                sql: """
                    INSERT INTO rejections (lead_id, at, by, by_rule, reason_code, note, definition_version)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [rejection.leadId, seconds(rejection.at), rejection.by, rejection.byRule, rejection.reasonCode,
                            rejection.note, rejection.definitionVersion])
            try Self.recordMove(
                db, leadId: rejection.leadId, from: from, to: Stage.disqualified.rawValue, at: rejection.at,
                by: rejection.by, reason: "\(rejection.reasonCode)\(rejection.note.isEmpty ? "" : ": \(rejection.note)")")
        }
    }

    public func move(_ transition: StageTransition) throws {
        try write { db in
            guard let current = try String.fetchOne(cached: db, sql: "SELECT stage FROM leads WHERE id = ?", arguments: [transition.leadId]) else {
                throw NotFoundError("no lead with id \(transition.leadId)")
            }
            try StageConflict.checkMove(transition, current: current)
            try Self.recordMove(
                db, leadId: transition.leadId, from: transition.from?.rawValue, to: transition.to.rawValue, at: transition.at,
                by: transition.by, reason: transition.reason)
        }
    }

    public func log(_ objection: Objection) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry, confidence)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT lower(industry) FROM accounts WHERE id = ?), ?)
                    """,
                arguments: [objection.externalId, objection.leadId, objection.accountId, objection.text, objection.theme,
                            objection.loggedBy, seconds(objection.at), objection.dealStage?.rawValue, objection.accountId, objection.confidence])
            return db.lastInsertedRowID
        }
    }

    public func save(_ brief: Brief) throws -> Int64 {
        try write { db in
            try db.execute(
                sql: "INSERT INTO briefs (theme, created_at, period_start, period_end, markdown) VALUES (?, ?, ?, ?, ?)",
                arguments: [brief.theme, seconds(brief.createdAt), seconds(brief.periodStart), seconds(brief.periodEnd), brief.markdown])
            let id = db.lastInsertedRowID
            for objection in brief.objectionIds {
                try db.execute(sql: "INSERT INTO brief_objections (brief_id, objection_id) VALUES (?, ?)", arguments: [id, objection])
            }
            return id
        }
    }

    static func recordMove(_ db: Database, leadId: Int64, from: String?, to: String, at: Date, by: String, reason: String) throws {
        // Closing the deal is its outcome, what the definition report measures against; leaving a
        // closed stage (a lost lead back to nurture, an undone close) opens it again.
        try db.cachedStatement(sql: """
            UPDATE leads SET stage = ?1,
                outcome = CASE WHEN ?1 IN ('won', 'lost') THEN ?1 WHEN ?3 IN ('won', 'lost') THEN 'open' ELSE outcome END
            WHERE id = ?2
            """).execute(arguments: [to, leadId, from])
        try db.cachedStatement(sql: """
            INSERT INTO transitions (lead_id, from_stage, to_stage, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [leadId, from, to, seconds(at), by, reason])
    }

    public func remember(_ definition: Definition, at: Date, by: String) throws {
        // Its row, if the text was kept before, and the text in force at `at`: most start-ups find
        // both the same and write nothing.
        let known = try read { db in
            try Row.fetchOne(
                cached: db, sql: """
                    SELECT d.id, (SELECT definition_id FROM definitions_in_force WHERE at <= ?3 ORDER BY at DESC, id DESC LIMIT 1) AS in_force
                    FROM definitions d WHERE d.version = ?1 AND d.text = ?2
                    """,
                arguments: [definition.version, definition.text, seconds(at)]
            ).map { (id: $0["id"] as Int64, inForce: $0["in_force"] as Int64?) }
        }
        if let known, known.inForce == known.id { return }
        try write { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO definitions (version, origin, text, loaded_at) VALUES (?, ?, ?, ?)",
                arguments: [definition.version, definition.origin, definition.text, seconds(at)])
            try db.execute(
                sql: """
                    INSERT INTO definitions_in_force (definition_id, at, by)
                    SELECT id, ?, ? FROM definitions WHERE version = ? AND text = ?
                    """,
                arguments: [seconds(at), by, definition.version, definition.text])
        }
    }

    public func definitionHistory() throws -> [DefinitionRecord] {
        try read { db in
            let rows = try Row.fetchAll(cached: db, sql: """
                SELECT f.definition_id, d.version, d.origin, d.text, f.at, f.by
                FROM definitions_in_force f JOIN definitions d ON d.id = f.definition_id ORDER BY f.at, f.id
                """)
            return DefinitionRecord.cameIntoForce(rows.map {
                (id: $0["definition_id"], record: DefinitionRecord(
                    version: $0["version"], origin: $0["origin"], text: $0["text"],
                    loadedAt: Date(timeIntervalSince1970: Double($0["at"] as Int64)), loadedBy: $0["by"]))
            })
        }
    }

    public func lastDefinition() throws -> (text: String, origin: String)? {
        try read { db in
            try Row.fetchOne(cached: db, sql: """
                SELECT d.text, d.origin FROM definitions_in_force f JOIN definitions d ON d.id = f.definition_id ORDER BY f.at DESC, f.id DESC LIMIT 1
                """)
                .map { (text: $0["text"], origin: $0["origin"]) }
        }
    }

    public func definition(version: String) throws -> (text: String, origin: String)? {
        try read { db in
            try Row.fetchOne(
                cached: db, sql: "SELECT text, origin FROM definitions WHERE version = ? ORDER BY loaded_at DESC, id DESC LIMIT 1",
                arguments: [version]
            ).map { (text: $0["text"], origin: $0["origin"]) }
        }
    }

    public func integrityCheck() throws -> String {
        try read { db in try String.fetchAll(cached: db, sql: "PRAGMA integrity_check").joined(separator: "; ") }
    }

}

/// Times are stored as whole seconds since 1970 (UTC), the same in every store.
/// Which connection, if any, holds the current command's shared read transaction, and on which thread.
private final class SharedRead: @unchecked Sendable {
    private let lock = NSLock()
    private var owner: pthread_t?
    private var db: Database?

    func begin(_ db: Database) {
        lock.withLock { (owner, self.db) = (pthread_self(), db) }
    }

    func end() {
        lock.withLock { (owner, db) = (nil, nil) }
    }

    /// The shared connection, when the calling thread is the one sharing it.
    func database() -> Database? {
        lock.withLock { owner.map { pthread_equal($0, pthread_self()) != 0 } == true ? db : nil }
    }
}

/// SQLite's words for the shared lead-query builder: `?` placeholders in order, NOCASE
/// comparisons (which the indexes on these columns are built with), LIKE with an escape.
struct SQLiteDialect: LeadQueryDialect {
    var arguments: StatementArguments = []

    mutating func bind(_ value: String) -> String {
        _ = arguments.append(contentsOf: [value])
        return "?"
    }

    mutating func bind(_ value: Int64) -> String {
        _ = arguments.append(contentsOf: [value])
        return "?"
    }

    func equalIgnoringCase(_ column: String, _ placeholder: String) -> String { "\(column) = \(placeholder) COLLATE NOCASE" }

    mutating func anyContains(_ columns: [String], _ text: String) -> String {
        let pattern = "%\(SQLText.likeEscaped(text))%"
        return "(" + columns.map { "\($0) LIKE \(bind(pattern)) ESCAPE '\\'" }.joined(separator: " OR ") + ")"
    }
}
