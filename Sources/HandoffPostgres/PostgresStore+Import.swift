import Foundation
import HandoffCore
import PostgresNIO

extension PostgresStore {
    public func apply(_ batch: ImportBatch, dryRun: Bool) throws -> BatchOutcome {
        do {
            // A retried batch starts over with a fresh outcome: nothing is counted twice.
            return try link.transaction(rollback: dryRun) { statements in
                var outcome = BatchOutcome()
                var writer = PostgresBatchWriter(statements: statements, batch: batch)
                for record in batch.records {
                    do {
                        try writer.write(record, into: &outcome)
                    } catch let problem as RowProblem {
                        outcome.rejected.append(problem)
                    }
                }
                return outcome
            }
        } catch let failure as PostgresFailure {
            throw StoreError("the import into \(location) failed and nothing of this batch was written: \(failure.message)")
        }
    }
}

/// Writes one batch's records inside its transaction, the SQLite store's `BatchWriter` in
/// PostgreSQL's dialect, remembering the accounts and leads it has looked up.
private struct PostgresBatchWriter {
    let statements: Statements
    let batch: ImportBatch
    var accountIds: [String: Int64] = [:]
    var leadIds: [LeadReference: Int64] = [:]

    init(statements: Statements, batch: ImportBatch) {
        self.statements = statements
        self.batch = batch
    }

    mutating func write(_ record: ImportRecord, into outcome: inout BatchOutcome) throws {
        switch record {
        case .lead(let lead): try write(lead, into: &outcome)
        case .event(let event): try write(event, into: &outcome)
        case .objection(let objection): try write(objection, into: &outcome)
        }
    }

    private mutating func write(_ record: LeadRecord, into outcome: inout BatchOutcome) throws {
        let accountId = try record.account.map { try upsertAccount($0) }
        var lookup = Binds()
        let existing = try statements.query(
            "SELECT id, stage FROM leads WHERE external_id = \(lookup.add(record.externalId)) FOR UPDATE", lookup.bindings
        ).first
        let facts = QualificationFacts.Fact.allCases.map { record.facts[$0].map { Int64($0 ? 1 : 0) } }
        let attributes = AttributesJSON.encode(record.attributes)
        if let existing {
            let id = try existing[0].decode(Int64.self)
            let oldStage = try existing[1].decode(String.self)
            var binds = Binds()
            let patch = binds.add(attributes)
            try statements.execute("""
                UPDATE leads SET
                    account_id = COALESCE(\(binds.add(accountId)), account_id), name = COALESCE(\(binds.add(record.name)), name),
                    email = COALESCE(\(binds.add(record.email)), email), title = COALESCE(\(binds.add(record.title)), title),
                    seniority = COALESCE(\(binds.add(record.seniority?.rawValue)), seniority),
                    source = COALESCE(\(binds.add(record.source)), source), owner = COALESCE(\(binds.add(record.owner)), owner),
                    created_at = COALESCE(\(binds.add(record.createdAt.map(seconds))), created_at),
                    outcome = COALESCE(\(binds.add(record.outcome?.rawValue)), outcome),
                    budget = COALESCE(\(binds.add(facts[0])), budget), authority = COALESCE(\(binds.add(facts[1])), authority),
                    need = COALESCE(\(binds.add(facts[2])), need), timing = COALESCE(\(binds.add(facts[3])), timing),
                    notes = COALESCE(\(binds.add(record.notes)), notes),
                    attributes = CASE WHEN \(patch) = '{}' THEN attributes ELSE (attributes::jsonb || \(patch)::jsonb)::text END
                WHERE id = \(binds.add(id))
                """, binds.bindings)
            if let stage = record.stage, stage.rawValue != oldStage {
                try PostgresStore.recordMove(
                    statements, leadId: id, from: oldStage, to: stage.rawValue, at: batch.at, by: batch.actor,
                    reason: "imported from \(batch.sourceName), line \(record.line)")
            }
            leadIds[.externalId(record.externalId)] = id
            try writeNotedObjection(record, leadId: id, accountId: accountId, at: record.createdAt ?? batch.at)
            outcome.updated += 1
        } else {
            let createdAt = record.createdAt ?? batch.at
            let stage = record.stage ?? .inquiry
            var binds = Binds()
            let sql = """
                INSERT INTO leads (external_id, account_id, name, email, title, seniority, source, owner, created_at,
                                   stage, outcome, budget, authority, need, timing, notes, attributes)
                VALUES (\(binds.add(record.externalId)), \(binds.add(accountId)),
                        \(binds.add(record.name ?? record.email ?? record.externalId)), \(binds.add(record.email)),
                        \(binds.add(record.title)), \(binds.add(record.seniority?.rawValue)), \(binds.add(record.source)),
                        \(binds.add(record.owner)), \(binds.add(seconds(createdAt))), \(binds.add(stage.rawValue)),
                        \(binds.add((record.outcome ?? .open).rawValue)), \(binds.add(facts[0])), \(binds.add(facts[1])),
                        \(binds.add(facts[2])), \(binds.add(facts[3])), \(binds.add(record.notes)), \(binds.add(attributes)))
                RETURNING id
                """
            let id = try statements.value(Int64.self, sql, binds.bindings)!
            var move = Binds()
            try statements.execute("""
                INSERT INTO transitions (lead_id, from_stage, to_stage, at, "by", reason)
                VALUES (\(move.add(id)), NULL, \(move.add(stage.rawValue)), \(move.add(seconds(createdAt))), \(move.add(batch.actor)),
                        \(move.add("imported from \(batch.sourceName), line \(record.line)")))
                """, move.bindings)
            leadIds[.externalId(record.externalId)] = id
            try writeNotedObjection(record, leadId: id, accountId: accountId, at: createdAt)
            outcome.inserted += 1
        }
    }

