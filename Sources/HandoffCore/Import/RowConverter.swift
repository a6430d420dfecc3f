public import Foundation

/// A mapping bound to one file's header: turns each CSV record into a typed import record, or
/// says in words why it cannot.
public final class RowConverter: Sendable {
    public let mapping: Mapping
    private let columnCount: Int
    private let fieldSources: [String: BoundSource]
    /// Each field's source, default and value table, found by position: a row reads some twenty
    /// fields, and looking each up by name cost more than the rest of the conversion.
    private let slots: [Slot]
    /// True when only the empty string means "not given" (the usual case): no set lookup per value.
    private let onlyBlankIsEmpty: Bool
    private let titles: SeniorityMemo
    private let objectionSource: Int?
    private let attributeSources: [(String, BoundSource)]
    /// The fields (`lead.notes`, `attribute.lead_quality`) that the mapping's `after_contact`
    /// columns feed, in the names a definition's criteria use.
    public let filledAfterContact: [String]
    private let now: Date
    private let classifier: ThemeClassifier
    private let actor: String

    /// What a field is read from, resolved once per file.
    private struct Slot: Sendable {
        var source: BoundSource?
        var fallback: String?
        var values: [String: String]?
    }

    /// The fields a mapping may fill, for all kinds; a field's raw value is its position in `slots`.
    enum Field: Int, CaseIterable {
        case externalId, name, email, title, seniority, source, owner, createdAt, stage, outcome
        case budget, authority, need, timing, notes, company, domain, industry, employees, revenueBand, country
        case lead, kind, occurredAt, detail, account, text, theme, loggedBy, at

        /// The name a mapping file and error messages use.
        var name: String { Field.names[rawValue] }
        private static let names = [
            "external_id", "name", "email", "title", "seniority", "source", "owner", "created_at", "stage", "outcome",
            "budget", "authority", "need", "timing", "notes", "company", "domain", "industry", "employees", "revenue_band", "country",
            "lead", "kind", "occurred_at", "detail", "account", "text", "theme", "logged_by", "at",
        ]
        static let facts: [(QualificationFacts.Fact, Field)] = QualificationFacts.Fact.allCases.map { fact in
            (fact, allCases.first { $0.name == fact.rawValue }!)
        }
    }

    /// A source with column names replaced by their positions.
    private enum BoundSource: Sendable {
        case column(Int)
        case template([Part])

        enum Part: Sendable {
            case text(String)
            case column(Int)
        }
    }

