public import Foundation

/// A period a question is about: `[start, end)` with the words that named it.
public struct TimeRange: Sendable, Hashable {
    public var start: Date
    public var end: Date
    /// How it was asked for: "this week", "last 30 days", "2026-10-01..2026-10-31".
    public var label: String
    /// Where the period before it starts, and what it is called, when that is a calendar period
    /// of its own: the month before "this month" is the whole of last month, not its last 30 days.
    var previousStart: Date?
    var previousLabel: String?

    public init(start: Date, end: Date, label: String) {
        self.start = start
        self.end = end
        self.label = label
    }

    /// This period, compared with the calendar period before it (`previous`), called `label`.
    func before(_ start: Date, _ label: String) -> TimeRange {
        var range = self
        range.previousStart = start
        range.previousLabel = label
        return range
    }

    public var duration: TimeInterval { end.timeIntervalSince(start) }

    /// Whether `date` falls in [start, end). A period that starts after it ends ("since" a day
    /// still to come) holds nothing; a Swift range of it would trap.
    public func contains(_ date: Date) -> Bool { start <= date && date < end }

    /// The period of the same length just before this one, for "change against the previous period".
    /// A period still to come (it starts after it ends) has none: nothing before it either.
    public var previous: TimeRange {
        guard duration > 0 else { return TimeRange(start: start, end: start, label: "the period before") }
        if let previousStart, let previousLabel { return TimeRange(start: previousStart, end: start, label: previousLabel) }
        let days = Int((duration / 86_400).rounded())
        return TimeRange(start: start.addingTimeInterval(-duration), end: start, label: days == 1 ? "the day before" : "the \(days) days before")
    }

    public var description: String {
        guard duration > 0 else { return "\(label) (it starts after today: nothing is in it yet)" }
        return "\(label) (\(Timestamp.isoDay(start)) to \(Timestamp.isoDay(end.addingTimeInterval(-1))))"
    }
}

/// Reads the time words people use: today, yesterday, this/last week (ISO weeks), this/last
/// month, this/last quarter, this/last year, last N days/weeks/months, since DATE, DATE..DATE,
/// Q1–Q4 (this year's, or the last one that has begun), and month names.
public struct TimeParser: Sendable {
    public let clock: Clock

    public init(clock: Clock) { self.clock = clock }

    /// Time words the shell completes.
    public static let vocabulary = [
        "today", "yesterday", "this week", "last week", "this month", "last month", "this quarter", "last quarter",
        "this year", "last year", "last 7 days", "last 30 days", "last 90 days", "since",
    ]

    /// Finds a time expression among lower-cased words: the range and which words it used.
    public func find(in words: [String]) -> (range: TimeRange, used: Range<Int>)? {
        for start in words.indices where Self.mayStart(words[start]) {
            for length in stride(from: min(4, words.count - start), through: 1, by: -1) {
                let phrase = Array(words[start..<(start + length)])
                if let range = parse(phrase) { return (range, start..<(start + length)) }
            }
        }
        return nil
    }

