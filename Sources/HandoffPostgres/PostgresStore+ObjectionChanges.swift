public import Foundation
public import HandoffCore
import HandoffStoreSQL
import PostgresNIO

extension PostgresStore {
    public func objection(id: Int64) throws -> Objection? {
        var binds = Binds()
        let sql = "SELECT \(Columns.objection) FROM objections WHERE id = \(binds.add(id))"
        return try read { statements in try statements.query(sql, binds.bindings).map(Objection.init(postgres:)).first }
    }

    public func retheme(objectionId: Int64, to theme: String, by: String, at: Date) throws {
        try write { statements in
            var binds = Binds()
            let sql = "SELECT theme, confidence FROM objections WHERE id = \(binds.add(objectionId)) FOR UPDATE"
            guard let row = try statements.query(sql, binds.bindings).first else {
                throw NotFoundError("there is no objection #\(objectionId)", hint: "`objections at NAME` lists objections with their numbers")
            }
            let old = try row[0].decode(String.self)
            // The same theme again confirms what the classifier was unsure of; for one a person settled, it changes nothing.
            let confidence = try row[1].decode(Double?.self)
            guard old != theme || confidence != nil else {
                throw ConflictError("objection #\(objectionId) is already filed under \(theme)")
            }
            binds = Binds()
            // A person settled it: the classifier's confidence no longer applies.
            try statements.execute("UPDATE objections SET theme = \(binds.add(theme)), confidence = NULL WHERE id = \(binds.add(objectionId))", binds.bindings)
            binds = Binds()
            try statements.execute("""
                INSERT INTO objection_changes (objection_id, at, "by", change, from_value, to_value)
                VALUES (\(binds.add(objectionId)), \(binds.add(seconds(at))), \(binds.add(by)), 'retheme', \(binds.add(old)), \(binds.add(theme)))
                """, binds.bindings)
        }
    }

    public func withdraw(objectionId: Int64, by: String, at: Date, note: String) throws {
        try write { statements in
            var binds = Binds()
            let sql = "SELECT \(Columns.objection) FROM objections WHERE id = \(binds.add(objectionId)) FOR UPDATE"
            guard let objection = try statements.query(sql, binds.bindings).map(Objection.init(postgres:)).first else {
                throw NotFoundError("there is no objection #\(objectionId)", hint: "it may have been withdrawn already: `objection \(objectionId)` says")
            }
            binds = Binds()
            try statements.execute("""
                INSERT INTO objection_changes (objection_id, at, "by", change, from_value, note)
                VALUES (\(binds.add(objectionId)), \(binds.add(seconds(at))), \(binds.add(by)), 'withdraw', \(binds.add(objection.archived)), \(binds.add(note)))
                """, binds.bindings)
            binds = Binds()
            try statements.execute("DELETE FROM objections WHERE id = \(binds.add(objectionId))", binds.bindings)
        }
    }

    public func themeCorrections(limit: Int) throws -> [ThemeClassifier.Correction] {
        var binds = Binds()
        let sql = """
            SELECT text, theme FROM objections
            WHERE id IN (SELECT objection_id FROM objection_changes WHERE change = 'retheme')
            ORDER BY id DESC LIMIT \(binds.add(limit))
            """
        return try read { statements in
            try statements.query(sql, binds.bindings).map { row in
                ThemeClassifier.Correction(text: try row[0].decode(String.self), theme: try row[1].decode(String.self))
            }
        }
    }

    public func objectionsToReview(below confidence: Double, limit: Int) throws -> [Objection] {
        var binds = Binds()
        let sql = """
            SELECT \(Columns.objection) FROM objections WHERE confidence < \(binds.add(confidence))
            ORDER BY at DESC, id DESC LIMIT \(binds.add(limit))
            """
        return try read { statements in try statements.query(sql, binds.bindings).map(Objection.init(postgres:)) }
    }

    public func cachedThemeAnswer(key: String) throws -> ThemeAnswer? {
        var binds = Binds()
        let sql = "SELECT theme, model, at FROM theme_answers WHERE text = \(binds.add(key))"
        return try read { statements in
            try statements.query(sql, binds.bindings).map { row in
                ThemeAnswer(
                    theme: try row[0].decode(String.self), model: try row[1].decode(String.self),
                    at: Date(timeIntervalSince1970: Double(try row[2].decode(Int64.self))))
            }.first
        }
    }

    public func cacheThemeAnswer(key: String, _ answer: ThemeAnswer) throws {
        try write { statements in
            var binds = Binds()
            try statements.execute("""
                INSERT INTO theme_answers (text, theme, model, at)
                VALUES (\(binds.add(key)), \(binds.add(answer.theme)), \(binds.add(answer.model)), \(binds.add(seconds(answer.at))))
                ON CONFLICT (text) DO UPDATE SET theme = excluded.theme, model = excluded.model, at = excluded.at
                """, binds.bindings)
        }
    }

    public func objectionChanges(objectionId: Int64) throws -> [ObjectionChange] {
        var binds = Binds()
        let sql = """
            SELECT objection_id, at, "by", change, from_value, to_value, note FROM objection_changes
            WHERE objection_id = \(binds.add(objectionId)) ORDER BY at, id
            """
        return try read { statements in
            try statements.query(sql, binds.bindings).map { row in
                ObjectionChange(
                    objectionId: try row[0].decode(Int64.self), at: Date(timeIntervalSince1970: Double(try row[1].decode(Int64.self))),
                    by: try row[2].decode(String.self), kind: ObjectionChange.Kind(rawValue: try row[3].decode(String.self)) ?? .retheme,
                    from: try row[4].decode(String?.self), to: try row[5].decode(String?.self), note: try row[6].decode(String.self))
            }
        }
    }
}
