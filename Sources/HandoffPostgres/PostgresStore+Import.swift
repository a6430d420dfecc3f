import Foundation
public import HandoffCore
import HandoffStoreSQL
import PostgresNIO

extension PostgresStore {
    public func apply(_ batch: ImportBatch, dryRun: Bool) throws -> BatchOutcome {
        do {
            // A retried batch starts over with a fresh outcome: nothing is counted twice.
            return try link.transaction(rollback: dryRun) { statements in
                var outcome = BatchOutcome()
                var writer = PostgresBatchWriter(statements: statements, batch: batch)
                for run in Self.runs(of: batch.records) { try writer.write(run, into: &outcome) }
                return outcome
            }
        } catch let failure as PostgresFailure {
            throw StoreError("the import into \(location) failed and nothing of this batch was written: \(failure.message)")
        }
    }

    /// The records cut into runs of one kind in which no lead or objection key comes twice, so
    /// each run can be written in a few set-wise statements and still mean what row-by-row would:
    /// a key's second row in a file updates what its first one wrote.
    static func runs(of records: [ImportRecord]) -> [[ImportRecord]] {
        var runs: [[ImportRecord]] = []
        var current: [ImportRecord] = []
        var keys = Set<String>()
        func key(_ record: ImportRecord) -> String? {
            switch record {
            case .lead(let lead): "lead:\(lead.externalId)"
            case .objection(let objection): "objection:\(objection.externalId)"
            case .event: nil
            }
        }
        func kind(_ record: ImportRecord) -> Int {
            switch record {
            case .lead: 0
            case .event: 1
            case .objection: 2
            }
        }
        for record in records {
            let repeated = key(record).map { !keys.insert($0).inserted } ?? false
            if let last = current.last, repeated || kind(last) != kind(record) {
                runs.append(current)
                current = []
                keys = key(record).map { [$0] } ?? []
            }
            current.append(record)
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }
}

/// Writes runs of imported records with a handful of statements each (rows travel as one JSON
/// parameter and are unpacked by `json_to_recordset`), where one statement per row would spend
/// the import waiting on the network. Keys are looked up by joining `unnest($1)`, not with
/// `= ANY($1)`: a parameter array is searched element by element for every row scanned. Rows are inserted in file order, after looking up the ones
/// that exist, so ids come out as the SQLite store gives them for the same file.
private struct PostgresBatchWriter {
    let statements: Statements
    let batch: ImportBatch
    var accountIds: [String: Int64] = [:]
    var leadIds: [LeadReference: Int64] = [:]

    init(statements: Statements, batch: ImportBatch) {
        self.statements = statements
        self.batch = batch
    }

    mutating func write(_ run: [ImportRecord], into outcome: inout BatchOutcome) throws {
        switch run.first {
        case .lead: try writeLeads(run.compactMap { if case .lead(let lead) = $0 { lead } else { nil } }, into: &outcome)
        case .event: try writeEvents(run.compactMap { if case .event(let event) = $0 { event } else { nil } }, into: &outcome)
        case .objection: try writeObjections(run.compactMap { if case .objection(let objection) = $0 { objection } else { nil } }, into: &outcome)
        case nil: break
        }
    }

    // MARK: Leads