    /// Binds `mapping` to `header`, refusing a mapping that names a column the file lacks.
    public init(mapping: Mapping, header: [String], file: String, now: Date, classifier: ThemeClassifier, actor: String) throws {
        self.mapping = mapping
        self.columnCount = header.count
        self.now = now
        self.classifier = classifier
        self.actor = actor
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() {
            let key = name.trimmingWhitespace().lowercased()
            if index[key] == nil { index[key] = position }
        }
        func bind(_ source: Mapping.FieldSource, setting: String) throws -> BoundSource? {
            if mapping.columnsOptional,
               source.columns.contains(where: { index[$0.trimmingWhitespace().lowercased()] == nil }) {
                return nil
            }
            func position(_ column: String) throws -> Int {
                guard let position = index[column.trimmingWhitespace().lowercased()] else {
                    throw FileError(
                        code: Mapping.errorCode, file: mapping.name, line: mapping.lines[setting] ?? 1,
                        problem: "\(setting) reads column '\(column)', which \(file) does not have",
                        hint: "the header has: \(header.prefix(12).joined(separator: ", "))\(header.count > 12 ? ", …" : "")")
                }
                return position
            }
            switch source {
            case .column(let name): return .column(try position(name))
            case .template(let parts):
                return .template(try parts.map { part in
                    switch part {
                    case .text(let text): .text(text)
                    case .column(let name): .column(try position(name))
                    }
                })
            }
        }
        var fields: [String: BoundSource] = [:]
        for (field, source) in mapping.fields {
            if let bound = try bind(source, setting: field) { fields[field] = bound }
        }
        var attributes: [(String, BoundSource)] = []
        for (name, source) in mapping.attributes.sorted(by: { $0.key < $1.key }) {
            if let bound = try bind(source, setting: "attribute.\(name)") { attributes.append((name, bound)) }
        }
        if mapping.keepOtherColumns {
            var used = Set<Int>()
            for source in Array(fields.values) + attributes.map(\.1) {
                switch source {
                case .column(let position): used.insert(position)
                case .template(let parts): for case .column(let position) in parts { used.insert(position) }
                }
            }
            for (position, name) in header.enumerated() where !used.contains(position) {
                let trimmed = name.trimmingWhitespace()
                if !trimmed.isEmpty { attributes.append((trimmed, .column(position))) }
            }
        }
        self.fieldSources = fields
        self.slots = Field.allCases.map { field in
            Slot(source: fields[field.name], fallback: mapping.defaults[field.name], values: mapping.values[field.name])
        }
        self.onlyBlankIsEmpty = mapping.empty == [""]
        self.titles = SeniorityMemo()
        self.attributeSources = attributes
        if let (column, themes) = mapping.objectionsFrom {
            guard case .column(let position)? = try bind(.column(column), setting: "objections_from") else {
                throw FileError(code: Mapping.errorCode, file: mapping.name, line: mapping.lines["objections_from"] ?? 1,
                                problem: "objections_from reads column '\(column)', which \(file) does not have")
            }
            // An objection filed under a theme the taxonomy lacks could be neither asked about nor
            // briefed: said before a row is read, with the definition that has it.
            let unknown = Set(themes.values).filter { classifier.theme(named: $0) == nil }.sorted()
            if !unknown.isEmpty {
                throw FileError(
                    code: Mapping.errorCode, file: mapping.name, line: mapping.lines["objections_from"] ?? 1,
                    problem: "objections_from files objections under \(unknown.map { "'\($0)'" }.joined(separator: ", ")), which the definition in force has no theme for",
                    hint: "import with the definition that has \(unknown.count == 1 ? "it" : "them") (`--definition FILE`), or add \(unknown.count == 1 ? "the theme" : "the themes") to the definition in force")
            }
            objectionSource = position
        } else {
            objectionSource = nil
        }
        var afterContact = Set<Int>()
        for column in mapping.afterContact {
            guard case .column(let position)? = try bind(.column(column), setting: "after_contact") else { continue }
            afterContact.insert(position)
        }
        func feeds(_ source: BoundSource) -> Bool {
            switch source {
            case .column(let position): afterContact.contains(position)
            case .template(let parts): parts.contains { if case .column(let position) = $0 { afterContact.contains(position) } else { false } }
            }
        }
        self.filledAfterContact = (fields.filter { feeds($0.value) }.flatMap { Self.fieldPaths(ofImportField: $0.key).map(\.description) }
            + attributes.filter { feeds($0.1) }.map { FieldPath.attribute($0.0).description }).sorted()
        try requireKeyFields(file: file, header: header)
    }

    /// The names a definition reads an imported field by: `notes` is `lead.notes`, `company` is
    /// `account.name`, and what is worked out of a field goes with it (the seniority read from a
    /// title, the domain of an email). None for what no criterion reads (the outcome, BANT facts).
    static func fieldPaths(ofImportField field: String) -> [FieldPath] {
        switch field {
        case "company": return [.account(.name)]
        case "title": return [.lead(.title), .lead(.seniority)]
        case "email": return [.lead(.email), .lead(.emailDomain)]
        default:
            if let lead = FieldPath.LeadField(rawValue: field) { return [.lead(lead)] }
            if let account = FieldPath.AccountField(rawValue: field) { return [.account(account)] }
            return []
        }
    }

