import Foundation
public import HandoffCore
import PostgresNIO

// The definition report's bulk read on the team store: a part of the leads in one query and their
// scored events in another, gathered by the server into one row per lead, merged here in lead
// order, rather than every lead and then their events a thousand leads at a time (BENCHMARKS.md,
// "Figures that were in comments").
extension PostgresStore {
    public func scanAccounts(_ body: (Account) throws -> Void) throws {
        let rows = try read { statements in try statements.query("SELECT \(Columns.account) FROM accounts") }
        for row in rows { try body(try Account(postgres: row)) }
    }

    public func scanLeads(
        outcomes: [Outcome], fields: Set<FieldPath.LeadField>, attributes: Bool, eventKinds: [String],
        part: Int, of parts: Int,
        _ body: (Lead, UnsafeBufferPointer<ScannedEvent>) throws -> Void
    ) throws {
        let (leads, events) = try read { statements -> ([PostgresRandomAccessRow], [PostgresRandomAccessRow]) in
            let bounds = try statements.query("SELECT min(id), max(id) FROM leads")[0]
            guard let low = try bounds[0].decode(Int64?.self), let high = try bounds[1].decode(Int64?.self) else { return ([], []) }
            let span = high - low + 1
            let from = low + span * Int64(part) / Int64(parts)
            let to = low + span * Int64(part + 1) / Int64(parts)
            var binds = Binds()
            let leads = try statements.query("""
                SELECT \(Columns.lead) FROM leads
                WHERE id >= \(binds.add(from)) AND id < \(binds.add(to)) AND outcome = ANY(\(binds.add(outcomes.map(\.rawValue))))
                ORDER BY id
                """, binds.bindings)
            // Each kind's times oldest first, the kinds in byte order (the column's collation is "C").
            binds = Binds()
            let events = try statements.query("""
                SELECT lead_id, array_agg(kind ORDER BY kind, occurred_at), array_agg(occurred_at ORDER BY kind, occurred_at)
                FROM events
                WHERE lead_id >= \(binds.add(from)) AND lead_id < \(binds.add(to)) AND kind = ANY(\(binds.add(eventKinds)))
                GROUP BY lead_id ORDER BY lead_id
                """, binds.bindings)
            return (leads, events)
        }
        let kindIndex = Dictionary(uniqueKeysWithValues: eventKinds.enumerated().map { ($1, Int32($0)) })
        var buffer: [ScannedEvent] = []
        var next = events.startIndex
        for row in leads {
            let lead = try Lead(postgres: row)
            buffer.removeAll(keepingCapacity: true)
            while next < events.endIndex, try events[next][0].decode(Int64.self) < lead.id! { next += 1 }
            if next < events.endIndex, try events[next][0].decode(Int64.self) == lead.id! {
                let kinds = try events[next][1].decode([String].self)
                let times = try events[next][2].decode([Int64].self)
                for (kind, time) in zip(kinds, times) {
                    if let index = kindIndex[kind] { buffer.append(ScannedEvent(kind: index, at: time)) }
                }
                next += 1
            }
            try buffer.withUnsafeBufferPointer { try body(lead, $0) }
        }
    }
}
