public import Foundation
public import HandoffCore
import HandoffStoreSQL
import PostgresNIO

/// The fields an import marked as filled in by sales after the first contact.
extension PostgresStore {
    public func markFilledAfterContact(_ fields: [String], mapping: String, at: Date) throws {
        try write { statements in
            for field in fields {
                var binds = Binds()
                try statements.execute("""
                    INSERT INTO after_contact_fields (field, mapping, at) VALUES (\(binds.add(field)), \(binds.add(mapping)), \(binds.add(seconds(at))))
                    ON CONFLICT (field) DO NOTHING
                    """, binds.bindings)
            }
        }
    }

    public func fieldsFilledAfterContact() throws -> [String: String] {
        try read { statements in
            Dictionary(uniqueKeysWithValues: try statements.query("SELECT field, mapping FROM after_contact_fields").map {
                (try $0[0].decode(String.self), try $0[1].decode(String.self))
            })
        }
    }
}