    private mutating func writeLeads(_ records: [LeadRecord], into outcome: inout BatchOutcome) throws {
        try upsertAccounts(records.compactMap(\.account))
        var existing: [String: (id: Int64, stage: String)] = [:]
        for row in try rows("SELECT id, external_id, stage FROM leads JOIN unnest($1::text[]) AS k(key) ON external_id = k.key FOR UPDATE OF leads", [records.map(\.externalId)]) {
            existing[try row[1].decode(String.self)] = (try row[0].decode(Int64.self), try row[2].decode(String.self))
        }
        let source = batch.sourceName
        let reason = { (record: LeadRecord) in "imported from \(source), line \(record.line)" }

        var updates: [[String: Any]] = []
        var inserts: [[String: Any]] = []
        var refused = Set<Int>()
        for (ord, record) in records.enumerated() {
            if let lead = existing[record.externalId], let stage = record.stage, let stored = Stage(rawValue: lead.stage),
               let refusal = StageRules.importRefusal(from: stored, to: stage) {
                outcome.rejected.append(RowProblem(line: record.line, reason: "\(record.externalId): \(refusal)"))
                refused.insert(ord)
                continue
            }
            let facts = QualificationFacts.Fact.allCases.map { record.facts[$0].map { $0 ? 1 : 0 } }
            var row: [String: Any] = [
                "ord": ord, "account_id": json(record.account.map { accountIds[Account.key($0.name)]! }),
                "name": json(record.name), "email": json(record.email), "title": json(record.title),
                "seniority": json(record.seniority?.rawValue), "source": json(record.source), "owner": json(record.owner),
                "outcome": json(record.outcome?.rawValue), "budget": json(facts[0]), "authority": json(facts[1]),
                "need": json(facts[2]), "timing": json(facts[3]), "notes": json(record.notes),
                "attributes": AttributesJSON.encode(record.attributes),
            ]
            if let lead = existing[record.externalId] {
                row["id"] = lead.id
                row["created_at"] = json(record.createdAt.map(seconds))
                updates.append(row)
            } else {
                row["external_id"] = record.externalId
                row["name"] = record.name ?? record.email ?? record.externalId
                row["created_at"] = seconds(record.createdAt ?? batch.at)
                row["stage"] = (record.stage ?? .inquiry).rawValue
                row["outcome"] = (record.outcome ?? Outcome(closing: record.stage) ?? .open).rawValue
                inserts.append(row)
                outcome.inserted += 1
            }
        }
        // Only a row that changes something is written: the same file again says "unchanged".
        var changed = Set<Int64>()
        if !updates.isEmpty {
            for row in try rows("""
                UPDATE leads SET
                    account_id = COALESCE(r.account_id, leads.account_id), name = COALESCE(r.name, leads.name),
                    email = COALESCE(r.email, leads.email), title = COALESCE(r.title, leads.title),
                    seniority = COALESCE(r.seniority, leads.seniority), source = COALESCE(r.source, leads.source),
                    owner = COALESCE(r.owner, leads.owner), created_at = COALESCE(r.created_at, leads.created_at),
                    outcome = COALESCE(r.outcome, leads.outcome), budget = COALESCE(r.budget, leads.budget),
                    authority = COALESCE(r.authority, leads.authority), need = COALESCE(r.need, leads.need),
                    timing = COALESCE(r.timing, leads.timing), notes = COALESCE(r.notes, leads.notes),
                    attributes = CASE WHEN r.attributes = '{}' THEN leads.attributes ELSE (leads.attributes::jsonb || r.attributes::jsonb)::text END
                FROM json_to_recordset($1::json) AS r(
                    id bigint, account_id bigint, name text, email text, title text, seniority text, source text, owner text,
                    created_at bigint, outcome text, budget bigint, authority bigint, need bigint, timing bigint, notes text, attributes text)
                WHERE leads.id = r.id AND (leads.account_id IS DISTINCT FROM COALESCE(r.account_id, leads.account_id)
                    OR leads.name IS DISTINCT FROM COALESCE(r.name, leads.name) OR leads.email IS DISTINCT FROM COALESCE(r.email, leads.email)
                    OR leads.title IS DISTINCT FROM COALESCE(r.title, leads.title) OR leads.seniority IS DISTINCT FROM COALESCE(r.seniority, leads.seniority)
                    OR leads.source IS DISTINCT FROM COALESCE(r.source, leads.source) OR leads.owner IS DISTINCT FROM COALESCE(r.owner, leads.owner)
                    OR leads.created_at IS DISTINCT FROM COALESCE(r.created_at, leads.created_at) OR leads.outcome IS DISTINCT FROM COALESCE(r.outcome, leads.outcome)
                    OR leads.budget IS DISTINCT FROM COALESCE(r.budget, leads.budget) OR leads.authority IS DISTINCT FROM COALESCE(r.authority, leads.authority)
                    OR leads.need IS DISTINCT FROM COALESCE(r.need, leads.need) OR leads.timing IS DISTINCT FROM COALESCE(r.timing, leads.timing)
                    OR leads.notes IS DISTINCT FROM COALESCE(r.notes, leads.notes)
                    OR (r.attributes <> '{}' AND leads.attributes::jsonb IS DISTINCT FROM leads.attributes::jsonb || r.attributes::jsonb))
                RETURNING leads.id
                """, [jsonText(updates)]) {
                changed.insert(try row[0].decode(Int64.self))
            }
        }
        var newIds: [String: Int64] = [:]
        if !inserts.isEmpty {
            for row in try rows("""
                INSERT INTO leads (external_id, account_id, name, email, title, seniority, source, owner, created_at,
                                   stage, outcome, budget, authority, need, timing, notes, attributes)
                SELECT external_id, account_id, name, email, title, seniority, source, owner, created_at,
                       stage, outcome, budget, authority, need, timing, notes, attributes
                FROM json_to_recordset($1::json) AS r(
                    ord int, external_id text, account_id bigint, name text, email text, title text, seniority text, source text,
                    owner text, created_at bigint, stage text, outcome text, budget bigint, authority bigint, need bigint,
                    timing bigint, notes text, attributes text)
                ORDER BY ord
                RETURNING id, external_id
                """, [jsonText(inserts)]) {
                newIds[try row[1].decode(String.self)] = try row[0].decode(Int64.self)
            }
        }

        // Each new lead's first stage, and each stage an export moved a lead to, in file order.
        var transitions: [[String: Any]] = []
        var noted: [(record: LeadRecord, leadId: Int64, at: Date)] = []
        for (ord, record) in records.enumerated() where !refused.contains(ord) {
            let id: Int64
            if let lead = existing[record.externalId] {
                id = lead.id
                if let stage = record.stage, stage.rawValue != lead.stage {
                    changed.insert(id)
                    transitions.append([
                        "lead_id": id, "from_stage": lead.stage, "to_stage": stage.rawValue, "at": seconds(batch.at), "reason": reason(record),
                    ])
                }
                noted.append((record, id, record.createdAt ?? batch.at))
            } else {
                id = newIds[record.externalId]!
                transitions.append([
                    "lead_id": id, "from_stage": NSNull(), "to_stage": (record.stage ?? .inquiry).rawValue,
                    "at": seconds(record.createdAt ?? batch.at), "reason": reason(record),
                ])
                noted.append((record, id, record.createdAt ?? batch.at))
            }
            leadIds[.externalId(record.externalId)] = id
        }
        outcome.updated += changed.count
        outcome.unchanged += updates.count - changed.count
        if !transitions.isEmpty {
            for (ord, _) in transitions.enumerated() { transitions[ord]["ord"] = ord }
            try statements.execute("""
                UPDATE leads SET stage = r.to_stage,
                    outcome = CASE WHEN r.to_stage IN ('won', 'lost') THEN r.to_stage WHEN r.from_stage IN ('won', 'lost') THEN 'open' ELSE leads.outcome END
                FROM json_to_recordset($1::json) AS r(lead_id bigint, from_stage text, to_stage text)
                WHERE leads.id = r.lead_id AND r.from_stage IS NOT NULL
                """, binds([jsonText(transitions)]))
            try statements.execute("""
                INSERT INTO transitions (lead_id, from_stage, to_stage, at, "by", reason)
                SELECT lead_id, from_stage, to_stage, at, $2, reason
                FROM json_to_recordset($1::json) AS r(ord int, lead_id bigint, from_stage text, to_stage text, at bigint, reason text)
                ORDER BY ord
                """, binds([jsonText(transitions), batch.actor]))
        }
        try writeNotedObjections(noted)
    }

