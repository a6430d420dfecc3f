import Foundation
import Testing
@testable import HandoffCore

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-03-01", "2026-03-01T00:00:00Z"),
        ("2026-03-01T09:30", "2026-03-01T09:30:00Z"),
        ("2026-03-01 09:30:15", "2026-03-01T09:30:15Z"),
        ("2026-03-01T09:30:15.250Z", "2026-03-01T09:30:15Z"),
        ("2026-03-01T09:30:15+02:00", "2026-03-01T07:30:15Z"),
        ("2026-03-01T09:30:15-0500", "2026-03-01T14:30:15Z"),
        ("03/01/2026", "2026-03-01T00:00:00Z"),
        ("3/1/2026 9:30 PM", "2026-03-01T21:30:00Z"),
        ("12/31/2025 12:05 AM", "2025-12-31T00:05:00Z"),
        ("2024-02-29", "2024-02-29T00:00:00Z"),
    ])
    func readsTheFormsExportsWrite(text: String, expected: String) throws {
        let date = try #require(Timestamp.parse(text))
        #expect(Timestamp.iso(date) == expected)
    }

    @Test func slashDatesCanBeDayFirst() throws {
        let date = try #require(Timestamp.parse("31/01/2026", slashOrder: .dayFirst))
        #expect(Timestamp.isoDay(date) == "2026-01-31")
        #expect(Timestamp.parse("31/01/2026", slashOrder: .monthFirst) == nil)
    }

    @Test(arguments: ["", "yesterday", "2026-02-30", "2025-02-29", "2026-13-01", "2026-03-01T25:00", "2026-03-01T09:3", "2026-03-01 junk", "1/2"])
    func refusesWhatIsNotADate(text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func agreesWithFoundationOverCenturies() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        for days in stride(from: -40_000, through: 60_000, by: 997) {
            let date = Date(timeIntervalSince1970: Double(days) * 86_400 + 3_723)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let text = String(format: "%04d-%02d-%02dT01:02:03Z", parts.year!, parts.month!, parts.day!)
            #expect(Timestamp.iso(date) == text)
            #expect(Timestamp.parse(text) == date)
        }
    }

    @Test(arguments: [0, 7, 42, 999, 2026, 10_000, 123_456, -1, -42, -2026])
    func padsNumbersAsPrintfDoes(value: Int) {
        #expect(Timestamp.padded(value, 4) == String(format: "%04d", value))
        #expect(Timestamp.padded(value) == String(format: "%02d", value))
    }
}
