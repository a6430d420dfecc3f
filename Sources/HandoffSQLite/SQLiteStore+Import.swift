import Foundation
import GRDB
import HandoffCore

extension SQLiteStore {
    public func apply(_ batch: ImportBatch, dryRun: Bool) throws -> BatchOutcome {
        do {
            return try pool.writeWithoutTransaction { db in
                var outcome = BatchOutcome()
                try db.inTransaction(.immediate) {
                    var writer = BatchWriter(db: db, batch: batch)
                    for record in batch.records {
                        do {
                            try writer.write(record, into: &outcome)
                        } catch let problem as RowProblem {
                            outcome.rejected.append(problem)
                        }
                    }
                    return dryRun ? .rollback : .commit
                }
                return outcome
            }
        } catch let error as DatabaseError {
            throw StoreError("the import into \(location) failed and nothing of this batch was written: \(error.message ?? "\(error.resultCode)")")
        }
    }
}

/// Writes one batch's records inside its transaction, remembering the accounts and leads it has
/// looked up so a batch asks for each only once.
private struct BatchWriter {
    let db: Database
    let batch: ImportBatch
    var accountIds: [String: Int64] = [:]
    var leadIds: [LeadReference: Int64] = [:]

    init(db: Database, batch: ImportBatch) {
        self.db = db
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
        let existing = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT id, stage FROM leads WHERE external_id = ?"), arguments: [record.externalId])
        let facts = QualificationFacts.Fact.allCases.map { record.facts[$0].map { $0 ? 1 : 0 } }
        if let existing {
            let id: Int64 = existing["id"]
            let oldStage: String = existing["stage"]
            try db.cachedStatement(sql: """
                UPDATE leads SET
                    account_id = COALESCE(?, account_id), name = COALESCE(?, name), email = COALESCE(?, email),
                    title = COALESCE(?, title), seniority = COALESCE(?, seniority), source = COALESCE(?, source),
                    owner = COALESCE(?, owner), created_at = COALESCE(?, created_at), outcome = COALESCE(?, outcome),
                    budget = COALESCE(?, budget), authority = COALESCE(?, authority), need = COALESCE(?, need),
                    timing = COALESCE(?, timing), notes = COALESCE(?, notes),
                    attributes = CASE WHEN ? = '{}' THEN attributes ELSE json_patch(attributes, ?) END
                WHERE id = ?
                """).execute(arguments: [
                    accountId, record.name, record.email, record.title, record.seniority?.rawValue, record.source,
                    record.owner, record.createdAt.map(seconds), record.outcome?.rawValue,
                    facts[0], facts[1], facts[2], facts[3], record.notes,
                    AttributesJSON.encode(record.attributes), AttributesJSON.encode(record.attributes), id,
                ])
            if let stage = record.stage, stage.rawValue != oldStage {
                try SQLiteStore.recordMove(
                    db, leadId: id, from: oldStage, to: stage.rawValue, at: batch.at, by: batch.actor,
                    reason: "imported from \(batch.sourceName), line \(record.line)")
            }
            leadIds[.externalId(record.externalId)] = id
            try writeNotedObjection(record, leadId: id, accountId: accountId, at: record.createdAt ?? batch.at)
            outcome.updated += 1
        } else {
            let createdAt = record.createdAt ?? batch.at
            let stage = record.stage ?? .inquiry
            try db.cachedStatement(sql: """
                INSERT INTO leads (external_id, account_id, name, email, title, seniority, source, owner, created_at,
                                   stage, outcome, budget, authority, need, timing, notes, attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [
                    record.externalId, accountId, record.name ?? record.email ?? record.externalId, record.email,
                    record.title, record.seniority?.rawValue, record.source, record.owner, seconds(createdAt),
                    stage.rawValue, (record.outcome ?? .open).rawValue, facts[0], facts[1], facts[2], facts[3],
                    record.notes, AttributesJSON.encode(record.attributes),
                ])
            let id = db.lastInsertedRowID
            try db.cachedStatement(sql: """
                INSERT INTO transitions (lead_id, from_stage, to_stage, at, by, reason) VALUES (?, NULL, ?, ?, ?, ?)
                """).execute(arguments: [id, stage.rawValue, seconds(createdAt), batch.actor,
                                         "imported from \(batch.sourceName), line \(record.line)"])
            leadIds[.externalId(record.externalId)] = id
            try writeNotedObjection(record, leadId: id, accountId: accountId, at: createdAt)
            outcome.inserted += 1
        }
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
        let key = SQLiteStore.key(account.name)
        // Once per batch is enough: the rows of one export agree on their account's details.
        if let id = accountIds[key] { return id }
        let arguments: StatementArguments = [
            account.domain, account.industry, account.employees, account.revenueBand, account.country,
        ]
        if let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM accounts WHERE name_key = ?"), arguments: [key]) {
            try db.cachedStatement(sql: """
                UPDATE accounts SET domain = COALESCE(?, domain), industry = COALESCE(?, industry),
                    employees = COALESCE(?, employees), revenue_band = COALESCE(?, revenue_band), country = COALESCE(?, country)
                WHERE id = ?
                """).execute(arguments: arguments + [id])
            accountIds[key] = id
            return id
        }
        try db.cachedStatement(sql: """
            INSERT INTO accounts (name, name_key, domain, industry, employees, revenue_band, country) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [account.name, key] + arguments)
        let id = db.lastInsertedRowID
        accountIds[key] = id
        return id
    }

    private mutating func leadId(_ reference: LeadReference, line: Int) throws -> Int64 {
        if let id = leadIds[reference] { return id }
        let id: Int64?
        switch reference {
        case .externalId(let externalId):
            id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM leads WHERE external_id = ?"), arguments: [externalId])
        case .email(let email):
            id = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM leads WHERE email = ? COLLATE NOCASE ORDER BY id LIMIT 1"), arguments: [email])
        }
        guard let id else { throw RowProblem(line: line, reason: "no lead with \(reference); import the leads first") }
        leadIds[reference] = id
        return id
    }

    private mutating func write(_ record: EventRecord, into outcome: inout BatchOutcome) throws {
        let lead = try leadId(record.lead, line: record.line)
        try db.cachedStatement(sql: """
            INSERT INTO events (lead_id, kind, occurred_at, detail) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).execute(arguments: [lead, record.kind, seconds(record.occurredAt), record.detail])
        if db.changesCount > 0 { outcome.inserted += 1 } else { outcome.updated += 1 }
    }

    private mutating func write(_ record: ObjectionRecord, into outcome: inout BatchOutcome) throws {
        var leadId: Int64?
        var accountId: Int64?
        if let reference = record.lead {
            let id = try self.leadId(reference, line: record.line)
            leadId = id
            accountId = try Int64.fetchOne(db.cachedStatement(sql: "SELECT account_id FROM leads WHERE id = ?"), arguments: [id])
        }
        if let name = record.accountName {
            guard let id = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM accounts WHERE name_key = ?"), arguments: [SQLiteStore.key(name)]) else {
                throw RowProblem(line: record.line, reason: "no account named '\(name)'")
            }
            accountId = id
        }
        let existed = try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT id FROM objections WHERE external_id = ?"), arguments: [record.externalId]) != nil
        try db.cachedStatement(sql: """
            INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, industry)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, (SELECT lower(industry) FROM accounts WHERE id = ?))
            ON CONFLICT (external_id) DO UPDATE SET lead_id = excluded.lead_id, account_id = excluded.account_id,
                text = excluded.text, theme = excluded.theme, logged_by = excluded.logged_by, at = excluded.at,
                deal_stage = excluded.deal_stage, industry = excluded.industry
            """).execute(arguments: [
                record.externalId, leadId, accountId, record.text, record.theme, record.loggedBy, seconds(record.at),
                record.dealStage?.rawValue, accountId,
            ])
        if existed { outcome.updated += 1 } else { outcome.inserted += 1 }
    }
}
