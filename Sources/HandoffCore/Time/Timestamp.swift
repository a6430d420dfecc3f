public import Foundation

/// Parses and prints the timestamps that CRM exports and users write, without `DateFormatter`
/// (which is slow enough to dominate an import).
public enum Timestamp {
    /// The order of day and month in dates written with slashes (`01/02/2026`).
    public enum SlashOrder: String, Sendable, Codable {
        case monthFirst = "mdy", dayFirst = "dmy"
    }

    /// Reads `2026-03-01`, `2026-03-01T09:30`, `2026-03-01 09:30:15`, `2026-03-01T09:30:15.123Z`,
    /// `2026-03-01T09:30:15+02:00`, `03/01/2026`, `3/1/2026 9:30 AM`. Times without a zone are UTC.
    /// Returns nil for anything else, including impossible dates like February 30.
    public static func parse(_ text: String, slashOrder: SlashOrder = .monthFirst) -> Date? {
        var scanner = DigitScanner(text.utf8)
        scanner.skipSpaces()
        var year = 0, month = 0, day = 0
        guard let first = scanner.number(maxDigits: 4) else { return nil }
        if scanner.take(UInt8(ascii: "-")) {
            guard first.digits == 4, let m = scanner.number(maxDigits: 2), scanner.take(UInt8(ascii: "-")),
                  let d = scanner.number(maxDigits: 2) else { return nil }
            (year, month, day) = (first.value, m.value, d.value)
        } else if scanner.take(UInt8(ascii: "/")) {
            guard first.digits <= 2, let second = scanner.number(maxDigits: 2), scanner.take(UInt8(ascii: "/")),
                  let y = scanner.number(maxDigits: 4), y.digits == 4 || y.digits == 2 else { return nil }
            year = y.digits == 2 ? 2000 + y.value : y.value
            (month, day) = slashOrder == .monthFirst ? (first.value, second.value) : (second.value, first.value)
        } else {
            return nil
        }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return nil }

        var hour = 0, minute = 0, second = 0, fraction = 0.0, offset = 0
        if scanner.take(UInt8(ascii: "T")) || scanner.skipSpaces() {
            if !scanner.atEnd {
                guard let h = scanner.number(maxDigits: 2), scanner.take(UInt8(ascii: ":")),
                      let mi = scanner.number(maxDigits: 2), mi.digits == 2 else { return nil }
                (hour, minute) = (h.value, mi.value)
                if scanner.take(UInt8(ascii: ":")) {
                    guard let s = scanner.number(maxDigits: 2), s.digits == 2 else { return nil }
                    second = s.value
                    if scanner.take(UInt8(ascii: ".")) {
                        guard let f = scanner.number(maxDigits: 9) else { return nil }
                        fraction = Double(f.value) / pow(10, Double(f.digits))
                    }
                }
                scanner.skipSpaces()
                if let meridiem = scanner.meridiem() {
                    guard (1...12).contains(hour) else { return nil }
                    hour = hour % 12 + (meridiem == .pm ? 12 : 0)
                }
                guard let zone = scanner.zoneOffset() else { return nil }
                offset = zone
            }
        }
        scanner.skipSpaces()
        guard scanner.atEnd, hour < 24, minute < 60, second < 61 else { return nil }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// `2026-03-01T09:30:15Z`: the form JSON output and the store's text columns use.
    public static func iso(_ date: Date) -> String {
        let (y, m, d, h, mi, s) = fields(date)
        return "\(padded(y, 4))-\(padded(m))-\(padded(d))T\(padded(h)):\(padded(mi)):\(padded(s))Z"
    }

    /// `2026-03-01`.
    public static func isoDay(_ date: Date) -> String {
        let (y, m, d, _, _, _) = fields(date)
        return "\(padded(y, 4))-\(padded(m))-\(padded(d))"
    }

    /// `2026-03-01 09:30`: the form tables show.
    public static func short(_ date: Date) -> String {
        let (y, m, d, h, mi, _) = fields(date)
        return "\(padded(y, 4))-\(padded(m))-\(padded(d)) \(padded(h)):\(padded(mi))"
    }

    /// `value` with zeros in front up to `width` digits, as printf's `%0Nd` writes it (a listing
    /// prints a date per row, and Foundation's `String(format:)` cost more than the rest of a row).
    static func padded(_ value: Int, _ width: Int = 2) -> String {
        let digits = String(value.magnitude)
        let zeros = String(repeating: "0", count: max(0, width - digits.count - (value < 0 ? 1 : 0)))
        return (value < 0 ? "-" : "") + zeros + digits
    }

    static func fields(_ date: Date) -> (Int, Int, Int, Int, Int, Int) {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = civil(fromDays: days)
        return (y, m, d, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days-from-civil and civil-from-days: exact for the proleptic Gregorian calendar.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A cursor over ASCII digits and the few separators timestamps use.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ utf8: String.UTF8View) { bytes = Array(utf8) }

    var atEnd: Bool { index == bytes.count }

    enum Meridiem { case am, pm }

    mutating func number(maxDigits: Int) -> (value: Int, digits: Int)? {
        var value = 0, digits = 0
        while index < bytes.count, digits < maxDigits, bytes[index] >= 48, bytes[index] <= 57 {
            value = value * 10 + Int(bytes[index] - 48)
            digits += 1
            index += 1
        }
        return digits == 0 ? nil : (value, digits)
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    @discardableResult
    mutating func skipSpaces() -> Bool {
        let start = index
        while index < bytes.count, bytes[index] == 32 { index += 1 }
        return index > start
    }

    mutating func meridiem() -> Meridiem? {
        guard index + 1 < bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
        switch bytes[index] | 0x20 {
        case UInt8(ascii: "a"): index += 2; return .am
        case UInt8(ascii: "p"): index += 2; return .pm
        default: return nil
        }
    }

    /// `Z`, `+02:00`, `-0500`, or nothing (UTC). Returns seconds east of UTC, or nil when malformed.
    mutating func zoneOffset() -> Int? {
        if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return 0 }
        let sign: Int
        if take(UInt8(ascii: "+")) { sign = 1 } else if take(UInt8(ascii: "-")) { sign = -1 } else { return 0 }
        guard let h = number(maxDigits: 2), h.digits == 2 else { return nil }
        _ = take(UInt8(ascii: ":"))
        let m = number(maxDigits: 2)?.value ?? 0
        // Zones on Earth run from -12:00 to +14:00; `+99:00` is a typo, not a place.
        guard h.value <= 14, m < 60 else { return nil }
        return sign * (h.value * 3600 + m * 60)
    }
}
