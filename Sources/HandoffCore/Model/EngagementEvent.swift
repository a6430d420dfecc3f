public import Foundation

/// Something a lead did that marketing can see: a download, a webinar, a pricing-page visit.
public struct EngagementEvent: Sendable, Hashable, Codable {
    public var id: Int64?
    public var leadId: Int64
    /// A kind the definition scores, e.g. `webinar_attended`, `demo_request`.
    public var kind: String
    public var occurredAt: Date
    public var detail: String

    public init(id: Int64? = nil, leadId: Int64, kind: String, occurredAt: Date, detail: String = "") {
        self.id = id
        self.leadId = leadId
        self.kind = kind
        self.occurredAt = occurredAt
        self.detail = detail
    }
}
