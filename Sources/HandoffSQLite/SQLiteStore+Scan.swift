import Foundation
import GRDB
import GRDBSQLite
import HandoffCore

// The definition report's bulk read: leads by rowid and their events from the covering
// (lead_id, kind, occurred_at, detail) index, both in lead order and merged as they stream, read
// through SQLite's own API because building GRDB rows for ten million events costs more than
// reading them.
extension SQLiteStore: LeadScanning {
    public func scanAccounts(_ body: (Account) throws -> Void) throws {
        try scanRead { db in
            let statement = try db.makeStatement(sql: "SELECT id, name, domain, industry, employees, revenue_band, country FROM accounts")
            let accounts = StatementCursor(statement, db)
            let row = accounts.row
            while try accounts.next() {
                try body(Account(
                    id: row.int(0), name: row.text(1), domain: row.optionalText(2), industry: row.optionalText(3),
                    employees: row.optionalInt(4).map(Int.init), revenueBand: row.optionalText(5), country: row.optionalText(6)))
            }
        }
    }

    public func scanLeads(
        outcomes: [Outcome], fields: Set<FieldPath.LeadField>, attributes: Bool, eventKinds: [String],
        part: Int, of parts: Int,
        _ body: (Lead, UnsafeBufferPointer<ScannedEvent>) throws -> Void
    ) throws {
        try scanRead { db in
            // Every page is read once: filling this connection's 32 MB cache with them only costs
            // the memory (and the kernel zeroing it).
            try db.execute(sql: "PRAGMA cache_size = -1024")
            defer { try? db.execute(sql: "PRAGMA cache_size = -32768") }
            guard let low = try Int64.fetchOne(db, sql: "SELECT min(id) FROM leads"),
                  let high = try Int64.fetchOne(db, sql: "SELECT max(id) FROM leads") else { return }
            let span = high - low + 1
            let from = low + span * Int64(part) / Int64(parts)
            let to = low + span * Int64(part + 1) / Int64(parts)

            let columns = FieldPath.LeadField.allCases.filter { fields.contains($0) || ($0 == .email && fields.contains(.emailDomain)) }
                .filter { $0 != .emailDomain }
            let extra = columns.map(\.rawValue) + (attributes ? ["attributes"] : [])
            let leads = try db.makeStatement(sql: """
                SELECT id, created_at, outcome, account_id, budget, authority, need, timing\(extra.map { ", \($0)" }.joined())
                FROM leads WHERE id >= ? AND id < ? AND outcome IN (\(outcomes.map { _ in "?" }.joined(separator: ",")))
                ORDER BY id
                """)
            try leads.setArguments(StatementArguments([from, to]) + StatementArguments(outcomes.map(\.rawValue)))
            let events = try db.makeStatement(sql: """
                SELECT lead_id, kind, occurred_at FROM events WHERE lead_id >= ? AND lead_id < ? ORDER BY lead_id, kind, occurred_at
                """)
            try events.setArguments([from, to])

            var kinds = EventKinds(eventKinds)
            let eventRows = StatementCursor(events, db)
            let event = eventRows.row
            // The lead of the event under the cursor (Int64.max past the last one).
            var eventLead = try eventRows.next() ? event.int(0) : .max
            var buffer: [ScannedEvent] = []
            let leadRows = StatementCursor(leads, db)
            let row = leadRows.row
            while try leadRows.next() {
                let id = row.int(0)
                var lead = Lead(
                    id: id, externalId: "", accountId: row.optionalInt(3), name: "",
                    createdAt: Date(timeIntervalSince1970: Double(row.int(1))),
                    outcome: row.optionalText(2).flatMap(Outcome.init(rawValue:)) ?? .open,
                    facts: QualificationFacts(
                        budget: row.optionalInt(4).map { $0 != 0 }, authority: row.optionalInt(5).map { $0 != 0 },
                        need: row.optionalInt(6).map { $0 != 0 }, timing: row.optionalInt(7).map { $0 != 0 }))
                for (offset, column) in columns.enumerated() {
                    let value = row.optionalText(Int32(8 + offset))
                    switch column {
                    case .title: lead.title = value
                    case .seniority: lead.seniority = value.flatMap(Seniority.init(rawValue:))
                    case .source: lead.source = value
                    case .email, .emailDomain: lead.email = value
                    case .owner: lead.owner = value
                    case .notes: lead.notes = value
                    case .name: lead.name = value ?? ""
                    case .stage: lead.stage = value.flatMap(Stage.init(rawValue:)) ?? .inquiry
                    }
                }
                if attributes { lead.attributes = AttributesJSON.decode(row.optionalText(Int32(8 + columns.count)) ?? "{}") }

                buffer.removeAll(keepingCapacity: true)
                while eventLead < id { eventLead = try eventRows.next() ? event.int(0) : .max }
                while eventLead == id {
                    if let kind = kinds.index(event) { buffer.append(ScannedEvent(kind: kind, at: event.int(2))) }
                    eventLead = try eventRows.next() ? event.int(0) : .max
                }
                try buffer.withUnsafeBufferPointer { try body(lead, $0) }
            }
        }
    }
}

/// Maps an event's kind, as bytes in the row, to its position in the scored kinds; the rows come
/// grouped by kind, so the last answer is usually the next one too.
private struct EventKinds {
    let names: [[UInt8]]
    var last: [UInt8] = []
    var lastIndex: Int32?

    init(_ names: [String]) { self.names = names.map { Array($0.utf8) } }

    mutating func index(_ row: StatementRow) -> Int32? {
        let bytes = row.bytes(1)
        if bytes.elementsEqual(last) { return lastIndex }
        last = Array(bytes)
        lastIndex = names.firstIndex { $0.elementsEqual(bytes) }.map(Int32.init)
        return lastIndex
    }
}