    private func requireKeyFields(file: String, header: [String]) throws {
        func has(_ field: String) -> Bool { fieldSources[field] != nil || mapping.defaults[field] != nil }
        let missing: String? = switch mapping.kind {
        case .leads: has("external_id") || has("email") ? nil : "external_id (or email)"
        case .events: !(has("lead") || has("email")) ? "lead (or email)" : !has("kind") ? "kind" : !has("occurred_at") ? "occurred_at" : nil
        case .objections: !has("text") ? "text" : nil
        }
        if let missing, mapping.columnsOptional {
            // No mapping was named: the file's own header is what lacks the column.
            let shown = header.prefix(12).map { "'\($0)'" }.joined(separator: ", ") + (header.count > 12 ? ", …" : "")
            throw FileError(
                code: Mapping.errorCode, file: file, line: 1,
                problem: "no column holds \(missing): the header has \(shown)",
                hint: "name a column `\(missing.split(separator: " ")[0])`, or say which column is which in a mapping file: `import \(mapping.kind.rawValue) \(file) --mapping FILE`")
        }
        if let missing {
            throw FileError(
                code: Mapping.errorCode, file: mapping.name, line: 1,
                problem: "the mapping does not say which column holds \(missing)",
                hint: "add it under fields:, e.g. `\(missing.split(separator: " ")[0]): <column name>`")
        }
    }

    /// Converts one record, or returns the problem with it.
    public func convert(_ record: CSVRecord) -> Result<ImportRecord, RowProblem> {
        if let problem = record.problem { return .failure(RowProblem(line: record.line, reason: problem.description)) }
        guard record.fields.count == columnCount else {
            return .failure(RowProblem(
                line: record.line, reason: "expected \(columnCount) fields, found \(record.fields.count)"))
        }
        do {
            let row = Row(fields: record.fields, converter: self)
            switch mapping.kind {
            case .leads: return .success(.lead(try leadRecord(row, line: record.line)))
            case .events: return .success(.event(try eventRecord(row, line: record.line)))
            case .objections: return .success(.objection(try objectionRecord(row, line: record.line)))
            }
        } catch let problem as Problem {
            return .failure(RowProblem(line: record.line, reason: problem.reason))
        } catch {
            return .failure(RowProblem(line: record.line, reason: "\(error)"))
        }
    }

    /// The columns `leadKey` reads: the external id's and the email's.
    var leadKeyColumns: Set<Int> {
        var columns = Set<Int>()
        for field in [Field.externalId, .email] {
            switch slots[field.rawValue].source {
            case .column(let position)?: columns.insert(position)
            case .template(let parts)?:
                for case .column(let position) in parts { columns.insert(position) }
            case nil: break
            }
        }
        return columns
    }

    /// The key a lead row is stored under (its external id, else its email), read as `convert`
    /// reads it, without the rest of the row: what finding the leads a file repeats needs.
    /// `byEmail` when the row gives no external id, so that its email is its key.
    func leadKey(_ record: CSVRecord) -> (key: String, byEmail: Bool)? {
        guard mapping.kind == .leads, record.problem == nil, record.fields.count == columnCount else { return nil }
        let row = Row(fields: record.fields, converter: self)
        if let externalId = row.text(.externalId) { return (externalId, false) }
        return row.text(.email).map { (Self.emailKey($0), true) }
    }

    /// A lead row's external id and email key, when it gives both: a row without an id that gives
    /// the same email names the same person.
    func idAndEmail(_ record: CSVRecord) -> (externalId: String, emailKey: String)? {
        guard mapping.kind == .leads, record.problem == nil, record.fields.count == columnCount else { return nil }
        let row = Row(fields: record.fields, converter: self)
        guard let externalId = row.text(.externalId), let email = row.text(.email) else { return nil }
        return (externalId, Self.emailKey(email))
    }

    /// An email as a key: lower-cased as the stores compare emails (`Label.asciiLowercased`), so a
    /// key and a stored email agree whatever their letters.
    static func emailKey(_ email: String) -> String { Label.asciiLowercased(email) }

    struct Problem: Error { let reason: String }

    /// The years a date in an import may fall in: wide enough for any lead's history and plans.
    static let years = 1900...2200
    static let earliestDate = Date(timeIntervalSince1970: Double(Timestamp.daysSinceEpoch(year: years.lowerBound, month: 1, day: 1) * 86_400))
    static let latestDate = Date(timeIntervalSince1970: Double(Timestamp.daysSinceEpoch(year: years.upperBound + 1, month: 1, day: 1) * 86_400))

