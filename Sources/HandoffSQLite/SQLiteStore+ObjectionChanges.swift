public import Foundation
import GRDB
public import HandoffCore
import HandoffStoreSQL

extension SQLiteStore {
    public func objection(id: Int64) throws -> Objection? {
        try read { db in try db.all(cached: "SELECT * FROM objections WHERE id = ?", [id], Objection.init).first }
    }

    public func retheme(objectionId: Int64, to theme: String, by: String, at: Date) throws {
        try write { db in
            guard let row = try Row.fetchOne(cached: db, sql: "SELECT theme, confidence FROM objections WHERE id = ?", arguments: [objectionId]) else {
                throw NotFoundError("there is no objection #\(objectionId)", hint: "`objections at NAME` lists objections with their numbers")
            }
            let old: String = row[0]
            let confidence: Double? = row[1]
            // The same theme again confirms what the classifier was unsure of; for one a person settled, it changes nothing.
            guard old != theme || confidence != nil else { throw ConflictError("objection #\(objectionId) is already filed under \(theme)") }
            // A person settled it: the classifier's confidence no longer applies.
            try db.execute(sql: "UPDATE objections SET theme = ?, confidence = NULL WHERE id = ?", arguments: [theme, objectionId])
            try db.execute(
                sql: "INSERT INTO objection_changes (objection_id, at, by, change, from_value, to_value) VALUES (?, ?, ?, 'retheme', ?, ?)",
                arguments: [objectionId, seconds(at), by, old, theme])
        }
    }

    public func withdraw(objectionId: Int64, by: String, at: Date, note: String) throws {
        try write { db in
            guard let objection = try db.all(cached: "SELECT * FROM objections WHERE id = ?", [objectionId], Objection.init).first else {
                throw NotFoundError("there is no objection #\(objectionId)", hint: "it may have been withdrawn already: `objection \(objectionId)` says")
            }
            try db.execute(
                sql: "INSERT INTO objection_changes (objection_id, at, by, change, from_value, note) VALUES (?, ?, ?, 'withdraw', ?, ?)",
                arguments: [objectionId, seconds(at), by, objection.archived, note])
            try db.execute(sql: "DELETE FROM objections WHERE id = ?", arguments: [objectionId])
        }
    }

    public func themeCorrections(limit: Int) throws -> [ThemeClassifier.Correction] {
        try read { db in
            try db.all(
                cached: """
                    SELECT text, theme FROM objections
                    WHERE id IN (SELECT objection_id FROM objection_changes WHERE change = 'retheme')
                    ORDER BY id DESC LIMIT ?
                    """,
                [limit]
            ) { row in ThemeClassifier.Correction(text: row.text(0), theme: row.text(1)) }
        }
    }

    public func objectionsToReview(below confidence: Double, limit: Int) throws -> [Objection] {
        try read { db in
            try db.all(cached: "SELECT * FROM objections WHERE confidence < ? ORDER BY at DESC, id DESC LIMIT ?", [confidence, limit], Objection.init)
        }
    }

    public func cachedThemeAnswer(key: String) throws -> ThemeAnswer? {
        try read { db in
            try db.all(cached: "SELECT theme, model, at FROM theme_answers WHERE text = ?", [key]) { row in
                ThemeAnswer(theme: row.text(0), model: row.text(1), at: row.date(2))
            }.first
        }
    }

    public func cacheThemeAnswer(key: String, _ answer: ThemeAnswer) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO theme_answers (text, theme, model, at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (text) DO UPDATE SET theme = excluded.theme, model = excluded.model, at = excluded.at
                    """,
                arguments: [key, answer.theme, answer.model, seconds(answer.at)])
        }
    }

    public func objectionChanges(objectionId: Int64) throws -> [ObjectionChange] {
        try read { db in
            try db.all(
                cached: "SELECT objection_id, at, by, change, from_value, to_value, note FROM objection_changes WHERE objection_id = ? ORDER BY at, id",
                [objectionId]
            ) { row in
                ObjectionChange(
                    objectionId: row.int(0), at: row.date(1), by: row.text(2), kind: ObjectionChange.Kind(rawValue: row.text(3)) ?? .retheme,
                    from: row.optionalText(4), to: row.optionalText(5), note: row.text(6))
            }
        }
    }
}
