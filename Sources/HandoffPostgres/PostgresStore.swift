public import Foundation
public import HandoffCore
import HandoffStoreSQL
import PostgresNIO

/// The team store: one PostgreSQL database that every rep's and marketer's Handoff points at.
/// It answers every question exactly as the SQLite store does; only the dialect differs.
public final class PostgresStore: LeadStore {
    public let location: String
    let link: PostgresLink

    /// Connects to the database `url` names and brings its schema up to date.
    public init(url: PostgresURL) throws {
        location = url.description
        link = try PostgresLink(url: url)
        do {
            try run { try PostgresMigrations.migrate(link) }
        } catch let error as PostgresMigrations.WrittenByNewerVersion {
            throw StoreError(
                "this database was written by a newer Handoff: \(location) has the migration '\(error.migration)', which this version does not know",
                hint: "run the newer Handoff on it, or choose another database with --db; this version would misread it")
        }
    }

    public func close() { link.close() }

    /// Turns the server's refusals into errors a user can read (and that name no password).
    func run<T>(_ work: () throws -> T) throws -> T {
        do { return try work() } catch let failure as PostgresFailure { throw failure.storeError }
    }

    func read<T>(_ work: (Statements) throws -> T) throws -> T {
        try run { try link.withConnection(work) }
    }

    func write<T>(_ work: (Statements) throws -> T) throws -> T {
        try run { try link.transaction(work) }
    }

    public func counts() throws -> StoreCounts {
        try read(Self.counts)
    }

    static func counts(_ statements: Statements) throws -> StoreCounts {
        let row = try statements.query("""
            SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM leads), (SELECT count(*) FROM events),
                   (SELECT count(*) FROM transitions), (SELECT count(*) FROM rejections), (SELECT count(*) FROM objections),
                   (SELECT count(*) FROM briefs)
            """)[0]
        var counts = StoreCounts()
        counts.accounts = try row[0].decode(Int.self)
        counts.leads = try row[1].decode(Int.self)
        counts.events = try row[2].decode(Int.self)
        counts.transitions = try row[3].decode(Int.self)
        counts.rejections = try row[4].decode(Int.self)
        counts.objections = try row[5].decode(Int.self)
        counts.briefs = try row[6].decode(Int.self)
        return counts
    }

    public func lead(id: Int64) throws -> Lead? {
        var binds = Binds()
        return try leads("SELECT \(Columns.lead) FROM leads WHERE id = \(binds.add(id))", binds).first
    }