    /// One record's values, read through the mapping.
    private struct Row {
        let fields: [String]
        let converter: RowConverter

        func raw(_ source: BoundSource) -> String? {
            let text: String
            switch source {
            case .column(let position): text = fields[position]
            case .template(let parts):
                var pieces: [String] = []
                var any = false
                for part in parts {
                    switch part {
                    case .text(let literal): pieces.append(literal)
                    case .column(let position):
                        let value = clean(fields[position])
                        if value != nil { any = true }
                        pieces.append(value ?? "")
                    }
                }
                guard any else { return nil }
                text = pieces.joined().split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            }
            return clean(text)
        }

        /// Trimmed as the definition's rules trim what they read: a cell of no-break spaces is empty.
        private func clean(_ text: String) -> String? {
            let trimmed = text.trimmingWhitespace()
            if converter.onlyBlankIsEmpty { return trimmed.isEmpty ? nil : trimmed }
            return converter.mapping.empty.contains(trimmed) ? nil : trimmed
        }

        /// A field's value: from its source, else the default; translated through `values`.
        func text(_ field: Field) -> String? {
            let slot = converter.slots[field.rawValue]
            let value = slot.source.flatMap(raw) ?? slot.fallback
            guard let value else { return nil }
            if let table = slot.values, let translated = table[value.lowercased()] {
                return translated
            }
            return value
        }

        func date(_ field: Field) throws -> Date? {
            guard let text = text(field) else { return nil }
            guard let date = Timestamp.parse(text, slashOrder: converter.mapping.slashDates) else {
                throw Problem(reason: "\(field.name) '\(text)' is not a date (expected e.g. 2026-03-01 or 2026-03-01T09:30:00Z)")
            }
            // 0000-01-01 and 9999-12-31 are what exports write for "unknown" or "never": stored,
            // they would sort first or last in every list and skew every age.
            guard date >= RowConverter.earliestDate, date < RowConverter.latestDate else {
                throw Problem(reason: "\(field.name) '\(text)' is outside the years \(RowConverter.years.lowerBound) to \(RowConverter.years.upperBound)")
            }
            return date
        }

