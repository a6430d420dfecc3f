public import Foundation

/// Judges many leads for the definition report with the same arithmetic as `Qualifier.verdict`,
/// without building verdicts: what each account contributes is worked out once, lead values are
/// remembered per distinct value, engagement is summed from (kind, time) pairs. A value type: give
/// each thread its own copy.
public struct BulkScorer: Sendable {
    public let definition: Definition
    public let now: Date
    /// The event kinds the definition scores, by name; `ScannedEvent.kind` indexes into it.
    public let eventKinds: [String]
    /// The lead columns the fit criteria and disqualifiers read.
    public let leadFields: Set<FieldPath.LeadField>
    /// Whether any rule reads a CRM attribute (the lead's attributes JSON must then be read).
    public let readsAttributes: Bool

    private let points: [Double]
    private let caps: [Double]
    private let halfLife: Double
    /// Per fit criterion and per disqualifier: whether it reads the lead (else the account).
    private let criterionOnLead: [Bool]
    private let disqualifierOnLead: [Bool]
    /// `oneOf` conditions answered without Foundation when they can be.
    private let fitMatchers: [ASCIIOneOf?]
    private let disqualifierMatchers: [ASCIIOneOf?]
    private var leadMemo: [[String?: Bool]]
    private var disqualifierMemo: [[String?: Bool]]
    private var accountFitMemo: [[String?: Bool]]
    private var accountDisqualifierMemo: [[String?: Bool]]
    /// The lead an account's rules are read against (they only read the account).
    private let blankLead: Lead
    /// What accounts contribute, each different part once (accounts share a few), and the part of
    /// each account as an index into them plus one (0: not an account that was added). By id for
    /// ids that fit, so that the lookup per lead reads a small array, not a dictionary or an array
    /// of parts five times its size: both cost more than the judging.
    private var parts: [AccountPart] = []
    private var partIndexes: [AccountPart: UInt32] = [:]
    private var partById: [UInt32] = []
    private var partByLargeId: [Int64: UInt32] = [:]
    private var noAccount = AccountPart(passed: CriterionSet(), disqualified: false)
    /// For rules on the lead's seniority, worked out once: the answer for each seniority
    /// (`seniorities` order, then none) from each rule's offset into `seniorityAnswers` (-1: not
    /// a seniority rule).
    private let seniorityAnswers: [Bool]
    private let fitSeniorityOffset: [Int]
    private let disqualifierSeniorityOffset: [Int]
    private static let seniorities = Seniority.allCases
    private let fitPoints: [Double]
    private var decayed: [Double]
    private var seen: [Bool]
    /// Reused for every lead: the capped points of each kind it engaged in.
    private var activity: [(points: Double, kind: Int)] = []

    /// What an account contributes, the same for all its leads.
    private struct AccountPart: Hashable {
        var passed: CriterionSet
        var disqualified: Bool
    }

