import Foundation
import HandoffCore
import PostgresNIO

// Decoding the model from rows. Each table's columns are named once here and selected in that
// order, so a row is read by position.

enum Columns {
    static let lead = """
        leads.id, leads.external_id, leads.account_id, leads.name, leads.email, leads.title, leads.seniority, leads.source,
        leads.owner, leads.created_at, leads.stage, leads.outcome, leads.budget, leads.authority, leads.need, leads.timing,
        leads.notes, leads.attributes
        """
    static let account = "id, name, domain, industry, employees, revenue_band, country"
    static let event = "id, lead_id, kind, occurred_at, detail"
    static let transition = #"id, lead_id, from_stage, to_stage, at, "by", reason"#
    static let rejection = #"id, lead_id, at, "by", by_rule, reason_code, note, definition_version"#
    static let objection = "id, external_id, lead_id, account_id, text, theme, logged_by, at, deal_stage, confidence"
}

private func time(_ cell: PostgresCell) throws -> Date {
    Date(timeIntervalSince1970: Double(try cell.decode(Int64.self)))
}

extension Lead {
    init(postgres row: PostgresRandomAccessRow) throws {
        func flag(_ index: Int) throws -> Bool? { try row[index].decode(Int64?.self).map { $0 != 0 } }
        self.init(
            id: try row[0].decode(Int64.self), externalId: try row[1].decode(String.self), accountId: try row[2].decode(Int64?.self),
            name: try row[3].decode(String.self), email: try row[4].decode(String?.self), title: try row[5].decode(String?.self),
            seniority: try row[6].decode(String?.self).flatMap(Seniority.init(rawValue:)), source: try row[7].decode(String?.self),
            owner: try row[8].decode(String?.self), createdAt: try time(row[9]),
            stage: Stage(rawValue: try row[10].decode(String.self)) ?? .inquiry,
            outcome: Outcome(rawValue: try row[11].decode(String.self)) ?? .open,
            facts: QualificationFacts(budget: try flag(12), authority: try flag(13), need: try flag(14), timing: try flag(15)),
            notes: try row[16].decode(String?.self), attributes: AttributesJSON.decode(try row[17].decode(String.self)))
    }
}

extension Account {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row[0].decode(Int64.self), name: try row[1].decode(String.self), domain: try row[2].decode(String?.self),
            industry: try row[3].decode(String?.self), employees: try row[4].decode(Int?.self),
            revenueBand: try row[5].decode(String?.self), country: try row[6].decode(String?.self))
    }
}

extension EngagementEvent {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row[0].decode(Int64.self), leadId: try row[1].decode(Int64.self), kind: try row[2].decode(String.self),
            occurredAt: try time(row[3]), detail: try row[4].decode(String.self))
    }
}

extension StageTransition {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row[0].decode(Int64.self), leadId: try row[1].decode(Int64.self),
            from: try row[2].decode(String?.self).flatMap(Stage.init(rawValue:)),
            to: Stage(rawValue: try row[3].decode(String.self)) ?? .inquiry, at: try time(row[4]),
            by: try row[5].decode(String.self), reason: try row[6].decode(String.self))
    }
}

extension Move {
    /// id, lead_id, from_stage, to_stage, at, whether the reason starts as an undo's
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row[0].decode(Int64.self), leadId: try row[1].decode(Int64.self),
            from: try row[2].decode(String?.self).flatMap(Stage.init(rawValue:)),
            to: Stage(rawValue: try row[3].decode(String.self)) ?? .inquiry, at: try time(row[4]), isUndo: try row[5].decode(Bool.self))
    }
}

extension Rejection {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row[0].decode(Int64.self), leadId: try row[1].decode(Int64.self), at: try time(row[2]),
            by: try row[3].decode(String.self), byRule: try row[4].decode(Int64.self) != 0,
            reasonCode: try row[5].decode(String.self), note: try row[6].decode(String.self),
            definitionVersion: try row[7].decode(String.self))
    }
}

extension Objection {
    init(postgres row: PostgresRandomAccessRow) throws {
        self.init(
            id: try row[0].decode(Int64.self), externalId: try row[1].decode(String?.self), leadId: try row[2].decode(Int64?.self),
            accountId: try row[3].decode(Int64?.self), text: try row[4].decode(String.self), theme: try row[5].decode(String.self),
            loggedBy: try row[6].decode(String.self), at: try time(row[7]),
            dealStage: try row[8].decode(String?.self).flatMap(Stage.init(rawValue:)), confidence: try row[9].decode(Double?.self))
    }
}
