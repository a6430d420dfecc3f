public import Foundation

/// A drafted campaign brief, kept with the objections it was drawn from.
public struct Brief: Sendable, Hashable, Codable {
    public var id: Int64?
    public var theme: String
    public var createdAt: Date
    public var periodStart: Date
    public var periodEnd: Date
    public var markdown: String
    public var objectionIds: [Int64]

    public init(
        id: Int64? = nil, theme: String, createdAt: Date, periodStart: Date, periodEnd: Date,
        markdown: String, objectionIds: [Int64]
    ) {
        self.id = id
        self.theme = theme
        self.createdAt = createdAt
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.markdown = markdown
        self.objectionIds = objectionIds
    }
}