    /// The objection a lead's notes record, kept once per lead however often the file is imported.
    private func writeNotedObjection(_ record: LeadRecord, leadId: Int64, accountId: Int64?, at: Date) throws {
        guard let (text, theme) = record.notedObjection else { return }
        let externalId = "notes:\(record.externalId)"
        if let id = try existingId("objections", "external_id", externalId) {
            var binds = Binds()
            try statements.execute(
                "UPDATE objections SET text = \(binds.add(text)), theme = \(binds.add(theme)) WHERE id = \(binds.add(id))", binds.bindings)
            return
        }
        var binds = Binds()
        let lead = binds.add(leadId)
        let account = binds.add(accountId)
        try statements.execute("""
            INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry)
            VALUES (\(binds.add(externalId)), \(lead), \(account), \(binds.add(text)), \(binds.add(theme)),
                    \(binds.add(batch.actor)), \(binds.add(seconds(at))), (SELECT stage FROM leads WHERE id = \(lead)),
                    (SELECT lower(industry) FROM accounts WHERE id = \(account)))
            """, binds.bindings)
    }

    /// The id of the row of `table` whose `column` is `value`. Rows are looked up before they are
    /// inserted, rather than inserted ON CONFLICT, because a conflicting insert still draws an id
    /// from the sequence: ids then stay the ones SQLite gives the same data.
    private func existingId(_ table: String, _ column: String, _ value: String) throws -> Int64? {
        var binds = Binds()
        return try statements.value(Int64.self, "SELECT id FROM \(table) WHERE \(column) = \(binds.add(value))", binds.bindings)
    }

