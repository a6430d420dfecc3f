public import Foundation

/// A definition version as it came into force: its text, where it was read from, when and by whom.
/// `definition log` lists them; `definition diff` compares two.
public struct DefinitionRecord: Sendable, Hashable {
    public var version: String
    public var origin: String
    public var text: String
    public var loadedAt: Date
    /// Who ran Handoff when it came into force; nil for texts kept before Handoff recorded it.
    public var loadedBy: String?

    public init(version: String, origin: String, text: String, loadedAt: Date, loadedBy: String?) {
        self.version = version
        self.origin = origin
        self.text = text
        self.loadedAt = loadedAt
        self.loadedBy = loadedBy
    }

    /// The times a text came into force, oldest first, from every record of one being in force
    /// (`id`: the kept text's): a record of the text already in force is no change, and is dropped.
    public static func cameIntoForce(_ records: [(id: Int64, record: DefinitionRecord)]) -> [DefinitionRecord] {
        var kept: [DefinitionRecord] = []
        var last: Int64?
        for (id, record) in records where id != last {
            kept.append(record)
            last = id
        }
        return kept
    }
}