    public func leads(ids: [Int64]) throws -> [Int64: Lead] {
        var binds = Binds()
        let list = binds.add(Array(Set(ids)))
        let found = try leads("SELECT \(Columns.lead) FROM leads JOIN unnest(\(list)::bigint[]) AS k(id) USING (id)", binds)
        return Dictionary(found.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func externalIds(ofLeadsWithEmails emails: [String]) throws -> [String: String] {
        var binds = Binds()
        let sql = """
            SELECT DISTINCT ON (lower(email)) lower(email), external_id FROM leads
            WHERE lower(email) = ANY(\(binds.add(emails.map(Label.asciiLowercased)))) ORDER BY lower(email), id
            """
        var found: [String: String] = [:]
        try read { statements in
            for row in try statements.query(sql, binds.bindings) { found[try row[0].decode(String.self)] = try row[1].decode(String.self) }
        }
        return found
    }

    public func lead(externalId: String) throws -> Lead? {
        var binds = Binds()
        return try leads("SELECT \(Columns.lead) FROM leads WHERE external_id = \(binds.add(externalId))", binds).first
    }

    func leads(_ sql: String, _ binds: Binds) throws -> [Lead] {
        try read { statements in try statements.query(sql, binds.bindings).map(Lead.init(postgres:)) }
    }

    public func leads(_ query: LeadQuery) throws -> [Lead] {
        let (sql, binds) = Self.select(Columns.lead, query)
        return try leads(sql, binds)
    }

    public func countLeads(_ query: LeadQuery) throws -> Int {
        var unlimited = query
        unlimited.limit = nil
        let (sql, binds) = Self.select("count(*)", unlimited)
        return try read { statements in try statements.value(Int.self, sql, binds.bindings) ?? 0 }
    }

    public func countLeads(_ query: LeadQuery, by grouping: LeadGrouping) throws -> [(value: String, count: Int)] {
        var unlimited = query
        unlimited.limit = nil
        let column = switch grouping {
        case .source: "coalesce(leads.source, '')"
        case .stage: "leads.stage"
        case .owner: "coalesce(leads.owner, '')"
        }
        let (select, binds) = Self.select("\(column) AS value, count(*) AS n", unlimited)
        let sql = select + " GROUP BY value ORDER BY n DESC, value"
        return try read { statements in
            try statements.query(sql, binds.bindings).map { (value: try $0[0].decode(String.self), count: try $0[1].decode(Int.self)) }
        }
    }

    /// The SQL for a lead query, selecting `columns` (the shared builder, in PostgreSQL's words).
    static func select(_ columns: String, _ query: LeadQuery) -> (String, Binds) {
        var binds = Binds()
        let sql = LeadQuerySQL.select(columns, query, newestFirst: columns == Columns.lead, &binds)
        return (sql, binds)
    }

    public func findLeads(matching text: String, limit: Int, loose: Bool) throws -> [Lead] {
        let text = text.trimmingWhitespace()
        guard !text.isEmpty else { return [] }
        let folded = Label.asciiLowercased(text)
        let pattern = SQLText.likeEscaped(folded)
        let select = "SELECT \(Columns.lead) FROM leads WHERE"
        return try read { statements in
            var leads = try Self.firstTier(statements, limit: limit, [
                ("\(select) lower(name) = $1 OR lower(email) = $1 OR external_id = $2 ORDER BY id", [folded, text]),
                ("\(select) lower(name) LIKE $1 ORDER BY lower(name), id", ["\(pattern)%"]),
                ("\(select) lower(name) LIKE $1 ORDER BY lower(name), id", ["% \(pattern)%"]),
            ].prefix(loose ? 3 : 2)).map(Lead.init(postgres:))
            if leads.count < limit, Accents.couldMatchAccented(text) {
                // "jose" for José, alongside Joseph: each letter stands for its accented forms (the
                // trigram index serves a regular expression too).
                let known = Set(leads.compactMap(\.id))
                leads += try Self.firstTier(statements, limit: limit, [
                    ("\(select) lower(name) ~ $1 ORDER BY lower(name), id", [Accents.wordStartPattern(text, anyWord: loose)]),
                ]).map(Lead.init(postgres:)).filter { !known.contains($0.id!) }
                leads = Array(leads.prefix(limit))
            }
            return leads
        }
    }

    public func findAccounts(matching text: String, limit: Int, loose: Bool) throws -> [Account] {
        let key = Account.key(text)
        guard !key.isEmpty else { return [] }
        let pattern = SQLText.likeEscaped(key)
        let select = "SELECT \(Columns.account) FROM accounts WHERE"
        return try read { statements in
            var found = try Self.firstTier(statements, limit: limit, [
                ("\(select) name_key = $1 OR domain = $1 ORDER BY id", [key]),
                ("\(select) name_key LIKE $1 ORDER BY name_key", ["\(pattern)%"]),
                ("\(select) name_key LIKE $1 ORDER BY name_key", ["% \(pattern)%"]),
            ].prefix(loose ? 3 : 2)).map(Account.init(postgres:))
            if loose, found.isEmpty, key.count >= 4, try statements.value(Int.self, "SELECT count(*) FROM accounts")! <= 10_000 {
                // A typo: one edit away from an account name or its first word.
                for row in try statements.query("SELECT \(Columns.account) FROM accounts ORDER BY name_key") {
                    let account = try Account(postgres: row)
                    if account.isOneEditAway(from: key) {
                        found.append(account)
                        if found.count >= limit { break }
                    }
                }
            }
            return found
        }
    }

    /// The rows of the first query that finds any, best first. Each query takes its values as
    /// $1, $2…; the limit is bound after them.
    static func firstTier(_ statements: Statements, limit: Int, _ tiers: ArraySlice<(String, [String])>) throws -> [PostgresRandomAccessRow] {
        for (sql, values) in tiers {
            var binds = Binds()
            for value in values { _ = binds.add(value) }
            let rows = try statements.query(sql + " LIMIT \(binds.add(Int64(limit)))", binds.bindings)
            if !rows.isEmpty { return rows }
        }
        return []
    }

    public func names(startingWith prefix: String, limit: Int) throws -> [String] {
        let pattern = SQLText.likeEscaped(Label.asciiLowercased(prefix))
        return try read { statements in
            func strings(_ sql: String, _ values: [String], _ limit: Int) throws -> [String] {
                var binds = Binds()
                for value in values { _ = binds.add(value) }
                let placeholder = binds.add(Int64(limit))
                return try statements.query(sql.replacingOccurrences(of: "$LIMIT", with: placeholder), binds.bindings)
                    .map { try $0[0].decode(String.self) }
            }
            var names = try strings(
                "SELECT name FROM accounts WHERE name_key LIKE $1 OR name_key LIKE $2 ORDER BY name_key LIMIT $LIMIT",
                ["\(pattern)%", "% \(pattern)%"], limit)
            names += try strings("SELECT DISTINCT name FROM leads WHERE lower(name) LIKE $1 ORDER BY name LIMIT $LIMIT", ["\(pattern)%"], limit)
            if names.count < limit {
                names += try strings(
                    "SELECT DISTINCT name FROM leads WHERE lower(name) LIKE $1 ORDER BY name LIMIT $LIMIT", ["% \(pattern)%"], limit - names.count)
            }
            var seen = Set<String>()
            return Array(names.filter { seen.insert($0).inserted }.prefix(limit))
        }
    }

    public func sources() throws -> [String] {
        try read { statements in
            // A skip scan of the leads_sources index, one probe per source, where DISTINCT would
            // read every lead (PostgreSQL 15 does not skip on its own).
            try statements.query("""
                WITH RECURSIVE walk(source) AS (
                    SELECT min(source) FROM leads
                    UNION ALL
                    SELECT (SELECT min(source) FROM leads WHERE leads.source > walk.source) FROM walk WHERE walk.source IS NOT NULL
                )
                SELECT source FROM walk WHERE source IS NOT NULL ORDER BY lower(source), source
                """).map { try $0[0].decode(String.self) }
        }
    }

    public func account(id: Int64) throws -> Account? {
        var binds = Binds()
        return try accounts("SELECT \(Columns.account) FROM accounts WHERE id = \(binds.add(id))", binds).first
    }

    public func accounts(ids: [Int64]) throws -> [Int64: Account] {
        var binds = Binds()
        let list = binds.add(Array(Set(ids)))
        let found = try accounts("SELECT \(Columns.account) FROM accounts JOIN unnest(\(list)::bigint[]) AS k(id) USING (id)", binds)
        return Dictionary(found.map { ($0.id!, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func account(named name: String) throws -> Account? {
        var binds = Binds()
        return try accounts("SELECT \(Columns.account) FROM accounts WHERE name_key = \(binds.add(Account.key(name)))", binds).first
    }

    public func accounts() throws -> [Account] {
        try accounts("SELECT \(Columns.account) FROM accounts ORDER BY name, id", Binds())
    }

    private func accounts(_ sql: String, _ binds: Binds) throws -> [Account] {
        try read { statements in try statements.query(sql, binds.bindings).map(Account.init(postgres:)) }
    }

    public func events(leadId: Int64) throws -> [EngagementEvent] {
        var binds = Binds()
        let sql = "SELECT \(Columns.event) FROM events WHERE lead_id = \(binds.add(leadId)) ORDER BY occurred_at, id"
        return try read { statements in try statements.query(sql, binds.bindings).map(EngagementEvent.init(postgres:)) }
    }

    public func events(leadIds: [Int64]) throws -> [Int64: [EngagementEvent]] {
        var byLead: [Int64: [EngagementEvent]] = [:]
        try read { statements in
            // One array parameter per thousand leads: no statement grows with the list.
            for start in stride(from: 0, to: leadIds.count, by: 1_000) {
                var binds = Binds()
                let ids = binds.add(Array(leadIds[start..<min(start + 1_000, leadIds.count)]))
                let sql = "SELECT \(Columns.event) FROM events JOIN unnest(\(ids)::bigint[]) AS k(lead) ON lead_id = k.lead ORDER BY lead_id, occurred_at, id"
                for row in try statements.query(sql, binds.bindings) {
                    let event = try EngagementEvent(postgres: row)
                    byLead[event.leadId, default: []].append(event)
                }
            }
        }
        return byLead
    }

    public func transitions(leadId: Int64) throws -> [StageTransition] {
        var binds = Binds()
        let sql = "SELECT \(Columns.transition) FROM transitions WHERE lead_id = \(binds.add(leadId)) ORDER BY at, id"
        return try read { statements in try statements.query(sql, binds.bindings).map(StageTransition.init(postgres:)) }
    }

    public func lastTransition(by actor: String) throws -> StageTransition? {
        var binds = Binds()
        let sql = "SELECT \(Columns.transition) FROM transitions WHERE \"by\" = \(binds.add(actor)) AND from_stage IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1"
        return try read { statements in try statements.query(sql, binds.bindings).map(StageTransition.init(postgres:)) }.first
    }

    private static let moveColumns = "transitions.id, transitions.lead_id, transitions.from_stage, transitions.to_stage, transitions.at, "
        + "starts_with(transitions.reason, '\(Trail.undoReason)')"

    public func moves(ofLeadsCreatedFrom from: Date?, to: Date?) throws -> [Move] {
        // Every lead's: no join to leads.
        if from == nil && to == nil {
            let sql = "SELECT \(Self.moveColumns) FROM transitions ORDER BY lead_id, at, id"
            return try read { statements in try statements.query(sql).map(Move.init(postgres:)) }
        }
        var binds = Binds()
        let sql = """
            SELECT \(Self.moveColumns) FROM transitions JOIN leads ON leads.id = transitions.lead_id
            WHERE leads.created_at >= \(binds.add(from.map(seconds) ?? Int64.min)) AND leads.created_at < \(binds.add(to.map(seconds) ?? Int64.max))
            ORDER BY transitions.lead_id, transitions.at, transitions.id
            """
        return try read { statements in try statements.query(sql, binds.bindings).map(Move.init(postgres:)) }
    }

    public func moves(ofLeadsAt stage: Stage, orMovedIntoItFrom start: Date, to end: Date) throws -> [Move] {
        var binds = Binds()
        let name = binds.add(stage.rawValue)
        let sql = """
            SELECT \(Self.moveColumns) FROM transitions
            WHERE lead_id IN (
                SELECT lead_id FROM transitions WHERE at >= \(binds.add(seconds(start))) AND at < \(binds.add(seconds(end))) AND to_stage = \(name)
                UNION SELECT id FROM leads WHERE stage = \(name))
            ORDER BY lead_id, at, id
            """
        return try read { statements in try statements.query(sql, binds.bindings).map(Move.init(postgres:)) }
    }

    public func transitions(ofLeadsMovedFrom start: Date, to end: Date) throws -> [StageTransition] {
        var binds = Binds()
        let sql = """
            SELECT \(Columns.transition) FROM transitions
            WHERE lead_id IN (SELECT lead_id FROM transitions WHERE at >= \(binds.add(seconds(start))) AND at < \(binds.add(seconds(end))))
            ORDER BY lead_id, at, id
            """
        return try read { statements in try statements.query(sql, binds.bindings).map(StageTransition.init(postgres:)) }
    }

    public func rejections(leadId: Int64) throws -> [Rejection] {
        var binds = Binds()
        let sql = "SELECT \(Columns.rejection) FROM rejections WHERE lead_id = \(binds.add(leadId)) ORDER BY at, id"
        return try read { statements in try statements.query(sql, binds.bindings).map(Rejection.init(postgres:)) }
    }

    public func rejections(from start: Date, to end: Date) throws -> [Rejection] {
        var binds = Binds()
        let sql = "SELECT \(Columns.rejection) FROM rejections WHERE at >= \(binds.add(seconds(start))) AND at < \(binds.add(seconds(end))) ORDER BY at, id"
        return try read { statements in try statements.query(sql, binds.bindings).map(Rejection.init(postgres:)) }
    }

    public func objections(from start: Date, to end: Date) throws -> [Objection] {
        var binds = Binds()
        let sql = "SELECT \(Columns.objection) FROM objections WHERE at >= \(binds.add(seconds(start))) AND at < \(binds.add(seconds(end))) ORDER BY at, id"
        return try read { statements in try statements.query(sql, binds.bindings).map(Objection.init(postgres:)) }
    }

    public func objections(leadId: Int64?, accountId: Int64?, limit: Int) throws -> [Objection] {
        var binds = Binds()
        let lead = binds.add(leadId)
        let account = binds.add(accountId)
        let sql = """
            SELECT \(Columns.objection) FROM objections WHERE lead_id = \(lead) OR account_id = \(account)
               OR lead_id IN (SELECT id FROM leads WHERE account_id = \(account))
            ORDER BY at DESC, id DESC LIMIT \(binds.add(Int64(limit)))
            """
        return try read { statements in try statements.query(sql, binds.bindings).map(Objection.init(postgres:)) }
    }

    public func countObjections(from start: Date, to end: Date, by segment: ObjectionSegment?, industry: String?) throws -> [ObjectionCount] {
        let column = switch segment {
        case .industry: "industry"
        case .stage: "deal_stage"
        case .rep: "logged_by"
        case nil: "NULL::text"
        }
        var binds = Binds()
        var sql = "SELECT theme, \(column) AS segment, count(*) AS n FROM objections WHERE at >= \(binds.add(seconds(start))) AND at < \(binds.add(seconds(end)))"
        if let industry {
            sql += " AND industry = \(binds.add(industry.lowercased()))"
        }
        sql += " GROUP BY 1, 2"
        return try read { statements in
            try statements.query(sql, binds.bindings).map {
                ObjectionCount(theme: try $0[0].decode(String.self), segment: try $0[1].decode(String?.self), count: try $0[2].decode(Int.self))
            }
        }
    }

    public func latestObjections(theme: String, from start: Date, to end: Date, industry: String?, limit: Int) throws -> [Objection] {
        var binds = Binds()
        var sql = """
            SELECT \(Columns.objection) FROM objections
            WHERE theme = \(binds.add(theme)) AND at >= \(binds.add(seconds(start))) AND at < \(binds.add(seconds(end)))
            """
        if let industry {
            sql += " AND industry = \(binds.add(industry.lowercased()))"
        }
        sql += " ORDER BY at DESC, id DESC LIMIT \(binds.add(Int64(limit)))"
        return try read { statements in try statements.query(sql, binds.bindings).map(Objection.init(postgres:)) }
    }

    public func reject(_ rejection: Rejection) throws {
        try write { statements in
            var binds = Binds()
            // FOR UPDATE: two reps rejecting one lead at once record two moves in turn, each from
            // the stage the other left.
            guard let from = try statements.value(String.self, "SELECT stage FROM leads WHERE id = \(binds.add(rejection.leadId)) FOR UPDATE", binds.bindings) else {
                throw NotFoundError("no lead with id \(rejection.leadId)")
            }
            try StageConflict.checkRejection(leadId: rejection.leadId, current: from)
            binds = Binds()
            try statements.execute("""
                INSERT INTO rejections (lead_id, at, "by", by_rule, reason_code, note, definition_version)
                VALUES (\(binds.add(rejection.leadId)), \(binds.add(seconds(rejection.at))), \(binds.add(rejection.by)),
                        \(binds.add(Int64(rejection.byRule ? 1 : 0))), \(binds.add(rejection.reasonCode)), \(binds.add(rejection.note)),
                        \(binds.add(rejection.definitionVersion)))
                """, binds.bindings)
            try Self.recordMove(
                statements, leadId: rejection.leadId, from: from, to: Stage.disqualified.rawValue, at: rejection.at,
                by: rejection.by, reason: "\(rejection.reasonCode)\(rejection.note.isEmpty ? "" : ": \(rejection.note)")")
        }
    }

    public func move(_ transition: StageTransition) throws {
        try write { statements in
            var binds = Binds()
            guard let current = try statements.value(String.self, "SELECT stage FROM leads WHERE id = \(binds.add(transition.leadId)) FOR UPDATE", binds.bindings) else {
                throw NotFoundError("no lead with id \(transition.leadId)")
            }
            try StageConflict.checkMove(transition, current: current)
            try Self.recordMove(
                statements, leadId: transition.leadId, from: transition.from?.rawValue, to: transition.to.rawValue, at: transition.at,
                by: transition.by, reason: transition.reason)
        }
    }

    public func log(_ objection: Objection) throws -> Int64 {
        try write { statements in
            var binds = Binds()
            let account = binds.add(objection.accountId)
            let sql = """
                INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry, confidence)
                VALUES (\(binds.add(objection.externalId)), \(binds.add(objection.leadId)), \(account), \(binds.add(objection.text)),
                        \(binds.add(objection.theme)), \(binds.add(objection.loggedBy)), \(binds.add(seconds(objection.at))),
                        \(binds.add(objection.dealStage?.rawValue)), (SELECT lower(industry) FROM accounts WHERE id = \(account)),
                        \(binds.add(objection.confidence)))
                RETURNING id
                """
            return try statements.value(Int64.self, sql, binds.bindings)!
        }
    }

    public func save(_ brief: Brief) throws -> Int64 {
        try write { statements in
            var binds = Binds()
            let sql = """
                INSERT INTO briefs (theme, created_at, period_start, period_end, markdown)
                VALUES (\(binds.add(brief.theme)), \(binds.add(seconds(brief.createdAt))), \(binds.add(seconds(brief.periodStart))),
                        \(binds.add(seconds(brief.periodEnd))), \(binds.add(brief.markdown)))
                RETURNING id
                """
            let id = try statements.value(Int64.self, sql, binds.bindings)!
            if !brief.objectionIds.isEmpty {
                var links = Binds()
                try statements.execute(
                    "INSERT INTO brief_objections (brief_id, objection_id) SELECT \(links.add(id)), unnest(\(links.add(brief.objectionIds)))",
                    links.bindings)
            }
            return id
        }
    }

    static func recordMove(_ statements: Statements, leadId: Int64, from: String?, to: String, at: Date, by: String, reason: String) throws {
        var binds = Binds()
        let lead = binds.add(leadId)
        let stage = binds.add(to)
        // Closing the deal is its outcome, what the definition report measures against; leaving a
        // closed stage (a lost lead back to nurture, an undone close) opens it again.
        let before = binds.add(from)
        try statements.execute("""
            UPDATE leads SET stage = \(stage),
                outcome = CASE WHEN \(stage) IN ('won', 'lost') THEN \(stage) WHEN \(before)::text IN ('won', 'lost') THEN 'open' ELSE outcome END
            WHERE id = \(lead)
            """, binds.bindings)
        binds = Binds()
        try statements.execute("""
            INSERT INTO transitions (lead_id, from_stage, to_stage, at, "by", reason)
            VALUES (\(binds.add(leadId)), \(binds.add(from)), \(binds.add(to)), \(binds.add(seconds(at))), \(binds.add(by)), \(binds.add(reason)))
            """, binds.bindings)
    }

    public func remember(_ definition: Definition, at: Date, by: String) throws {
        // Its row, if the text was kept before, and the text in force at `at`: most start-ups find
        // both the same and write nothing.
        var binds = Binds()
        let sql = """
            SELECT d.id, (SELECT definition_id FROM definitions_in_force WHERE at <= \(binds.add(seconds(at))) ORDER BY at DESC, id DESC LIMIT 1)
            FROM definitions d WHERE d.version = \(binds.add(definition.version)) AND d.text = \(binds.add(definition.text))
            """
        let known = try read { statements in
            try statements.query(sql, binds.bindings).first.map { (id: try $0[0].decode(Int64.self), inForce: try $0[1].decode(Int64?.self)) }
        }
        if let known, known.inForce == known.id { return }
        try write { statements in
            var binds = Binds()
            try statements.execute("""
                INSERT INTO definitions (version, origin, text, loaded_at)
                VALUES (\(binds.add(definition.version)), \(binds.add(definition.origin)), \(binds.add(definition.text)), \(binds.add(seconds(at))))
                ON CONFLICT DO NOTHING
                """, binds.bindings)
            var more = Binds()
            try statements.execute("""
                INSERT INTO definitions_in_force (definition_id, at, by)
                SELECT id, \(more.add(seconds(at))), \(more.add(by)) FROM definitions
                WHERE version = \(more.add(definition.version)) AND md5(text) = md5(\(more.add(definition.text))) AND text = \(more.add(definition.text))
                """, more.bindings)
        }
    }

    public func definitionHistory() throws -> [DefinitionRecord] {
        try read { statements in
            let rows = try statements.query("""
                SELECT f.definition_id, d.version, d.origin, d.text, f.at, f.by
                FROM definitions_in_force f JOIN definitions d ON d.id = f.definition_id ORDER BY f.at, f.id
                """)
            return DefinitionRecord.cameIntoForce(try rows.map {
                (id: try $0[0].decode(Int64.self), record: DefinitionRecord(
                    version: try $0[1].decode(String.self), origin: try $0[2].decode(String.self), text: try $0[3].decode(String.self),
                    loadedAt: Date(timeIntervalSince1970: Double(try $0[4].decode(Int64.self))), loadedBy: try $0[5].decode(String?.self)))
            })
        }
    }

    public func lastDefinition() throws -> (text: String, origin: String)? {
        try read { statements in
            try statements.query("""
                SELECT d.text, d.origin FROM definitions_in_force f JOIN definitions d ON d.id = f.definition_id ORDER BY f.at DESC, f.id DESC LIMIT 1
                """).first
                .map { (text: try $0[0].decode(String.self), origin: try $0[1].decode(String.self)) }
        }
    }

    public func definition(version: String) throws -> (text: String, origin: String)? {
        var binds = Binds()
        let sql = "SELECT text, origin FROM definitions WHERE version = \(binds.add(version)) ORDER BY loaded_at DESC, id DESC LIMIT 1"
        return try read { statements in
            try statements.query(sql, binds.bindings).first.map { (text: try $0[0].decode(String.self), origin: try $0[1].decode(String.self)) }
        }
    }

    /// `ok`, or the rows whose references lead nowhere (the foreign keys should make that
    /// impossible; this says so rather than assuming it).
    public func integrityCheck() throws -> String {
        let checks = [
            ("leads with a missing account", "SELECT count(*) FROM leads l WHERE account_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = l.account_id)"),
            ("events with a missing lead", "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = e.lead_id)"),
            ("transitions with a missing lead", "SELECT count(*) FROM transitions t WHERE NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = t.lead_id)"),
        ]
        return try read { statements in
            var problems: [String] = []
            for (what, sql) in checks {
                let count = try statements.value(Int.self, sql) ?? 0
                if count > 0 { problems.append("\(count) \(what)") }
            }
            return problems.isEmpty ? "ok" : problems.joined(separator: "; ")
        }
    }

}

/// Times are stored as whole seconds since 1970 (UTC), the same in every store.
