public import Foundation

/// A correction of a logged objection: its theme changed, or the objection withdrawn. The text a
/// rep logged is never changed.
public struct ObjectionChange: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case retheme, withdraw
    }

    public var objectionId: Int64
    public var at: Date
    public var by: String
    public var kind: Kind
    /// The theme before, or for a withdrawal the objection as it stood (JSON).
    public var from: String?
    /// The theme after; nil for a withdrawal.
    public var to: String?
    public var note: String

    public init(objectionId: Int64, at: Date, by: String, kind: Kind, from: String?, to: String?, note: String) {
        self.objectionId = objectionId
        self.at = at
        self.by = by
        self.kind = kind
        self.from = from
        self.to = to
        self.note = note
    }
}

extension Objection {
    /// The objection as the audit trail keeps it once withdrawn: JSON, keys sorted, times in ISO 8601.
    public var archived: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension ObjectionChange {
    /// For a withdrawal, the objection as it stood when withdrawn (read back from `from`); nil for
    /// a change of theme, or a trail whose copy does not read.
    public var withdrawnObjection: Objection? {
        guard kind == .withdraw, let from else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(Objection.self, from: Data(from.utf8))
    }
}
