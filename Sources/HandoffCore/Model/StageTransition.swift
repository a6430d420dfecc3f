public import Foundation

/// One step in a lead's audit trail: who moved it, from where, to where, when and why.
public struct StageTransition: Sendable, Hashable, Codable {
    public var id: Int64?
    public var leadId: Int64
    /// `nil` for the transition that created the lead.
    public var from: Stage?
    public var to: Stage
    public var at: Date
    public var by: String
    public var reason: String

    public init(id: Int64? = nil, leadId: Int64, from: Stage?, to: Stage, at: Date, by: String, reason: String = "") {
        self.id = id
        self.leadId = leadId
        self.from = from
        self.to = to
        self.at = at
        self.by = by
        self.reason = reason
    }
}
