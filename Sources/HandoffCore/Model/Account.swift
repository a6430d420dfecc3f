/// A company that leads work at.
public struct Account: Sendable, Hashable, Codable {
    public var id: Int64?
    public var name: String
    public var domain: String?
    public var industry: String?
    public var employees: Int?
    public var revenueBand: String?
    public var country: String?

    public init(
        id: Int64? = nil, name: String, domain: String? = nil, industry: String? = nil,
        employees: Int? = nil, revenueBand: String? = nil, country: String? = nil
    ) {
        self.id = id
        self.name = name
        self.domain = domain
        self.industry = industry
        self.employees = employees
        self.revenueBand = revenueBand
        self.country = country
    }
}

extension Account {
    /// The key account names are matched by in every store: whatever their case and spacing.
    /// Plain ASCII with single spaces, as nearly every company name is, skips the Unicode work
    /// for the same result (an import asks on every row).
    public static func key(_ name: String) -> String {
        let bytes = name.utf8
        var previous: UInt8 = 0x20
        var plain = !bytes.isEmpty
        for byte in bytes where plain {
            plain = byte < 0x80 && !(0x09...0x0D).contains(byte) && !(byte == 0x20 && previous == 0x20)
            previous = byte
        }
        guard plain, previous != 0x20 else {
            return name.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        return String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (offset, byte) in bytes.enumerated() { buffer[offset] = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte }
            return bytes.count
        }
    }
}

extension Account {
    /// Whether `key` (what someone typed, as `Account.key` makes it) is one edit away from this
    /// account's name or the name's first word: a typo for it. Both stores offer these when
    /// nothing else matches.
    public func isOneEditAway(from key: String) -> Bool {
        let name = Account.key(self.name)
        let first = String(name.split(separator: " ").first ?? "")
        return EditDistance.levenshtein(key, name, limit: 2) <= 1 || EditDistance.levenshtein(key, first, limit: 2) <= 1
    }
}