    /// The objection each lead's notes record, kept once per lead however often the file is imported.
    private func writeNotedObjections(_ noted: [(record: LeadRecord, leadId: Int64, at: Date)]) throws {
        let said = noted.compactMap { item in item.record.notedObjection.map { (item, $0.text, $0.theme) } }
        guard !said.isEmpty else { return }
        var existing: [String: Int64] = [:]
        for row in try rows("SELECT id, external_id FROM objections JOIN unnest($1::text[]) AS k(key) ON external_id = k.key", [said.map { "notes:\($0.0.record.externalId)" }]) {
            existing[try row[1].decode(String.self)] = try row[0].decode(Int64.self)
        }
        var updates: [[String: Any]] = []
        var inserts: [[String: Any]] = []
        for (ord, (item, text, theme)) in said.enumerated() {
            let externalId = "notes:\(item.record.externalId)"
            if let id = existing[externalId] {
                updates.append(["id": id, "text": text, "theme": theme])
            } else {
                inserts.append([
                    "ord": ord, "external_id": externalId, "lead_id": item.leadId, "text": text, "theme": theme,
                    "at": seconds(item.at),
                ])
            }
        }
        if !updates.isEmpty {
            try statements.execute("""
                UPDATE objections SET text = r.text, theme = r.theme
                FROM json_to_recordset($1::json) AS r(id bigint, text text, theme text) WHERE objections.id = r.id
                """, binds([jsonText(updates)]))
        }
        if !inserts.isEmpty {
            // The account, deal stage and industry are the lead's as it now stands.
            try statements.execute("""
                INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry)
                SELECT r.external_id, r.lead_id, leads.account_id, r.text, r.theme, $2, r.at, leads.stage, lower(accounts.industry)
                FROM json_to_recordset($1::json) AS r(ord int, external_id text, lead_id bigint, text text, theme text, at bigint)
                JOIN leads ON leads.id = r.lead_id LEFT JOIN accounts ON accounts.id = leads.account_id
                ORDER BY r.ord
                """, binds([jsonText(inserts), batch.actor]))
        }
    }

