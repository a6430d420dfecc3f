import Foundation

/// The time every answer is computed at. Fixed when `--now` or `HANDOFF_NOW` is given, so answers
/// that depend on time can be tested; otherwise the system's.
public struct Clock: Sendable {
    private let fixed: Date?
    public let timeZone: TimeZone

    public init(fixed: Date? = nil, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.fixed = fixed
        self.timeZone = timeZone
    }

    public var now: Date { fixed ?? Date() }

    /// A calendar in the clock's time zone with ISO weeks (they start on Monday).
    public var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        return calendar
    }
}