    /// `eventKinds`: the kinds `ScannedEvent.kind` will index into, when one scan feeds scorers of
    /// two definitions (`what if`): a kind this definition does not score counts nothing. By
    /// default, the kinds it scores.
    public init(definition: Definition, now: Date, eventKinds: [String]? = nil) {
        self.definition = definition
        self.now = now
        self.eventKinds = eventKinds ?? definition.engagement.kinds.keys.sorted()
        points = self.eventKinds.map { definition.engagement.kinds[$0]?.points ?? 0 }
        caps = self.eventKinds.map { definition.engagement.kinds[$0]?.cap ?? .infinity }
        halfLife = definition.engagement.halfLifeDays * 86_400
        func onLead(_ field: FieldPath) -> Bool { if case .account = field { false } else { true } }
        criterionOnLead = definition.fit.map { onLead($0.field) }
        disqualifierOnLead = definition.disqualifiers.map { onLead($0.field) }
        func matcher(_ condition: Condition) -> ASCIIOneOf? { if case .oneOf(let options) = condition { ASCIIOneOf(options) } else { nil } }
        fitMatchers = definition.fit.map { matcher($0.condition) }
        disqualifierMatchers = definition.disqualifiers.map { matcher($0.condition) }
        var answers: [Bool] = []
        func seniorityOffset(_ field: FieldPath, _ condition: Condition) -> Int {
            guard case .lead(.seniority) = field else { return -1 }
            defer { answers += (Self.seniorities.map(\.rawValue) + [nil]).map { condition.holds(for: $0) } }
            return answers.count
        }
        fitSeniorityOffset = definition.fit.map { seniorityOffset($0.field, $0.condition) }
        disqualifierSeniorityOffset = definition.disqualifiers.map { seniorityOffset($0.field, $0.condition) }
        seniorityAnswers = answers
        fitPoints = definition.fit.map(\.points)
        leadMemo = Array(repeating: [:], count: definition.fit.count)
        disqualifierMemo = Array(repeating: [:], count: definition.disqualifiers.count)
        accountFitMemo = leadMemo
        accountDisqualifierMemo = disqualifierMemo
        blankLead = Lead(externalId: "", name: "", createdAt: now)
        var fields = Set<FieldPath.LeadField>()
        var attributes = false
        for field in definition.fit.map(\.field) + definition.disqualifiers.map(\.field) {
            switch field {
            case .lead(let column): fields.insert(column)
            case .attribute: attributes = true
            case .account: break
            }
        }
        leadFields = fields
        readsAttributes = attributes
        decayed = Array(repeating: 0, count: self.eventKinds.count)
        seen = Array(repeating: false, count: self.eventKinds.count)
        noAccount = part(of: nil)
    }

    /// Values as varied as names or emails would make the memo as big as the data: past this many
    /// distinct values a criterion is simply evaluated.
    private static let memoLimit = 4_096

    private static func holds(_ condition: Condition, _ matcher: ASCIIOneOf?, _ value: String?, memo: inout [String?: Bool]) -> Bool {
        if let matcher, let value, let answer = matcher.holds(value) { return answer }
        // Presence is cheaper to answer than to look up (the values, emails say, are all different),
        // and a value that starts with a visible ASCII character is present whatever trimming does.
        if case .present(let wanted) = condition {
            if let first = value?.utf8.first, first > 0x20, first < 0x7F { return wanted }
            return condition.holds(for: value)
        }
        if let known = memo[value] { return known }
        let result = condition.holds(for: value)
        if memo.count < memoLimit { memo[value] = result }
        return result
    }

    /// A lead-side rule other than on seniority: the email domain's rules read the address's
    /// bytes without making the domain.
    private static func holds(_ condition: Condition, _ matcher: ASCIIOneOf?, _ field: FieldPath, _ lead: Lead, memo: inout [String?: Bool]) -> Bool {
        if case .lead(.emailDomain) = field, let matcher, let email = lead.email, let answer = matcher.holds(domainOf: email) { return answer }
        return holds(condition, matcher, field.value(of: lead, account: nil), memo: &memo)
    }

    /// What `account` contributes: its criteria answered through memos of their own (many accounts
    /// share an industry or a country; two rules on one field must not share answers).
    private mutating func part(of account: Account?) -> AccountPart {
        var passed = CriterionSet()
        for index in definition.fit.indices where !criterionOnLead[index] {
            let criterion = definition.fit[index]
            let value = criterion.field.value(of: blankLead, account: account)
            if Self.holds(criterion.condition, fitMatchers[index], value, memo: &accountFitMemo[index]) { passed.insert(index) }
        }
        var disqualified = false
        for index in definition.disqualifiers.indices where !disqualifierOnLead[index] {
            let rule = definition.disqualifiers[index]
            let value = rule.field.value(of: blankLead, account: account)
            if Self.holds(rule.condition, disqualifierMatchers[index], value, memo: &accountDisqualifierMemo[index]) {
                disqualified = true
                break
            }
        }
        return AccountPart(passed: passed, disqualified: disqualified)
    }

