public import Foundation

/// A definition version as the store recorded it when it came into force: its text, where it was
/// read from, when and by whom. `definition log` lists them; `definition diff` compares two.
public struct DefinitionRecord: Sendable, Hashable {
    public var version: String
    public var origin: String
    public var text: String
    public var loadedAt: Date
    /// Who ran Handoff when it first came into force; nil for versions recorded before Handoff kept it.
    public var loadedBy: String?

    public init(version: String, origin: String, text: String, loadedAt: Date, loadedBy: String?) {
        self.version = version
        self.origin = origin
        self.text = text
        self.loadedAt = loadedAt
        self.loadedBy = loadedBy
    }
}
