public import Foundation

/// A lead turned away, by a rep or by a rule of the definition, with the definition version then in force.
public struct Rejection: Sendable, Hashable, Codable {
    public var id: Int64?
    public var leadId: Int64
    public var at: Date
    /// The rep's name, or the rule's id when `byRule` is set.
    public var by: String
    public var byRule: Bool
    public var reasonCode: String
    public var note: String
    public var definitionVersion: String

    public init(
        id: Int64? = nil, leadId: Int64, at: Date, by: String, byRule: Bool = false,
        reasonCode: String, note: String = "", definitionVersion: String
    ) {
        self.id = id
        self.leadId = leadId
        self.at = at
        self.by = by
        self.byRule = byRule
        self.reasonCode = reasonCode
        self.note = note
        self.definitionVersion = definitionVersion
    }
}
