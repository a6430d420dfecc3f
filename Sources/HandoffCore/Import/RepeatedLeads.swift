/// The leads a file gives more than once, found by reading the file once before it is written.
///
/// An export that lists one lead twice (an older and a newer row, or two exports joined) means
/// one lead as the rows describe it together. Written row by row, the lead would be recorded
/// moving from the first row's stage to the last's on the first import, and the first row would
/// be refused as a move back down the funnel on every import after. Batches are written as they
/// are read, so a lead's first row may be written before its last is read: only a reading ahead
/// of the whole file can say which rows to hold back.
struct RepeatedLeads {
    /// For each lead key (by its hash) given on more than one line, the last of those lines.
    private let lastLine: [Int: Int]
    /// The keys of the rows that give no external id (their emails), each once: the stored leads
    /// they update are looked up once, before the import writes anything.
    let emailKeys: [String]
    /// The emails a row without an id shares with a row that has one, with that row's line and
    /// id: which lead the first row means is the file's to say, not a guess (see `Importer.matchingByEmail`).
    var emailsOfIdRows: [String: (line: Int, externalId: String)] = [:]

    /// The keys are kept as hashes, a million leads in 16 MB for the reading, so a big import
    /// stays within its memory; two keys with one hash only make a lead wait longer (see `Folder`).
    static func scan(path: String, delimiter: Character, converter: RowConverter, isCancelled: () -> Bool) throws -> RepeatedLeads? {
        let reader = try CSVReader(path: path, delimiter: delimiter, onlyColumns: converter.leadKeyColumns)
        _ = reader.next()  // the header, read and checked by the import itself
        var seen: [(hash: Int, line: Int)] = []
        var emailKeys = Set<String>()
        while let record = reader.next() {
            if seen.count % 5_000 == 0 && isCancelled() { return nil }
            guard let (key, byEmail) = converter.leadKey(record) else { continue }
            seen.append((key.hashValue, record.line))
            if byEmail { emailKeys.insert(key) }
        }
        seen.sort { $0.hash != $1.hash ? $0.hash < $1.hash : $0.line < $1.line }
        var lastLine: [Int: Int] = [:]
        var index = 0
        while index < seen.count {
            var end = index + 1
            while end < seen.count && seen[end].hash == seen[index].hash { end += 1 }
            if end - index > 1 { lastLine[seen[index].hash] = seen[end - 1].line }
            index = end
        }
        var repeated = RepeatedLeads(lastLine: lastLine, emailKeys: Array(emailKeys))
        // Only a file with rows keyed by email is read again, for the id rows that give those emails.
        if !emailKeys.isEmpty {
            let again = try CSVReader(path: path, delimiter: delimiter, onlyColumns: converter.leadKeyColumns)
            _ = again.next()
            var count = 0
            while let record = again.next() {
                count += 1
                if count % 5_000 == 0 && isCancelled() { return nil }
                guard let (externalId, email) = converter.idAndEmail(record), emailKeys.contains(email),
                      repeated.emailsOfIdRows[email] == nil else { continue }
                repeated.emailsOfIdRows[email] = (record.line, externalId)
            }
        }
        return repeated
    }

    /// Holds back a repeated lead's rows until its last one, then gives that row with the earlier
    /// ones folded in: a later cell wins, an empty one keeps the earlier (as it keeps what is
    /// stored), so the lead's stage changes at most once.
    struct Folder {
        let repeated: RepeatedLeads
        private var held: [String: LeadRecord] = [:]
        /// Rows folded into a later row of the same lead.
        private(set) var folded = 0
        /// Rows written as they came because `holdLimit` leads were already waiting.
        private(set) var unheld = 0

        /// Leads waiting for their last row at once: a file that is one export twice over would
        /// otherwise hold half of itself.
        static let holdLimit = 20_000
        let holdLimit: Int

        init(_ repeated: RepeatedLeads, holdLimit: Int = Folder.holdLimit) {
            self.repeated = repeated
            self.holdLimit = holdLimit
        }

        /// The record to write now, or nil when it waits for a later row of its lead.
        mutating func take(_ lead: LeadRecord) -> LeadRecord? {
            guard let last = repeated.lastLine[lead.externalId.hashValue] else { return lead }
            var lead = lead
            if let earlier = held.removeValue(forKey: lead.externalId) {
                lead.absorb(earlier: earlier)
                folded += 1
            }
            guard lead.line < last else { return lead }
            guard held.count < holdLimit else {
                unheld += 1
                return lead
            }
            held[lead.externalId] = lead
            return nil
        }

        /// Leads still waiting at the end of the file (whose last row was refused, or another
        /// key with the same hash), in the order of their lines.
        mutating func rest() -> [LeadRecord] {
            defer { held = [:] }
            return held.values.sorted { $0.line < $1.line }
        }
    }
}