        /// A count (employees): a whole number, zero or more, written in decimal.
        func count(_ field: Field) throws -> Int? {
            guard let text = text(field) else { return nil }
            // Thousands separators ("2,300") are dropped; most numbers have none. A comma before
            // anything but groups of three digits is a decimal comma ("1,5" from a semicolon
            // export), and dropping it would store 15: such a count is refused below.
            var digits = text
            if text.utf8.contains(UInt8(ascii: ",")) {
                let groups = text.split(separator: ",", omittingEmptySubsequences: false)
                let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
                let thousands = (1...3).contains(groups[0].utf8.count) && groups[0].utf8.allSatisfy(isDigit)
                    && groups.dropFirst().allSatisfy { group in
                        let whole = group.utf8.prefix { $0 != UInt8(ascii: ".") }
                        return whole.count == 3 && whole.allSatisfy(isDigit)
                    }
                guard thousands else { throw Problem(reason: "\(field.name) '\(text)' is not a whole number") }
                digits = text.replacingOccurrences(of: ",", with: "")
            }
            // Decimal digits and one point only: `Double` would also read `0x10`, `1e3` and `inf`.
            let decimal = digits.utf8.allSatisfy { (0x30...0x39).contains($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
            var parsed: Int?
            if decimal, let whole = Int(digits) {
                parsed = whole
            } else if decimal, let real = Double(digits), real == real.rounded(), abs(real) < 1e15 {
                // Exports write whole numbers as "120.0" at times.
                parsed = Int(real)
            }
            guard let value = parsed else { throw Problem(reason: "\(field.name) '\(text)' is not a whole number") }
            guard value >= 0 else { throw Problem(reason: "\(field.name) '\(text)' is negative; a count is zero or more") }
            return value
        }

        func flag(_ field: Field) throws -> Bool? {
            guard let text = text(field) else { return nil }
            switch text.lowercased() {
            case "yes", "y", "true", "1", "confirmed": return true
            case "no", "n", "false", "0", "denied": return false
            case "unknown", "?": return nil
            default: throw Problem(reason: "\(field.name) '\(text)' is not yes or no")
            }
        }

        func stage(_ field: Field) throws -> Stage? {
            guard let text = text(field) else { return nil }
            guard let stage = Stage(rawValue: text) ?? Stage(loose: text) else {
                throw Problem(reason: "\(field.name) '\(text)' is not a stage (inquiry, mql, sal, sql, opportunity, won, lost, nurture, disqualified)")
            }
            return stage
        }

        func reference() -> LeadReference? {
            if let id = text(.lead) { return .externalId(id) }
            if let email = text(.email) { return .email(RowConverter.emailKey(email)) }
            return nil
        }
    }

    private func leadRecord(_ row: Row, line: Int) throws -> LeadRecord {
        let email = row.text(.email)
        if let email, !Self.looksLikeEmail(email) { throw Problem(reason: "email '\(email)' is not an email address") }
        guard let key = row.text(.externalId) ?? email.map(Self.emailKey) else {
            throw Problem(reason: "no external id\(fieldSources["email"] != nil ? " and no email" : "")")
        }
        var lead = LeadRecord(line: line, externalId: key)
        lead.keyedByEmail = row.text(.externalId) == nil
        lead.name = row.text(.name)
        lead.email = email
        lead.title = row.text(.title)
        if let text = row.text(.seniority) {
            guard let seniority = Seniority(loose: text) else {
                throw Problem(reason: "seniority '\(text)' is not one of c-level, vp, director, manager, individual, student")
            }
            lead.seniority = seniority
        } else if let title = lead.title {
            lead.seniority = titles.seniority(ofTitle: title)
        }
        // Labels that group leads lose stray spaces, or `leads from trade show` would miss
        // "trade  show" (and an industry or an owner likewise).
        lead.source = row.text(.source).map(Label.tidy)
        lead.owner = row.text(.owner).map(Label.tidy)
        lead.createdAt = try row.date(.createdAt)
        lead.stage = try row.stage(.stage)
        if let text = row.text(.outcome) {
            guard let outcome = Outcome(rawValue: text) ?? Outcome(loose: text) else {
                throw Problem(reason: "outcome '\(text)' is not won, lost or open")
            }
            lead.outcome = outcome
        }
        for (fact, field) in Field.facts { lead.facts[fact] = try row.flag(field) }
        lead.notes = row.text(.notes)
        for (name, source) in attributeSources {
            if let value = row.raw(source) { lead.attributes[name] = value }
        }
        if let position = objectionSource, let (_, themes) = mapping.objectionsFrom,
           let text = row.raw(.column(position)), let theme = themes[text.lowercased()] {
            lead.notedObjection = (text, theme)
        }
        if let company = row.text(.company) {
            var account = AccountRecord(name: company)
            account.domain = row.text(.domain).map(Self.domain)
            account.industry = row.text(.industry).map(Label.tidy)
            account.employees = try row.count(.employees)
            account.revenueBand = row.text(.revenueBand)
            account.country = row.text(.country)
            lead.account = account
        } else if let country = row.text(.country) {
            lead.attributes["country"] = country
        }
        return lead
    }

    private func eventRecord(_ row: Row, line: Int) throws -> EventRecord {
        guard let lead = row.reference() else { throw Problem(reason: "no lead (external id or email)") }
        guard let kind = row.text(.kind) else { throw Problem(reason: "no event kind") }
        guard let at = try row.date(.occurredAt) else { throw Problem(reason: "no occurred_at date") }
        return EventRecord(
            line: line, lead: lead, kind: Self.kindKey(kind), occurredAt: at, detail: row.text(.detail) ?? "")
    }

    private func objectionRecord(_ row: Row, line: Int) throws -> ObjectionRecord {
        guard let text = row.text(.text)?.trimmingWhitespaceAndNewlines(), !text.isEmpty else { throw Problem(reason: "no objection text") }
        let lead = row.reference()
        let account = row.text(.account)
        guard lead != nil || account != nil else { throw Problem(reason: "no lead or account named") }
        let at = try row.date(.at) ?? now
        let theme: String
        var confidence: Double?
        if let named = row.text(.theme) {
            // A theme the taxonomy does not hold would start a theme of its own: refused instead.
            guard let known = classifier.theme(named: named) else {
                throw Problem(reason: "no theme '\(named)' in the taxonomy; themes: \(classifier.namesForMessage), or leave it empty to classify the text")
            }
            theme = known
        } else {
            let classification = classifier.classify(text)
            (theme, confidence) = (classification.theme, classification.confidence)
        }
        let externalId = row.text(.externalId)
            ?? "row:\(lead.map(String.init(describing:)) ?? account ?? "")|\(Timestamp.iso(at))|\(text)"
        return ObjectionRecord(
            line: line, externalId: externalId, lead: lead, accountName: account, text: text, theme: theme,
            loggedBy: row.text(.loggedBy) ?? actor, at: at, dealStage: try row.stage(.stage), confidence: confidence)
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        asciiLooksLikeEmail(text.utf8) ?? characterLooksLikeEmail(text)
    }

    /// Something before the first "@", and after it a domain with a dot inside; no space anywhere.
    static func characterLooksLikeEmail(_ text: String) -> Bool {
        guard let at = text.firstIndex(of: "@"), at > text.startIndex else { return false }
        let domain = text[text.index(after: at)...]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".") && !text.contains(" ")
    }

