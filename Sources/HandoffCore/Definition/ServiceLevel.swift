public import Foundation

/// The sales SLA the two teams agreed: how soon sales accepts or rejects an MQL. Counted in
/// business time (Monday to Friday, UTC) when it says business days, in clock time otherwise.
public struct ServiceLevel: Sendable, Hashable {
    /// How long sales may take, in seconds of the clock it is counted on.
    public var mqlResponse: TimeInterval
    public var businessDays: Bool
    /// As the definition wrote it: "2 business days".
    public var text: String

    public init(mqlResponse: TimeInterval, businessDays: Bool, text: String) {
        self.mqlResponse = mqlResponse
        self.businessDays = businessDays
        self.text = text
    }

    /// Reads "2 business days", "3 days" or "24 hours"; nil for anything else.
    public init?(_ text: String) {
        let words = text.lowercased().split(separator: " ").map(String.init)
        guard let amount = words.first.flatMap(Double.init), amount > 0, amount.isFinite else { return nil }
        switch Array(words.dropFirst()) {
        case ["business", "day"], ["business", "days"]: self.init(mqlResponse: amount * 86_400, businessDays: true, text: text)
        case ["day"], ["days"]: self.init(mqlResponse: amount * 86_400, businessDays: false, text: text)
        case ["hour"], ["hours"]: self.init(mqlResponse: amount * 3_600, businessDays: false, text: text)
        default: return nil
        }
    }

    /// The time from `start` to `end` on this SLA's clock: with business days, the seconds that
    /// fall on a weekday.
    public func elapsed(from start: Date, to end: Date) -> TimeInterval {
        guard end > start else { return 0 }
        return businessDays ? Self.weekdaySeconds(until: end) - Self.weekdaySeconds(until: start) : end.timeIntervalSince(start)
    }

    /// Weekday seconds from Monday 1970-01-05 00:00 UTC to `date` (negative before it): five days
    /// of every whole week, and up to five of the week it falls in.
    static func weekdaySeconds(until date: Date) -> TimeInterval {
        let week = 7 * 86_400.0
        let since = date.timeIntervalSince1970 - 4 * 86_400
        let weeks = (since / week).rounded(.down)
        return weeks * 5 * 86_400 + min(since - weeks * week, 5 * 86_400)
    }
}
