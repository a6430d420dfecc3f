import Foundation

/// What the agreed definition says of one lead at one moment, and why.
public struct Verdict: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case disqualified, nurture, mql, sql

        public var label: String {
            switch self {
            case .disqualified: "disqualified"
            case .nurture: "nurture"
            case .mql: "MQL"
            case .sql: "sales-ready (SQL)"
            }
        }
    }

    public var kind: Kind
    public var fit: Double
    public var engagement: Double
    /// Fit and engagement as held (each to one decimal), added and kept to one decimal.
    public var score: Double { Qualifier.round(fit + engagement) }
    /// Every fit criterion, whether it held, and the value it read.
    public var criteria: [CriterionResult]
    /// Engagement per event kind: how many events, their points before and after decay and caps.
    public var activity: [ActivityResult]
    /// The hard rule that fired, if one did.
    public var disqualifier: Disqualifier?
    /// BANT facts sales has not confirmed yet.
    public var unknownFacts: [QualificationFacts.Fact]
    /// BANT facts the definition needs for SQL that are unknown or denied.
    public var missingForSQL: [QualificationFacts.Fact]
    public var definitionVersion: String
    public var nextStep: String

    public struct CriterionResult: Sendable {
        public var criterion: Criterion
        public var passed: Bool
        public var value: String?
    }

    public struct ActivityResult: Sendable {
        public var kind: String
        public var events: Int
        /// Points before decay.
        public var raw: Double
        /// Points after decay and the kind's cap.
        public var points: Double
    }
}