    private mutating func upsertAccount(_ account: AccountRecord) throws -> Int64 {
        let key = PostgresStore.key(account.name)
        // Once per batch is enough: the rows of one export agree on their account's details.
        if let id = accountIds[key] { return id }
        var binds = Binds()
        let details = [
            binds.add(account.domain), binds.add(account.industry), binds.add(account.employees.map(Int64.init)),
            binds.add(account.revenueBand), binds.add(account.country),
        ]
        let id: Int64
        if let existing = try existingId("accounts", "name_key", key) {
            try statements.execute("""
                UPDATE accounts SET domain = COALESCE(\(details[0]), domain), industry = COALESCE(\(details[1]), industry),
                    employees = COALESCE(\(details[2]), employees), revenue_band = COALESCE(\(details[3]), revenue_band),
                    country = COALESCE(\(details[4]), country)
                WHERE id = \(binds.add(existing))
                """, binds.bindings)
            id = existing
        } else {
            let sql = """
                INSERT INTO accounts (domain, industry, employees, revenue_band, country, name, name_key)
                VALUES (\(details.joined(separator: ", ")), \(binds.add(account.name)), \(binds.add(key)))
                RETURNING id
                """
            id = try statements.value(Int64.self, sql, binds.bindings)!
        }
        accountIds[key] = id
        return id
    }

    private mutating func leadId(_ reference: LeadReference, line: Int) throws -> Int64 {
        if let id = leadIds[reference] { return id }
        var binds = Binds()
        let id: Int64?
        switch reference {
        case .externalId(let externalId):
            id = try statements.value(Int64.self, "SELECT id FROM leads WHERE external_id = \(binds.add(externalId))", binds.bindings)
        case .email(let email):
            id = try statements.value(
                Int64.self, "SELECT id FROM leads WHERE lower(email) = \(binds.add(PostgresStore.asciiLowercased(email))) ORDER BY id LIMIT 1",
                binds.bindings)
        }
        guard let id else { throw RowProblem(line: line, reason: "no lead with \(reference); import the leads first") }
        leadIds[reference] = id
        return id
    }

    private mutating func write(_ record: EventRecord, into outcome: inout BatchOutcome) throws {
        let lead = try leadId(record.lead, line: record.line)
        var binds = Binds()
        let values = [binds.add(lead), binds.add(record.kind), binds.add(seconds(record.occurredAt)), binds.add(record.detail)]
        // Not ON CONFLICT: see existingId.
        let inserted = try statements.query("""
            INSERT INTO events (lead_id, kind, occurred_at, detail) SELECT \(values.joined(separator: ", "))
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE lead_id = \(values[0]) AND kind = \(values[1])
                              AND occurred_at = \(values[2]) AND detail = \(values[3]))
            RETURNING id
            """, binds.bindings)
        if inserted.isEmpty { outcome.updated += 1 } else { outcome.inserted += 1 }
    }

    private mutating func write(_ record: ObjectionRecord, into outcome: inout BatchOutcome) throws {
        var leadId: Int64?
        var accountId: Int64?
        if let reference = record.lead {
            let id = try self.leadId(reference, line: record.line)
            leadId = id
            var binds = Binds()
            accountId = try statements.value(Int64.self, "SELECT account_id FROM leads WHERE id = \(binds.add(id))", binds.bindings)
        }
        if let name = record.accountName {
            var binds = Binds()
            guard let id = try statements.value(
                Int64.self, "SELECT id FROM accounts WHERE name_key = \(binds.add(PostgresStore.key(name)))", binds.bindings) else {
                throw RowProblem(line: record.line, reason: "no account named '\(name)'")
            }
            accountId = id
        }
        var binds = Binds()
        let account = binds.add(accountId)
        let values = [
            binds.add(leadId), account, binds.add(record.text), binds.add(record.theme), binds.add(record.loggedBy),
            binds.add(seconds(record.at)), binds.add(record.dealStage?.rawValue), "(SELECT lower(industry) FROM accounts WHERE id = \(account))",
        ]
        if let id = try existingId("objections", "external_id", record.externalId) {
            try statements.execute("""
                UPDATE objections SET (lead_id, account_id, text, theme, logged_by, at, deal_stage, industry) = (\(values.joined(separator: ", ")))
                WHERE id = \(binds.add(id))
                """, binds.bindings)
            outcome.updated += 1
        } else {
            try statements.execute("""
                INSERT INTO objections (lead_id, account_id, text, theme, logged_by, at, deal_stage, industry, external_id)
                VALUES (\(values.joined(separator: ", ")), \(binds.add(record.externalId)))
                """, binds.bindings)
            outcome.inserted += 1
        }
    }
}