    /// Works out what `account` contributes to its leads' verdicts, before judging them.
    public mutating func add(_ account: Account) {
        guard let id = account.id else { return }
        let part = part(of: account)
        let index: UInt32
        if let known = partIndexes[part] {
            index = known
        } else {
            parts.append(part)
            index = UInt32(parts.count)
            partIndexes[part] = index
        }
        if id >= 0 && id < 1 << 21 {
            if Int(id) >= partById.count { partById += Array(repeating: 0, count: Int(id) + 1 - partById.count) }
            partById[Int(id)] = index
        } else {
            partByLargeId[id] = index
        }
    }

    private func part(ofAccount id: Int64?) -> AccountPart {
        guard let id else { return noAccount }
        let index = id >= 0 && id < partById.count ? partById[Int(id)] : partByLargeId[id] ?? 0
        return index == 0 ? noAccount : parts[Int(index) - 1]
    }

    /// The report's view of one lead. `lead` needs only `leadFields` (and the attributes when
    /// `readsAttributes`), its account id, facts and outcome; `events` its scored events in any
    /// order of kind, each kind oldest first. Its account must have been `add`ed.
    public mutating func judge(_ lead: Lead, events: UnsafeBufferPointer<ScannedEvent>) -> DefinitionReport.Judged {
        let accountPart = part(ofAccount: lead.accountId)
        var fit = 0.0
        var passed = CriterionSet()
        let seniority = lead.seniority.flatMap { Self.seniorities.firstIndex(of: $0) } ?? Self.seniorities.count
        for index in fitPoints.indices {
            let holds: Bool
            if !criterionOnLead[index] {
                holds = accountPart.passed.contains(index)
            } else if fitSeniorityOffset[index] >= 0 {
                holds = seniorityAnswers[fitSeniorityOffset[index] + seniority]
            } else {
                let criterion = definition.fit[index]
                holds = Self.holds(criterion.condition, fitMatchers[index], criterion.field, lead, memo: &leadMemo[index])
            }
            if holds {
                fit += fitPoints[index]
                passed.insert(index)
            }
        }
        var disqualified = accountPart.disqualified
        if !disqualified {
            for index in disqualifierOnLead.indices where disqualifierOnLead[index] {
                let holds: Bool
                if disqualifierSeniorityOffset[index] >= 0 {
                    holds = seniorityAnswers[disqualifierSeniorityOffset[index] + seniority]
                } else {
                    let rule = definition.disqualifiers[index]
                    holds = Self.holds(rule.condition, disqualifierMatchers[index], rule.field, lead, memo: &disqualifierMemo[index])
                }
                if holds {
                    disqualified = true
                    break
                }
            }
        }
        // Engagement exactly as `Qualifier.verdict`: decayed points per kind, capped per kind, added
        // up from the largest (ties by kind name), capped overall.
        for event in events {
            let at = Date(timeIntervalSince1970: Double(event.at))
            guard at <= now else { continue }
            let kind = Int(event.kind)
            let age = now.timeIntervalSince(at)
            decayed[kind] += points[kind] * pow(0.5, age / halfLife)
            seen[kind] = true
        }
        activity.removeAll(keepingCapacity: true)
        for kind in 0..<eventKinds.count where seen[kind] {
            activity.append((min(decayed[kind], caps[kind]), kind))
            decayed[kind] = 0
            seen[kind] = false
        }
        activity.sort { ($0.points, $1.kind) > ($1.points, $0.kind) }
        let engagement = min(activity.reduce(0) { $0 + $1.points }, definition.engagement.cap)

        let score = Qualifier.shownScore(fit: fit, engagement: engagement)
        let missing = definition.thresholds.sqlConfirmed.contains { lead.facts[$0] != true }
        let kind: Verdict.Kind =
            disqualified ? .disqualified
            : score >= definition.thresholds.sqlScore && !missing ? .sql
            : score >= definition.thresholds.mql ? .mql
            : .nurture
        return DefinitionReport.Judged(
            score: kind == .disqualified ? DefinitionReport.disqualifiedScore : score, isMQL: kind == .mql || kind == .sql,
            converted: lead.outcome == .won, passed: passed, fit: Qualifier.round(fit), engagement: Qualifier.round(engagement),
            disqualified: kind == .disqualified, salesReady: kind == .sql)
    }
}