    /// The same test byte by byte, for ASCII text (where bytes are characters); nil otherwise.
    static func asciiLooksLikeEmail(_ bytes: String.UTF8View) -> Bool? {
        var at: Int?
        var dotAfterAt = false
        var offset = 0
        var last: UInt8 = 0
        var afterAt: UInt8 = 0
        for byte in bytes {
            if byte >= 0x80 { return nil }
            if byte == 0x20 { return false }
            if let position = at {
                if offset == position + 1 { afterAt = byte }
                if byte == UInt8(ascii: ".") { dotAfterAt = true }
            } else if byte == UInt8(ascii: "@") {
                at = offset
            }
            last = byte
            offset += 1
        }
        guard let position = at, position > 0, offset > position + 1 else { return false }
        return dotAfterAt && afterAt != UInt8(ascii: ".") && last != UInt8(ascii: ".")
    }

    /// `https://www.acme.com/` → `acme.com`.
    static func domain(_ text: String) -> String {
        // Most exports already write `acme.com`: lower-case ASCII with no scheme, `www.` or path.
        if text.utf8.allSatisfy({ $0 < 0x80 && !(0x41...0x5A).contains($0) && $0 != UInt8(ascii: "/") }),
           !text.hasPrefix("www."), !text.hasPrefix("http") {
            return text
        }
        var value = text.lowercased()
        for prefix in ["https://", "http://", "www."] where value.hasPrefix(prefix) { value.removeFirst(prefix.count) }
        return String(value.split(separator: "/").first ?? "")
    }

    /// `Webinar Attended` → `webinar_attended`: event kinds and themes are keys.
    static func kindKey(_ text: String) -> String {
        // Already a key (`web_visit`): lower-case letters and digits joined by single underscores.
        var previous: UInt8 = UInt8(ascii: "_")
        var isKey = !text.isEmpty
        for byte in text.utf8 where isKey {
            let letterOrDigit = (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
            isKey = letterOrDigit || (byte == UInt8(ascii: "_") && previous != UInt8(ascii: "_"))
            previous = byte
        }
        if isKey && previous != UInt8(ascii: "_") { return text }
        return text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "_")
    }
}

/// Seniority guessed from a title, remembered per title: an export repeats a few hundred titles
/// across millions of rows, and the guess splits and lower-cases the words each time.
final class SeniorityMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var known: [String: Seniority?] = [:]
    /// Enough for the titles of any real export; past it, titles are guessed without remembering.
    private static let limit = 4_096

    func seniority(ofTitle title: String) -> Seniority? {
        lock.lock()
        defer { lock.unlock() }
        if let known = known[title] { return known }
        let guess = Seniority.guess(fromTitle: title)
        if known.count < Self.limit { known[title] = guess }
        return guess
    }
}