    /// Creates the run's new accounts and fills in the details of known ones, once per batch for
    /// each: the rows of one export agree on their account's details.
    private mutating func upsertAccounts(_ accounts: [AccountRecord]) throws {
        var firsts: [(key: String, account: AccountRecord)] = []
        var seen = Set<String>()
        for account in accounts {
            let key = Account.key(account.name)
            if accountIds[key] == nil, seen.insert(key).inserted { firsts.append((key, account)) }
        }
        guard !firsts.isEmpty else { return }
        var known: [String: Int64] = [:]
        for row in try rows("SELECT id, name_key FROM accounts JOIN unnest($1::text[]) AS k(key) ON name_key = k.key FOR UPDATE OF accounts", [firsts.map(\.key)]) {
            known[try row[1].decode(String.self)] = try row[0].decode(Int64.self)
        }
        var updates: [[String: Any]] = []
        var inserts: [[String: Any]] = []
        for (ord, (key, account)) in firsts.enumerated() {
            let details: [String: Any] = [
                "domain": json(account.domain), "industry": json(account.industry), "employees": json(account.employees),
                "revenue_band": json(account.revenueBand), "country": json(account.country),
            ]
            if let id = known[key] {
                updates.append(details.merging(["id": id]) { $1 })
                accountIds[key] = id
            } else {
                inserts.append(details.merging(["ord": ord, "name": account.name, "name_key": key]) { $1 })
            }
        }
        if !updates.isEmpty {
            try statements.execute("""
                UPDATE accounts SET domain = COALESCE(r.domain, accounts.domain), industry = COALESCE(r.industry, accounts.industry),
                    employees = COALESCE(r.employees, accounts.employees), revenue_band = COALESCE(r.revenue_band, accounts.revenue_band),
                    country = COALESCE(r.country, accounts.country)
                FROM json_to_recordset($1::json) AS r(id bigint, domain text, industry text, employees bigint, revenue_band text, country text)
                WHERE accounts.id = r.id
                """, binds([jsonText(updates)]))
        }
        if !inserts.isEmpty {
            for row in try rows("""
                INSERT INTO accounts (name, name_key, domain, industry, employees, revenue_band, country)
                SELECT name, name_key, domain, industry, employees, revenue_band, country
                FROM json_to_recordset($1::json) AS r(
                    ord int, name text, name_key text, domain text, industry text, employees bigint, revenue_band text, country text)
                ORDER BY ord
                RETURNING id, name_key
                """, [jsonText(inserts)]) {
                accountIds[try row[1].decode(String.self)] = try row[0].decode(Int64.self)
            }
        }
    }