extension BulkScorer {
    /// A lead judged by a definition that differs from this one only in its thresholds, as this
    /// one judges it: the same score and the same rules, the verdict by this one's thresholds.
    public func verdict(of judged: DefinitionReport.Judged, for lead: Lead) -> DefinitionReport.Judged {
        guard !judged.disqualified else { return judged }
        var verdict = judged
        verdict.salesReady = judged.score >= definition.thresholds.sqlScore && !definition.thresholds.sqlConfirmed.contains { lead.facts[$0] != true }
        verdict.isMQL = verdict.salesReady || judged.score >= definition.thresholds.mql
        return verdict
    }
}

/// `Condition.oneOf` for options that are all ASCII, answered without Foundation for ASCII values
/// (Foundation's trimming and case-insensitive comparison were most of the report's time). For
/// ASCII text both agree: `.whitespaces` holds only space and tab, and case folding only A–Z.
struct ASCIIOneOf: Sendable {
    /// The options, lower-cased.
    let options: [[UInt8]]

    init?(_ options: [String]) {
        guard options.allSatisfy({ $0.utf8.allSatisfy { $0 < 0x80 } }) else { return nil }
        self.options = options.map { $0.utf8.map(Self.lower) }
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }

    /// nil when `value` is not ASCII: then only Foundation can say.
    func holds(_ value: String) -> Bool? {
        var value = value
        return value.withUTF8 { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return holds(ascii: UnsafeBufferPointer(rebasing: bytes[...]))
        }
    }

    /// The same for `Lead.emailDomain` of `email`, without making the domain: nil when not ASCII.
    func holds(domainOf email: String) -> Bool? {
        var email = email
        return email.withUTF8 { bytes -> Bool? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return false }
            return holds(ascii: UnsafeBufferPointer(rebasing: bytes[(at + 1)...]))
        }
    }

    private func holds(ascii bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = bytes.startIndex, end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard start < end else { return false }
        let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
        return options.contains { option in
            option.count == text.count && zip(option, text).allSatisfy { $0 == Self.lower($1) }
        }
    }
}

/// One scored event of a scanned lead: the index of its kind in `BulkScorer.eventKinds`, and
/// when it happened (unix seconds).
public struct ScannedEvent: Sendable {
    public var kind: Int32
    public var at: Int64

    public init(kind: Int32, at: Int64) {
        self.kind = kind
        self.at = at
    }
}

/// Which fit criteria (by their position in the definition) held for a lead: plain bits, so a
/// million of them are copied and sorted without reference counting. A definition holds at most
/// `capacity` fit criteria (the parser says so).
public struct CriterionSet: Sendable, Hashable, ExpressibleByArrayLiteral {
    public static let capacity = 256
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    public init(arrayLiteral indexes: Int...) {
        for index in indexes { insert(index) }
    }

    public mutating func insert(_ index: Int) {
        precondition(index >= 0 && index < Self.capacity, "criterion \(index) is beyond CriterionSet.capacity")
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    public func contains(_ index: Int) -> Bool {
        guard index >= 0 && index < Self.capacity else { return false }
        let bit = UInt64(1) << UInt64(index & 63)
        switch index >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }

    public static func == (a: CriterionSet, b: CriterionSet) -> Bool { a.words == b.words }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

