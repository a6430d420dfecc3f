public import Foundation
import GRDB
public import HandoffCore
import HandoffStoreSQL

/// The fields an import marked as filled in by sales after the first contact.
extension SQLiteStore {
    public func markFilledAfterContact(_ fields: [String], mapping: String, at: Date) throws {
        try write { db in
            for field in fields {
                try db.execute(
                    sql: "INSERT INTO after_contact_fields (field, mapping, at) VALUES (?, ?, ?) ON CONFLICT (field) DO NOTHING",
                    arguments: [field, mapping, seconds(at)])
            }
        }
    }

    public func fieldsFilledAfterContact() throws -> [String: String] {
        try read { db in
            Dictionary(uniqueKeysWithValues: try db.all(cached: "SELECT field, mapping FROM after_contact_fields", []) { ($0.text(0), $0.text(1)) })
        }
    }
}
