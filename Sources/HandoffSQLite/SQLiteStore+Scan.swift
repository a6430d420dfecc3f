import Foundation
import GRDB
import GRDBSQLite
public import HandoffCore

// The definition report's bulk read: leads by rowid and each lead's events from its lead_activity
// row (or from the events index, see EventFeed), both in lead order and merged as they stream,
// read through SQLite's own API because building GRDB rows for a million leads costs more than
// reading them.
extension SQLiteStore {
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
            // Outcome, seniority and stage matched as bytes, without making a string of each.
            let outcome = BytesToCase(outcomes)
            let seniority = BytesToCase(Seniority.allCases)
            let stage = BytesToCase(Stage.allCases)
            // A scan that asks for no events reads none (lead_activity is most of the file).
            var feed = eventKinds.isEmpty ? nil : try EventFeed(db, from: from, to: to, kinds: eventKinds)
            var buffer: [ScannedEvent] = []
            let leadRows = StatementCursor(leads, db)
            let row = leadRows.row
            while try leadRows.next() {
                let id = row.int(0)
                var lead = Lead(
                    id: id, externalId: "", accountId: row.optionalInt(3), name: "",
                    createdAt: Date(timeIntervalSince1970: Double(row.int(1))),
                    outcome: outcome[row.bytes(2)] ?? .open,
                    facts: QualificationFacts(
                        budget: row.optionalInt(4).map { $0 != 0 }, authority: row.optionalInt(5).map { $0 != 0 },
                        need: row.optionalInt(6).map { $0 != 0 }, timing: row.optionalInt(7).map { $0 != 0 }))
                for (offset, column) in columns.enumerated() {
                    let at = Int32(8 + offset)
                    switch column {
                    case .seniority: lead.seniority = seniority[row.bytes(at)]
                    case .title: lead.title = row.optionalText(at)
                    case .source: lead.source = row.optionalText(at)
                    case .email, .emailDomain: lead.email = row.optionalText(at)
                    case .owner: lead.owner = row.optionalText(at)
                    case .notes: lead.notes = row.optionalText(at)
                    case .name: lead.name = row.text(at)
                    case .stage: lead.stage = stage[row.bytes(at)] ?? .inquiry
                    }
                }
                if attributes { lead.attributes = AttributesJSON.decode(row.optionalText(Int32(8 + columns.count)) ?? "{}") }

                buffer.removeAll(keepingCapacity: true)
                try feed?.events(of: id, into: &buffer)
                try buffer.withUnsafeBufferPointer { try body(lead, $0) }
            }
        }
    }
}

/// The case of a string enum whose raw value is these bytes.
private struct BytesToCase<Case: RawRepresentable> where Case.RawValue == String {
    private let cases: [Case]
    private let names: [[UInt8]]

    init(_ cases: [Case]) {
        self.cases = cases
        names = cases.map { Array($0.rawValue.utf8) }
    }

    subscript(bytes: UnsafeBufferPointer<UInt8>) -> Case? {
        names.firstIndex { $0.elementsEqual(bytes) }.map { cases[$0] }
    }
}

/// A scan's events, lead by lead in id order. Each lead's come from its lead_activity row, except
/// for the leads whose events changed since it was written (lead_activity_stale), read from the
/// events index one lead at a time. While lead_activity is not kept (a big events import has set
/// its triggers aside), or when the stale leads of a part number more than a tenth of its id range,
/// every event is read from the index as it streams.
private struct EventFeed {
    private let db: Database
    private var kinds: EventKinds
    /// The rows of the part, from lead_activity or from the events index (the statement is kept:
    /// the cursor does not hold it), and the lead of the one under the cursor (Int64.max past the last).
    private let statement: Statement
    private let rows: StatementCursor
    private let packed: Bool
    private var rowLead: Int64 = .max
    private let stale: Set<Int64>

    init(_ db: Database, from: Int64, to: Int64, kinds names: [String]) throws {
        self.db = db
        kinds = EventKinds(names)
        let kept = try Bool.fetchOne(db, sql: "SELECT \(Migrations.leadActivityIsKept)") ?? false
        let stale = try Set(Int64.fetchAll(db, sql: "SELECT lead_id FROM lead_activity_stale WHERE lead_id >= ? AND lead_id < ?", arguments: [from, to]))
        // A lookup per stale lead costs about what streaming ten leads' events does.
        packed = kept && Int64(stale.count) * 10 < to - from
        self.stale = packed ? stale : []
        statement = try db.makeStatement(sql: packed
            ? "SELECT lead_id, events FROM lead_activity WHERE lead_id >= ? AND lead_id < ? ORDER BY lead_id"
            : "SELECT lead_id, kind, occurred_at FROM events WHERE lead_id >= ? AND lead_id < ? ORDER BY lead_id, kind, occurred_at")
        try statement.setArguments([from, to])
        rows = StatementCursor(statement, db)
        rowLead = try rows.next() ? rows.row.int(0) : .max
    }

