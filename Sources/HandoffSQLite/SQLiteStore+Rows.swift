import Foundation
import GRDB
import HandoffCore

// Decoding the model from rows. Columns are read by name so a new column never shifts them.

private func date(_ row: Row, _ column: String) -> Date {
    Date(timeIntervalSince1970: Double(row[column] as Int64))
}

private func flag(_ row: Row, _ column: String) -> Bool? {
    (row[column] as Int64?).map { $0 != 0 }
}

extension Lead {
    init(row: Row) {
        let attributesJSON: String = row["attributes"]
        self.init(
            id: row["id"], externalId: row["external_id"], accountId: row["account_id"], name: row["name"],
            email: row["email"], title: row["title"], seniority: (row["seniority"] as String?).flatMap(Seniority.init(rawValue:)),
            source: row["source"], owner: row["owner"], createdAt: date(row, "created_at"),
            stage: Stage(rawValue: row["stage"]) ?? .inquiry, outcome: Outcome(rawValue: row["outcome"]) ?? .open,
            facts: QualificationFacts(
                budget: flag(row, "budget"), authority: flag(row, "authority"), need: flag(row, "need"), timing: flag(row, "timing")),
            notes: row["notes"], attributes: AttributesJSON.decode(attributesJSON))
    }
}

extension Account {
    init(row: Row) {
        self.init(
            id: row["id"], name: row["name"], domain: row["domain"], industry: row["industry"], employees: row["employees"],
            revenueBand: row["revenue_band"], country: row["country"])
    }
}

extension EngagementEvent {
    init(row: Row) {
        self.init(id: row["id"], leadId: row["lead_id"], kind: row["kind"], occurredAt: date(row, "occurred_at"), detail: row["detail"])
    }
}

extension StageTransition {
    init(row: Row) {
        self.init(
            id: row["id"], leadId: row["lead_id"], from: (row["from_stage"] as String?).flatMap(Stage.init(rawValue:)),
            to: Stage(rawValue: row["to_stage"]) ?? .inquiry, at: date(row, "at"), by: row["by"], reason: row["reason"])
    }
}

extension Rejection {
    init(row: Row) {
        self.init(
            id: row["id"], leadId: row["lead_id"], at: date(row, "at"), by: row["by"], byRule: row["by_rule"],
            reasonCode: row["reason_code"], note: row["note"], definitionVersion: row["definition_version"])
    }
}

extension Objection {
    init(row: Row) {
        self.init(
            id: row["id"], externalId: row["external_id"], leadId: row["lead_id"], accountId: row["account_id"], text: row["text"],
            theme: row["theme"], loggedBy: row["logged_by"], at: date(row, "at"),
            dealStage: (row["deal_stage"] as String?).flatMap(Stage.init(rawValue:)))
    }
}
