public import Foundation

/// The time every answer is computed at. Fixed when `--now` or `HANDOFF_NOW` is given, so answers
/// that depend on time can be tested; otherwise the system's.
public struct Clock: Sendable {
    private let fixed: Date?
    private let zone: TimeZone?

    /// `timeZone` nil means UTC, made only when asked for: making a time zone loads ICU's data,
    /// a millisecond of every start-up that most commands never need.
    public init(fixed: Date? = nil, timeZone: TimeZone? = nil) {
        self.fixed = fixed
        self.zone = timeZone
    }

    public var timeZone: TimeZone { zone ?? TimeZone(identifier: "UTC")! }

    public var now: Date { fixed ?? Date() }

    /// A calendar in the clock's time zone with ISO weeks (they start on Monday).
    public var calendar: Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = timeZone
        return calendar
    }
}