    /// Whether a time phrase may start with `word`: the first words `parse` reads (a date starts
    /// with a digit). The router looks for one at every word of a line, and of every saying it
    /// learns from; most words start none.
    static func mayStart(_ word: String) -> Bool {
        if let first = word.utf8.first, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) { return true }
        return starters.contains(word) || months.contains { $0 == word || $0.prefix(3) == word }
    }

    private static let starters: Set<String> = [
        "today", "yesterday", "q1", "q2", "q3", "q4", "this", "last", "past", "previous", "in", "during", "since",
    ]

    /// Why time words a parse refused are no period, when they look like one: a range that ends
    /// before it starts, a date that is none, "last 0 days". Nil for words that are not time words.
    public static func problem(with words: [String]) -> String? {
        words.indices.lazy.compactMap { problem(startingWith: Array(words[$0...])) }.first
    }

    private static func problem(startingWith words: [String]) -> String? {
        guard let first = words.first?.lowercased() else { return nil }
        if let dots = first.range(of: ".."), first.first?.isNumber == true {
            let (from, to) = (String(first[..<dots.lowerBound]), String(first[dots.upperBound...]))
            // "first...", "2026..." : an ellipsis, not a range of days.
            guard to.first?.isNumber == true else { return nil }
            guard let start = Timestamp.parse(from) else { return "'\(from)' in '\(first)' is not a date (write e.g. 2026-10-01..2026-10-31)" }
            guard let end = Timestamp.parse(to) else { return "'\(to)' in '\(first)' is not a date (write e.g. 2026-10-01..2026-10-31)" }
            return end < start ? "the period \(first) ends before it starts" : nil
        }
        if first == "last" || first == "past", words.count >= 3, let count = Int(words[1]),
           ["day", "days", "week", "weeks", "month", "months"].contains(words[2].lowercased()), count < 1 || count > 3650 {
            return "'\(words[0...2].joined(separator: " "))' is no period: the number goes from 1 to 3650"
        }
        return nil
    }

    /// Parses a whole phrase ("last week", "since 2026-10-01"), or nil.
    public func parse(_ text: String) -> TimeRange? {
        parse(text.lowercased().split(separator: " ").map(String.init))
    }

    func parse(_ words: [String], allowMay: Bool = false) -> TimeRange? {
        let calendar = clock.calendar
        let now = clock.now
        // Worked out only for a phrase that needs it: the router tries every run of words of a
        // line (and every saying, learning its model), and most are no time at all.
        var startOfToday: Date?
        func today() -> Date {
            if let startOfToday { return startOfToday }
            let start = calendar.startOfDay(for: now)
            startOfToday = start
            return start
        }
        func day(_ offset: Int) -> Date { calendar.date(byAdding: .day, value: offset, to: today())! }
        func startOf(_ component: Calendar.Component, _ date: Date) -> Date {
            calendar.dateInterval(of: component, for: date)!.start
        }
        func add(_ component: Calendar.Component, _ value: Int, _ date: Date) -> Date {
            calendar.date(byAdding: component, value: value, to: date)!
        }
        func quarterStart(_ date: Date) -> Date {
            let month = calendar.component(.month, from: date)
            let year = calendar.component(.year, from: date)
            return calendar.date(from: DateComponents(year: year, month: (month - 1) / 3 * 3 + 1, day: 1))!
        }
        let phrase = words.joined(separator: " ")
        switch words.count {
        case 1:
            switch words[0] {
            case "today": return TimeRange(start: today(), end: day(1), label: "today")
            case "yesterday": return TimeRange(start: day(-1), end: today(), label: "yesterday")
            case "q1", "q2", "q3", "q4":
                let quarter = Int(String(words[0].last!))!
                var year = calendar.component(.year, from: now)
                var start = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1))!
                if start > now {
                    year -= 1
                    start = calendar.date(from: DateComponents(year: year, month: (quarter - 1) * 3 + 1, day: 1))!
                }
                return TimeRange(start: start, end: add(.month, 3, start), label: "Q\(quarter) \(year)").before(add(.month, -3, start), "the quarter before")
            default:
                // "may" alone is too often the verb; "in may" reaches it through the two-word case.
                if words[0] != "may" || allowMay,
                   let month = Self.months.firstIndex(where: { $0 == words[0] || $0.prefix(3) == words[0] }) {
                    var year = calendar.component(.year, from: now)
                    var start = calendar.date(from: DateComponents(year: year, month: month + 1, day: 1))!
                    if start > now {
                        year -= 1
                        start = calendar.date(from: DateComponents(year: year, month: month + 1, day: 1))!
                    }
                    return TimeRange(start: start, end: add(.month, 1, start), label: "\(Self.months[month].capitalized) \(year)").before(add(.month, -1, start), "the month before")
                }
                return dateRange(words[0])
            }
        case 2:
            let (which, unit) = (words[0], words[1])
            guard which == "this" || which == "last" || which == "past" || which == "previous" else {
                if which == "in" || which == "during" { return parse([unit], allowMay: true) }
                if which == "since", let date = Timestamp.parse(words[1]) {
                    return TimeRange(start: calendar.startOfDay(for: date), end: day(1), label: "since \(Timestamp.isoDay(date))")
                }
                return nil
            }
            let current = which == "this"
            let component: Calendar.Component
            let start: Date
            switch unit {
            case "week": component = .weekOfYear; start = startOf(.weekOfYear, now)
            case "month": component = .month; start = startOf(.month, now)
            case "quarter": component = .month; start = quarterStart(now)
            case "year": component = .year; start = startOf(.year, now)
            default: return nil
            }
            let span = unit == "quarter" ? 3 : 1
            let first = current ? start : add(component, -span, start)
            return TimeRange(start: first, end: add(component, span, first), label: current ? phrase : "last \(unit)")
                .before(add(component, -span, first), "the \(unit) before")
        case 3:
            guard words[0] == "last" || words[0] == "past", let count = Int(words[1]), count > 0, count <= 3650 else { return nil }
            let unit = words[2].hasSuffix("s") ? String(words[2].dropLast()) : words[2]
            let days: Int
            switch unit {
            case "day": days = count
            case "week": days = count * 7
            case "month":
                let start = add(.month, -count, day(1))
                return TimeRange(start: start, end: day(1), label: "last \(count) \(words[2])")
                    .before(add(.month, -count, start), "the \(count == 1 ? "month" : "\(count) months") before")
            default: return nil
            }
            return TimeRange(start: day(1 - days), end: day(1), label: "last \(count) \(words[2])")
        default:
            return nil
        }
    }

    /// `2026-10-01..2026-10-31` (both days included), or a single day.
    private func dateRange(_ word: String) -> TimeRange? {
        // Both forms start with the year's digits.
        guard word.utf8.first.map({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) == true else { return nil }
        let calendar = clock.calendar
        if let dots = word.range(of: "..") {
            guard let from = Timestamp.parse(String(word[..<dots.lowerBound])),
                  let to = Timestamp.parse(String(word[dots.upperBound...])), from <= to else { return nil }
            let end = calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: to))!
            return TimeRange(start: calendar.startOfDay(for: from), end: end, label: word)
        }
        guard word.contains("-"), let date = Timestamp.parse(word) else { return nil }
        let start = calendar.startOfDay(for: date)
        return TimeRange(start: start, end: calendar.date(byAdding: .day, value: 1, to: start)!, label: Timestamp.isoDay(start))
    }

    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    ]
}