    /// Appends the scored events of lead `id` to `buffer`, each kind oldest first. Leads are asked
    /// for in increasing id order.
    mutating func events(of id: Int64, into buffer: inout [ScannedEvent]) throws {
        while rowLead < id { try advance() }
        guard packed else {
            while rowLead == id {
                append(rows.row, into: &buffer)
                try advance()
            }
            return
        }
        if !stale.contains(id) {
            // A lead without events has no row.
            guard rowLead == id else { return }
            let read = ActivityText.read(rows.row.bytes(1), kinds: &kinds, into: &buffer)
            try advance()
            if read { return }
        }
        // Changed since its row was written, or a row not in the form Handoff writes: the events themselves.
        try db.each(cached: "SELECT lead_id, kind, occurred_at FROM events WHERE lead_id = ? ORDER BY kind, occurred_at", [id]) { row in
            append(row, into: &buffer)
        }
    }

    /// Appends the event of a (lead_id, kind, occurred_at) row if its kind is scored.
    private mutating func append(_ row: StatementRow, into buffer: inout [ScannedEvent]) {
        if let kind = kinds.index(row.bytes(1)) { buffer.append(ScannedEvent(kind: kind, at: row.int(2))) }
    }

    private mutating func advance() throws { rowLead = try rows.next() ? rows.row.int(0) : .max }
}

/// Reads a lead_activity row: a line per kind, "<bytes of the kind> <kind> <time>,<time>…".
enum ActivityText {
    /// Appends the events of the scored kinds to `buffer`, each kind oldest first; false when the
    /// text is not in that form (`buffer` is then as it was).
    static func read(_ text: UnsafeBufferPointer<UInt8>, kinds: inout EventKinds, into buffer: inout [ScannedEvent]) -> Bool {
        let start = buffer.count
        if parse(text, kinds: &kinds, into: &buffer) { return true }
        buffer.removeSubrange(start...)
        return false
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>, kinds: inout EventKinds, into buffer: inout [ScannedEvent]) -> Bool {
        // Handoff writes a row only for a lead with events.
        guard !text.isEmpty else { return false }
        var at = 0
        let end = text.count
        func number() -> Int64? {
            let negative = at < end && text[at] == UInt8(ascii: "-")
            if negative { at += 1 }
            let first = at
            var value: Int64 = 0
            while at < end, text[at] >= 0x30, text[at] <= 0x39, at - first < 19 {
                value = value &* 10 &+ Int64(text[at] &- 0x30)
                at += 1
            }
            return at > first ? (negative ? 0 &- value : value) : nil
        }
        while at < end {
            guard let length = number().map(Int.init), length >= 0, length < end - at - 1, text[at] == 0x20,
                  text[at + 1 + length] == 0x20 else { return false }
            let kind = kinds.index(UnsafeBufferPointer(rebasing: text[(at + 1)..<(at + 1 + length)]))
            at += length + 2
            let first = buffer.count
            var sorted = true
            while true {
                guard let time = number() else { return false }
                if let kind {
                    if buffer.count > first && time < buffer[buffer.count - 1].at { sorted = false }
                    buffer.append(ScannedEvent(kind: kind, at: time))
                }
                if at < end && text[at] == UInt8(ascii: ",") {
                    at += 1
                } else {
                    break
                }
            }
            if !sorted { buffer[first...].sort { $0.at < $1.at } }
            if at < end {
                guard text[at] == 0x0A, at + 1 < end else { return false }
                at += 1
            }
        }
        return true
    }
}

/// Maps an event's kind, as bytes, to its position in the scored kinds; events come grouped by
/// kind, so the last kind found is tried first.
struct EventKinds {
    private let names: [[UInt8]]
    private var last = 0

    init(_ names: [String]) { self.names = names.map { Array($0.utf8) } }

    mutating func index(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        if last < names.count && Self.same(names[last], bytes) { return Int32(last) }
        guard let found = names.firstIndex(where: { Self.same($0, bytes) }) else { return nil }
        last = found
        return Int32(found)
    }

    private static func same(_ name: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        name.count == bytes.count
            && (bytes.isEmpty || name.withUnsafeBufferPointer { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 })
    }
}
