import Foundation
import Yams

/// Reads an agreed-definition file (YAML) into a `Definition`, refusing anything malformed with
/// the file, the line and what is wrong.
public enum DefinitionParser {
    public static let errorCode = "bad_definition"

    public static func load(path: String) throws -> Definition {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(code: errorCode, file: path, line: 1, problem: "cannot read the definition: \(readProblem(path))")
        }
        return try parse(text, origin: path)
    }

    public static func parse(_ text: String, origin: String) throws -> Definition {
        let root = try YAMLReader(file: origin, code: errorCode).root(of: text)
        let top = try root.fields(
            allowed: ["name", "version", "fit", "engagement", "disqualifiers", "thresholds", "sla", "grid", "reasons", "themes"],
            required: ["name", "version", "fit", "engagement", "thresholds"])

        let fitItems = try top["fit"]?.list() ?? []
        let fit = try fitItems.map(criterion)
        try requireUnique(fit.map(\.id), in: top["fit"]!, what: "fit criterion")
        guard fit.count <= CriterionSet.capacity else {
            throw top["fit"]!.fail("fit has \(fit.count) criteria; a definition holds at most \(CriterionSet.capacity)")
        }
        let disqualifierItems = try top["disqualifiers"]?.list() ?? []
        let disqualifiers = try disqualifierItems.map(disqualifier)
        try requireUnique(disqualifiers.map(\.id), in: top["disqualifiers"] ?? root, what: "disqualifier")
        for key in try top["reasons"]?.keys() ?? [] { try requireIdentifier(key, what: "reason") }
        for key in try top["themes"]?.keys() ?? [] { try requireIdentifier(key, what: "theme") }
        let reasons = try (top["reasons"]?.mapping() ?? []).map { ReasonCode(code: $0.key, label: try $0.value.string()) }
        for rule in disqualifiers where !reasons.contains(where: { $0.code == rule.reasonCode }) && top["reasons"] != nil {
            throw root.fail(
                "disqualifier '\(rule.id)' gives reason '\(rule.reasonCode)', which is not under reasons",
                hint: "add '\(rule.reasonCode): <label>' under reasons")
        }
        let version = try top["version"]!.string().trimmingWhitespace()
        guard !version.isEmpty else { throw top["version"]!.fail("version must not be empty") }

        var definition = Definition(
            name: try top["name"]!.string(),
            version: version,
            fit: fit,
            engagement: try engagement(top["engagement"]!),
            disqualifiers: disqualifiers,
            thresholds: try thresholds(top["thresholds"]!),
            reasons: reasons,
            themes: try (top["themes"]?.mapping() ?? []).map(theme),
            origin: origin,
            text: text)
        if let sla = top["sla"] {
            let fields = try sla.fields(allowed: ["mql_response"], required: ["mql_response"])
            let text = try fields["mql_response"]!.string()
            guard let level = ServiceLevel(text) else {
                throw fields["mql_response"]!.fail(
                    "sla.mql_response must be a time such as '2 business days', '3 days' or '24 hours', found '\(text)'")
            }
            definition.sla = level
        }
        if let grid = top["grid"] { definition.agreedGrid = try gridBands(grid) }
        // Where each rule's field is written: what `definition check` points at when it refuses one.
        for (rule, item) in zip(fit.map(\.id), fitItems) { definition.lines["fit.\(rule)"] = try fieldLine(item) }
        for (rule, item) in zip(disqualifiers.map(\.id), disqualifierItems) { definition.lines["disqualifiers.\(rule)"] = try fieldLine(item) }
        return definition
    }

    private static func fieldLine(_ item: YAMLValue) throws -> Int {
        try item.mapping().first { $0.key == "field" }?.value.line ?? item.line
    }

    private static let conditionKeys = ["in", "contains", "min", "max", "present"]

    private static func criterion(_ value: YAMLValue) throws -> Criterion {
        let fields = try value.fields(
            allowed: ["id", "label", "field", "points"] + conditionKeys, required: ["id", "field", "points"])
        let id = try requireIdentifier(fields["id"]!, what: "fit criterion")
        return Criterion(
            id: id,
            label: try fields["label"]?.string() ?? id,
            field: try fieldPath(fields["field"]!),
            condition: try condition(fields),
            points: try fields["points"]!.number())
    }

    private static func disqualifier(_ value: YAMLValue) throws -> Disqualifier {
        let fields = try value.fields(
            allowed: ["id", "label", "field", "reason"] + conditionKeys, required: ["id", "field"])
        let id = try requireIdentifier(fields["id"]!, what: "disqualifier")
        if let reason = fields["reason"] { try requireIdentifier(reason, what: "reason") }
        return Disqualifier(
            id: id,
            label: try fields["label"]?.string() ?? id,
            field: try fieldPath(fields["field"]!),
            condition: try condition(fields),
            reasonCode: try fields["reason"]?.string() ?? id)
    }

    private static func fieldPath(_ value: YAMLValue) throws -> FieldPath {
        let text = try value.string()
        guard let path = FieldPath(text) else {
            let known = FieldPath.LeadField.allCases.map { "lead.\($0.rawValue)" }
                + FieldPath.AccountField.allCases.map { "account.\($0.rawValue)" } + ["attribute.<name>"]
            throw value.fail("unknown field '\(text)'", hint: "fields are: \(known.joined(separator: ", "))")
        }
        return path
    }

    /// Exactly one kind of test per rule: `in`, `contains`, `min`/`max`, or `present`.
    private static func condition(_ fields: YAMLValue.Fields) throws -> Condition {
        let given = conditionKeys.filter { fields[$0] != nil }
        let isRange = !given.isEmpty && given.allSatisfy { $0 == "min" || $0 == "max" }
        guard given.count == 1 || isRange else {
            throw fields.owner.fail(
                given.isEmpty ? "\(fields.owner.path) needs a test" : "\(fields.owner.path) has more than one test: \(given.joined(separator: ", "))",
                hint: "give one of: in: [..], contains: [..], min:/max:, present: true|false")
        }
        if let options = fields["in"] { return .oneOf(try options.strings()) }
        if let needles = fields["contains"] { return .containsAny(try needles.strings()) }
        if let present = fields["present"] { return .present(try present.bool()) }
        let min = try fields["min"]?.number()
        let max = try fields["max"]?.number()
        if let min, let max, min > max {
            throw fields.owner.fail("min (\(min.clean)) is greater than max (\(max.clean))")
        }
        return .range(min: min, max: max)
    }

    private static func engagement(_ value: YAMLValue) throws -> EngagementRules {
        let fields = try value.fields(allowed: ["half_life_days", "cap", "events"], required: ["half_life_days", "events"])
        let halfLife = try fields["half_life_days"]!.number()
        guard halfLife > 0 else { throw fields["half_life_days"]!.fail("half_life_days must be greater than 0") }
        var kinds: [String: EngagementRules.EventScore] = [:]
        for (kind, rule) in try fields["events"]!.mapping() {
            if case .scalar = rule.node {
                kinds[kind] = .init(points: try rule.number(), cap: nil)
            } else {
                let score = try rule.fields(allowed: ["points", "cap"], required: ["points"])
                kinds[kind] = .init(points: try score["points"]!.number(), cap: try score["cap"]?.number())
            }
        }
        return EngagementRules(halfLifeDays: halfLife, cap: try fields["cap"]?.number() ?? .infinity, kinds: kinds)
    }

    private static func thresholds(_ value: YAMLValue) throws -> Thresholds {
        let fields = try value.fields(allowed: ["mql", "sql"], required: ["mql"])
        let mql = try fields["mql"]!.number()
        // No `sql:` rule, no sales-ready verdict: the MQL threshold is not a definition of SQL.
        var sqlScore = Double.infinity
        var confirmed: [QualificationFacts.Fact] = []
        if let sql = fields["sql"] {
            let rule = try sql.fields(allowed: ["min_score", "confirmed"])
            sqlScore = try rule["min_score"]?.number() ?? mql
            if sqlScore < mql { throw sql.fail("sql.min_score (\(sqlScore.clean)) is below the MQL threshold (\(mql.clean))") }
            if let facts = rule["confirmed"] {
                confirmed = try facts.list().map { item in
                    let name = try item.string()
                    guard let fact = QualificationFacts.Fact(rawValue: name.lowercased()) else {
                        throw item.fail("unknown fact '\(name)'", hint: "facts are: budget, authority, need, timing")
                    }
                    return fact
                }
            }
        }
        return Thresholds(mql: mql, sqlScore: sqlScore, sqlConfirmed: confirmed)
    }

    /// `grid: { fit: { A: 40, B: 20 }, engagement: { 1: 30, 2: 10 } }`: the points at which a lead's
    /// fit is graded A or B (C below) and its engagement 1 or 2 (3 below).
    private static func gridBands(_ value: YAMLValue) throws -> GridBands {
        let fields = try value.fields(allowed: ["fit", "engagement"], required: ["fit", "engagement"])
        func cuts(_ key: String, _ grades: [String]) throws -> (Double, Double) {
            let band = try fields[key]!.fields(allowed: grades, required: grades)
            let (upper, lower) = (try band[grades[0]]!.number(), try band[grades[1]]!.number())
            guard upper.isFinite, lower.isFinite, upper > lower else {
                throw fields[key]!.fail(
                    "grid.\(key).\(grades[0]) (\(upper.clean)) must be more points than grid.\(key).\(grades[1]) (\(lower.clean))",
                    hint: "e.g. \(key): { \(grades[0]): 40, \(grades[1]): 20 }")
            }
            return (upper, lower)
        }
        let (fitA, fitB) = try cuts("fit", ["A", "B"])
        let (engagement1, engagement2) = try cuts("engagement", ["1", "2"])
        return GridBands(fitA: fitA, fitB: fitB, engagement1: engagement1, engagement2: engagement2, agreed: true)
    }

    private static func theme(_ entry: (key: String, value: YAMLValue)) throws -> Theme {
        let fields = try entry.value.fields(allowed: ["label", "phrases", "examples", "answer", "proof", "content", "cta"], required: [])
        let phrases = try fields["phrases"]?.strings() ?? []
        let examples = try fields["examples"]?.strings() ?? []
        guard !phrases.isEmpty || !examples.isEmpty else {
            throw (fields["phrases"] ?? fields["examples"] ?? entry.value).fail(
                "theme '\(entry.key)' needs at least one phrase or example", hint: "e.g. phrases: [too expensive] or examples: [\"we can't afford it this year\"]")
        }
        return Theme(
            id: entry.key,
            label: try fields["label"]?.string() ?? entry.key,
            phrases: phrases,
            examples: examples,
            answer: try fields["answer"]?.string() ?? "",
            proof: try fields["proof"]?.strings() ?? [],
            content: try fields["content"]?.strings() ?? [],
            callToAction: try fields["cta"]?.string() ?? "")
    }

    /// Ids name files (`brief --out` writes brief-THEME-DATE.md), are typed as command arguments
    /// and are stored with every verdict and objection: a slash or `..` in one would reach
    /// outside a folder, a space would split an argument. So they hold letters, digits, `_` and
    /// `-`, and nothing else.
    @discardableResult
    private static func requireIdentifier(_ value: YAMLValue, what: String) throws -> String {
        let id = try value.string()
        let allowed = !id.isEmpty && id.allSatisfy { $0.isLetter || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        guard allowed else {
            throw value.fail(
                "the \(what) id '\(id)' may hold only letters, digits, _ and -",
                hint: "ids name files and are typed in commands: write e.g. price_too_high")
        }
        return id
    }

    private static func requireUnique(_ ids: [String], in value: YAMLValue, what: String) throws {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw value.fail("two \(what)s have the id '\(id)'")
        }
    }
}

/// Why a file could not be read, in words: missing, a folder, or not readable.
func readProblem(_ path: String) -> String {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return "no such file" }
    if isDirectory.boolValue { return "it is a folder, not a file" }
    if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
    return "it is not UTF-8 text"
}
