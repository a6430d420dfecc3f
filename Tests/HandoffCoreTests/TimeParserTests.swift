import Foundation
import Testing
@testable import HandoffCore

@Suite struct TimeParserTests {
    // Wednesday 2026-11-18, 15:30 UTC: week 47 runs Monday 16 to Sunday 22.
    let parser = TimeParser(clock: Clock(fixed: Timestamp.parse("2026-11-18T15:30:00Z")!))

    func span(_ text: String) -> String? {
        parser.parse(text).map { "\(Timestamp.iso($0.start))..\(Timestamp.iso($0.end))" }
    }

    @Test(arguments: [
        ("today", "2026-11-18T00:00:00Z..2026-11-19T00:00:00Z"),
        ("yesterday", "2026-11-17T00:00:00Z..2026-11-18T00:00:00Z"),
        ("this week", "2026-11-16T00:00:00Z..2026-11-23T00:00:00Z"),
        ("last week", "2026-11-09T00:00:00Z..2026-11-16T00:00:00Z"),
        ("this month", "2026-11-01T00:00:00Z..2026-12-01T00:00:00Z"),
        ("last month", "2026-10-01T00:00:00Z..2026-11-01T00:00:00Z"),
        ("this quarter", "2026-10-01T00:00:00Z..2027-01-01T00:00:00Z"),
        ("last quarter", "2026-07-01T00:00:00Z..2026-10-01T00:00:00Z"),
        ("this year", "2026-01-01T00:00:00Z..2027-01-01T00:00:00Z"),
        ("last 7 days", "2026-11-12T00:00:00Z..2026-11-19T00:00:00Z"),
        ("last 30 days", "2026-10-20T00:00:00Z..2026-11-19T00:00:00Z"),
        ("past 2 weeks", "2026-11-05T00:00:00Z..2026-11-19T00:00:00Z"),
        ("since 2026-11-01", "2026-11-01T00:00:00Z..2026-11-19T00:00:00Z"),
        ("2026-10-01..2026-10-31", "2026-10-01T00:00:00Z..2026-11-01T00:00:00Z"),
        ("2026-10-05", "2026-10-05T00:00:00Z..2026-10-06T00:00:00Z"),
        ("q3", "2026-07-01T00:00:00Z..2026-10-01T00:00:00Z"),
        ("q1", "2026-01-01T00:00:00Z..2026-04-01T00:00:00Z"),
        ("october", "2026-10-01T00:00:00Z..2026-11-01T00:00:00Z"),
        ("in december", "2025-12-01T00:00:00Z..2026-01-01T00:00:00Z"),
        ("in may", "2026-05-01T00:00:00Z..2026-06-01T00:00:00Z"),
    ])
    func readsTimeWords(text: String, expected: String) {
        #expect(span(text) == expected)
        // Inside a sentence too, where `find` tries only the words a time phrase may start with.
        let sentence = ["leads", "from", "webinar"] + text.split(separator: " ").map(String.init)
        #expect(parser.find(in: sentence).map { "\(Timestamp.iso($0.range.start))..\(Timestamp.iso($0.range.end))" } == expected)
    }

    @Test(arguments: ["may", "last fortnight", "since then", "2026-10-31..2026-10-01", "last 0 days", "this"])
    func leavesOtherWordsAlone(text: String) {
        #expect(span(text) == nil)
    }

    @Test func findsTheTimeWordsInASentence() throws {
        let words = "what did prospects push back on last month".split(separator: " ").map(String.init)
        let found = try #require(parser.find(in: words))
        #expect(found.used == 6..<8)
        #expect(found.range.label == "last month")
    }

    @Test func weeksStartOnMondayEvenOnASunday() {
        let sunday = TimeParser(clock: Clock(fixed: Timestamp.parse("2026-11-22T23:00:00Z")!))
        #expect(sunday.parse("this week").map { Timestamp.isoDay($0.start) } == "2026-11-16")
    }

    @Test func thePreviousPeriodHasTheSameLength() throws {
        let week = try #require(parser.parse("this week"))
        #expect(week.previous.end == week.start)
        #expect(week.previous.duration == week.duration)
        let days = try #require(parser.parse("last 30 days"))
        #expect(days.previous.label == "the 30 days before" && days.previous.duration == days.duration)
    }

    /// "This month" against the month before is November against October, not against the 30 days
    /// before the first of November; a quarter against the quarter before, and so on.
    @Test(arguments: [
        ("this month", "2026-10-01T00:00:00Z", "the month before"),
        ("last month", "2026-09-01T00:00:00Z", "the month before"),
        ("this quarter", "2026-07-01T00:00:00Z", "the quarter before"),
        ("q3", "2026-04-01T00:00:00Z", "the quarter before"),
        ("in october", "2026-09-01T00:00:00Z", "the month before"),
        ("this year", "2025-01-01T00:00:00Z", "the year before"),
        ("last 3 months", "2026-05-19T00:00:00Z", "the 3 months before"),
        ("last week", "2026-11-02T00:00:00Z", "the week before"),
    ])
    func theCalendarPeriodBeforeIsAWholeOne(text: String, start: String, label: String) throws {
        let range = try #require(parser.parse(text))
        #expect(Timestamp.iso(range.previous.start) == start, "\(text)")
        #expect(range.previous.end == range.start && range.previous.label == label, "\(text)")
    }

    /// Words that look like a period and are none say why; an ellipsis is no period at all.
    @Test func aPeriodThatIsNoneSaysWhyButAnEllipsisIsNoPeriod() {
        #expect(TimeParser.problem(with: ["2026-11-10..2026-11-01"]) == "the period 2026-11-10..2026-11-01 ends before it starts")
        #expect(TimeParser.problem(with: ["last", "0", "days"]) != nil)
        for words in [["first..."], ["price..."], ["call", "2026..."], ["2026-11-01..2026-11-10"]] {
            #expect(TimeParser.problem(with: words) == nil, "\(words)")
        }
    }

    /// "since" a day still to come holds nothing, and so does the period before it.
    @Test func aPeriodStillToComeSaysSo() throws {
        let coming = try #require(parser.parse("since 2027-01-01"))
        #expect(coming.description == "since 2027-01-01 (it starts after today: nothing is in it yet)")
        #expect(coming.previous.duration == 0 && coming.previous.label == "the period before")
    }
}
