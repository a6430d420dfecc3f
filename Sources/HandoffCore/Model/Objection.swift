public import Foundation

/// What a prospect pushed back with, as sales heard it.
public struct Objection: Sendable, Hashable, Codable {
    public var id: Int64?
    /// The CRM's id when imported; re-imports upsert by it.
    public var externalId: String?
    public var leadId: Int64?
    public var accountId: Int64?
    public var text: String
    public var theme: String
    public var loggedBy: String
    public var at: Date
    /// The lead's stage when it was heard.
    public var dealStage: Stage?
    /// The classifier's share for the theme when it chose it; nil when a person or a file named
    /// the theme (or someone rethemed it since). Below `ThemeClassifier.sure`, `objections review`
    /// lists it for a person to settle.
    public var confidence: Double?

    public init(
        id: Int64? = nil, externalId: String? = nil, leadId: Int64? = nil, accountId: Int64? = nil,
        text: String, theme: String, loggedBy: String, at: Date, dealStage: Stage? = nil, confidence: Double? = nil
    ) {
        self.id = id
        self.externalId = externalId
        self.leadId = leadId
        self.accountId = accountId
        self.text = text
        self.theme = theme
        self.loggedBy = loggedBy
        self.at = at
        self.dealStage = dealStage
        self.confidence = confidence
    }
}