    // MARK: Events and objections

    /// Looks up, in two statements, every lead the records refer to that this batch has not met yet.
    private mutating func resolve(_ references: [LeadReference]) throws {
        var externalIds: [String] = []
        var emails: [String] = []
        for reference in Set(references) where leadIds[reference] == nil {
            switch reference {
            case .externalId(let id): externalIds.append(id)
            case .email(let email): emails.append(Label.asciiLowercased(email))
            }
        }
        if !externalIds.isEmpty {
            for row in try rows("SELECT id, external_id FROM leads JOIN unnest($1::text[]) AS k(key) ON external_id = k.key", [externalIds]) {
                leadIds[.externalId(try row[1].decode(String.self))] = try row[0].decode(Int64.self)
            }
        }
        if !emails.isEmpty {
            var byEmail: [String: Int64] = [:]
            for row in try rows("""
                SELECT DISTINCT ON (lower(email)) lower(email), id FROM leads JOIN unnest($1::text[]) AS k(key) ON lower(email) = k.key ORDER BY lower(email), id
                """, [emails]) {
                byEmail[try row[0].decode(String.self)] = try row[1].decode(Int64.self)
            }
            for reference in Set(references) {
                if case .email(let email) = reference, let id = byEmail[Label.asciiLowercased(email)] { leadIds[reference] = id }
            }
        }
    }

    private mutating func writeEvents(_ records: [EventRecord], into outcome: inout BatchOutcome) throws {
        try resolve(records.map(\.lead))
        var rows: [[String: Any]] = []
        var seen = Set<String>()
        for record in records {
            guard let lead = leadIds[record.lead] else {
                outcome.rejected.append(RowProblem(line: record.line, reason: "no lead with \(record.lead); import the leads first"))
                continue
            }
            // The same event twice in one file (perhaps once by id, once by email) lands once.
            guard seen.insert("\(lead)\u{1}\(record.kind)\u{1}\(seconds(record.occurredAt))\u{1}\(record.detail)").inserted else {
                outcome.unchanged += 1
                continue
            }
            rows.append(["ord": rows.count, "lead_id": lead, "kind": record.kind, "occurred_at": seconds(record.occurredAt), "detail": record.detail])
        }
        guard !rows.isEmpty else { return }
        let inserted = try self.rows("""
            INSERT INTO events (lead_id, kind, occurred_at, detail)
            SELECT lead_id, kind, occurred_at, detail
            FROM json_to_recordset($1::json) AS r(ord int, lead_id bigint, kind text, occurred_at bigint, detail text)
            WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.lead_id = r.lead_id AND e.kind = r.kind
                              AND e.occurred_at = r.occurred_at AND e.detail = r.detail)
            ORDER BY ord
            RETURNING id
            """, [jsonText(rows)]).count
        outcome.inserted += inserted
        // An event is its lead, kind, time and detail: one already stored is the same event.
        outcome.unchanged += rows.count - inserted
    }

