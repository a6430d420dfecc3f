import Foundation
public import HandoffCore

/// How a store's dialect writes the parts of a lead query that differ: its placeholders (`?` in
/// order, or `$1`, `$2`…), a comparison that ignores case, and a search for text inside columns.
public protocol LeadQueryDialect {
    /// Binds `value` and returns the placeholder that stands for it where the SQL names it.
    mutating func bind(_ value: String) -> String
    mutating func bind(_ value: Int64) -> String
    /// `column` equals the text `placeholder` stands for, whatever the case of either.
    func equalIgnoringCase(_ column: String, _ placeholder: String) -> String
    /// A condition that holds when one of `columns` contains `text`, whatever the case.
    mutating func anyContains(_ columns: [String], _ text: String) -> String
}

/// The SQL of a `LeadQuery`, one builder for both stores, so that a filter means the same on
/// either: the contract suite holds their answers to each other.
public enum LeadQuerySQL {
    /// `SELECT columns FROM leads …` for `query`; `newestFirst` orders the rows as the lead list shows them.
    public static func select(_ columns: String, _ query: LeadQuery, newestFirst: Bool, _ dialect: inout some LeadQueryDialect) -> String {
        var clauses: [String] = []
        if !query.stages.isEmpty && !query.rangeIsStageEntry {
            clauses.append("leads.stage IN (\(query.stages.map { dialect.bind($0.rawValue) }.joined(separator: ",")))")
        }
        if !query.outcomes.isEmpty {
            clauses.append("leads.outcome IN (\(query.outcomes.map { dialect.bind($0.rawValue) }.joined(separator: ",")))")
        }
        if let source = query.source {
            clauses.append(dialect.equalIgnoringCase("leads.source", dialect.bind(source)))
        }
        if query.rangeIsStageEntry && !query.stages.isEmpty {
            // From the transitions in the period (indexed by time), not from every lead. Only the
            // moves that stand (`Trail.standing`): an undo is no entry, nor is the move it took
            // back, which is the lead's move just before it (an undo never follows an undo).
            let from = dialect.bind(Int64(query.createdFrom?.timeIntervalSince1970 ?? -1e12))
            let to = dialect.bind(Int64(query.createdTo?.timeIntervalSince1970 ?? 1e12))
            let stages = query.stages.map { dialect.bind($0.rawValue) }.joined(separator: ",")
            // Bound once per use: SQLite's placeholders are taken in order.
            let undo = dialect.bind(Trail.undoReason + "%")
            let undoAfter = dialect.bind(Trail.undoReason + "%")
            clauses.append("""
                leads.id IN (SELECT t.lead_id FROM transitions t WHERE t.at >= \(from) AND t.at < \(to)
                             AND t.to_stage IN (\(stages)) AND t.reason NOT LIKE \(undo)
                             AND NOT EXISTS (SELECT 1 FROM transitions u WHERE u.lead_id = t.lead_id AND u.reason LIKE \(undoAfter)
                                             AND u.id = (SELECT min(n.id) FROM transitions n WHERE n.lead_id = t.lead_id AND n.id > t.id)))
                """)
        } else {
            if let from = query.createdFrom {
                clauses.append("leads.created_at >= \(dialect.bind(Int64(from.timeIntervalSince1970)))")
            }
            if let to = query.createdTo {
                clauses.append("leads.created_at < \(dialect.bind(Int64(to.timeIntervalSince1970)))")
            }
        }
        if let accountId = query.accountId {
            clauses.append("leads.account_id = \(dialect.bind(accountId))")
        }
        if let owner = query.owner {
            clauses.append(dialect.equalIgnoringCase("leads.owner", dialect.bind(owner)))
        }
        if let industry = query.industry {
            clauses.append("leads.account_id IN (SELECT id FROM accounts WHERE \(dialect.equalIgnoringCase("industry", dialect.bind(industry))))")
        }
        if let text = query.text {
            clauses.append(dialect.anyContains(["leads.name", "leads.email", "leads.external_id", "accounts.name"], text))
        }
        var sql = "SELECT \(columns) FROM leads"
        if query.text != nil { sql += " LEFT JOIN accounts ON accounts.id = leads.account_id" }
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        if newestFirst { sql += " ORDER BY leads.created_at DESC, leads.id DESC" }
        if let limit = query.limit {
            sql += " LIMIT \(dialect.bind(Int64(limit)))"
        }
        return sql
    }
}