    private mutating func writeObjections(_ records: [ObjectionRecord], into outcome: inout BatchOutcome) throws {
        try resolve(records.compactMap(\.lead))
        var accountOfLead: [Int64: Int64] = [:]
        let leads = Set(records.compactMap { $0.lead.flatMap { leadIds[$0] } })
        if !leads.isEmpty {
            for row in try rows("SELECT id, account_id FROM leads JOIN unnest($1::bigint[]) AS k(key) ON id = k.key WHERE account_id IS NOT NULL", [Array(leads)]) {
                accountOfLead[try row[0].decode(Int64.self)] = try row[1].decode(Int64.self)
            }
        }
        var accountByKey: [String: Int64] = [:]
        let names = Set(records.compactMap { $0.accountName.map(Account.key) })
        if !names.isEmpty {
            for row in try rows("SELECT id, name_key FROM accounts JOIN unnest($1::text[]) AS k(key) ON name_key = k.key", [Array(names)]) {
                accountByKey[try row[1].decode(String.self)] = try row[0].decode(Int64.self)
            }
        }
        var existing: [String: Int64] = [:]
        for row in try rows("SELECT id, external_id FROM objections JOIN unnest($1::text[]) AS k(key) ON external_id = k.key", [records.map(\.externalId)]) {
            existing[try row[1].decode(String.self)] = try row[0].decode(Int64.self)
        }
        var updates: [[String: Any]] = []
        var inserts: [[String: Any]] = []
        for record in records {
            var leadId: Int64?
            var accountId: Int64?
            if let reference = record.lead {
                guard let id = leadIds[reference] else {
                    outcome.rejected.append(RowProblem(line: record.line, reason: "no lead with \(reference); import the leads first"))
                    continue
                }
                leadId = id
                accountId = accountOfLead[id]
            }
            if let name = record.accountName {
                guard let id = accountByKey[Account.key(name)] else {
                    outcome.rejected.append(RowProblem(line: record.line, reason: "no account named '\(name)'"))
                    continue
                }
                accountId = id
            }
            var row: [String: Any] = [
                "lead_id": json(leadId), "account_id": json(accountId), "text": record.text, "theme": record.theme,
                "logged_by": record.loggedBy, "at": seconds(record.at), "deal_stage": json(record.dealStage?.rawValue),
                "confidence": json(record.confidence),
            ]
            if let id = existing[record.externalId] {
                row["id"] = id
                updates.append(row)
            } else {
                row["ord"] = inserts.count
                row["external_id"] = record.externalId
                inserts.append(row)
                outcome.inserted += 1
            }
        }
        let columns = "lead_id bigint, account_id bigint, text text, theme text, logged_by text, at bigint, deal_stage text, confidence double precision"
        if !updates.isEmpty {
            let changed = try rows("""
                UPDATE objections SET lead_id = r.lead_id, account_id = r.account_id, text = r.text, theme = r.theme,
                    logged_by = r.logged_by, at = r.at, deal_stage = r.deal_stage, confidence = r.confidence,
                    industry = (SELECT lower(industry) FROM accounts WHERE accounts.id = r.account_id)
                FROM json_to_recordset($1::json) AS r(id bigint, \(columns))
                WHERE objections.id = r.id AND (objections.lead_id IS DISTINCT FROM r.lead_id OR objections.account_id IS DISTINCT FROM r.account_id
                    OR objections.text IS DISTINCT FROM r.text OR objections.theme IS DISTINCT FROM r.theme
                    OR objections.logged_by IS DISTINCT FROM r.logged_by OR objections.at IS DISTINCT FROM r.at
                    OR objections.deal_stage IS DISTINCT FROM r.deal_stage OR objections.confidence IS DISTINCT FROM r.confidence
                    OR objections.industry IS DISTINCT FROM (SELECT lower(industry) FROM accounts WHERE accounts.id = r.account_id))
                RETURNING objections.id
                """, [jsonText(updates)]).count
            outcome.updated += changed
            outcome.unchanged += updates.count - changed
        }
        if !inserts.isEmpty {
            try statements.execute("""
                INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry, confidence)
                SELECT external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage,
                       (SELECT lower(industry) FROM accounts WHERE accounts.id = r.account_id), confidence
                FROM json_to_recordset($1::json) AS r(ord int, external_id text, \(columns))
                ORDER BY ord
                """, binds([jsonText(inserts)]))
        }
    }

    // MARK: Plumbing

    private func rows(_ sql: String, _ values: [any PostgresDynamicTypeEncodable]) throws -> [PostgresRandomAccessRow] {
        try statements.query(sql, binds(values))
    }

    private func binds(_ values: [any PostgresDynamicTypeEncodable]) -> PostgresBindings {
        var bindings = PostgresBindings()
        for value in values { bindings.append(value) }
        return bindings
    }

    private func json(_ value: (some Any)?) -> Any { value ?? NSNull() }

    private func jsonText(_ rows: [[String: Any]]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self)
    }
}
