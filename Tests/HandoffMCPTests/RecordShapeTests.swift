import Foundation
import HandoffCore
import HandoffDemoWorld
import HandoffPluginAPI
import HandoffSQLite
import Testing
@testable import HandoffMCP

/// One shape per record (docs/json.md): what an outside plugin reads through `handoff/read` has the
/// keys the document lists, in its order, with the types it says, and is the same JSON the shell's
/// `--format json` writes for the same record.
@Suite struct RecordShapeTests {
    let world: DemoWorld
    /// What a plugin that declared every scope reads.
    let records: LeadRecords

    init() throws {
        world = try DemoWorld()
        records = LeadRecords(context: world.context, reads: Set(PluginManifest.DataScope.allCases))
    }

    /// The answer to a plugin's `handoff/read`, as the plugin receives it: JSON text, parsed.
    func read(_ params: [(String, String)]) throws -> JSONValue {
        let answer = try records.read(.object(params.map { ($0.0, .string($0.1)) }))
        return try JSONParser.parse(answer.encoded())
    }

    /// The keys docs/json.md lists for a record, in order: the backquoted names of its paragraph,
    /// less what is said in brackets (values, or the keys of a part).
    static func documentedKeys(_ record: String) throws -> [String] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/json.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let paragraph = try #require(text.components(separatedBy: "\n\n").first { $0.hasPrefix("**\(record)**") }, "docs/json.md describes \(record)")
        var flat = paragraph.replacingOccurrences(of: "\n", with: " ")
        while let bracket = flat.range(of: #"\([^()]*\)"#, options: .regularExpression) { flat.removeSubrange(bracket) }
        let body = flat[flat.index(after: try #require(flat.firstIndex(of: ":")))...]
        return body.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
    }

    func keys(_ value: JSONValue?) -> [String] { value?.objectValue?.map(\.0) ?? [] }

    static let stages = Set(Stage.allCases.map(\.rawValue))

    func isTime(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"#, options: .regularExpression) != nil
    }

    func isInt(_ value: JSONValue?) -> Bool { value?.intValue != nil }
    func isNumber(_ value: JSONValue?) -> Bool { if case .double? = value { true } else { isInt(value) } }
    func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
    }
    func isText(_ value: JSONValue?, orNull: Bool = false) -> Bool { value?.stringValue != nil || (orNull && value == .null) }
    func isOneOf(_ value: JSONValue?, _ allowed: Set<String>, orNull: Bool = false) -> Bool {
        value?.stringValue.map(allowed.contains) ?? (orNull && value == .null)
    }

    func checkLead(_ lead: JSONValue) throws {
        let documented = try Self.documentedKeys("Lead")
        #expect(Array(keys(lead).prefix(documented.count)) == documented, "its own keys first, then what was declared")
        #expect(isInt(lead["id"]))
        #expect(isText(lead["external_id"]))
        #expect(isInt(lead["account_id"]) || lead["account_id"] == .null)
        #expect(isText(lead["name"]))
        for key in ["email", "title", "source", "owner", "notes"] { #expect(isText(lead[key], orNull: true), "\(key)") }
        #expect(isOneOf(lead["seniority"], Set(Seniority.allCases.map(\.rawValue)), orNull: true))
        #expect(isTime(lead["created_at"]))
        #expect(isOneOf(lead["stage"], Self.stages))
        #expect(isOneOf(lead["outcome"], ["open", "won", "lost"]))
        #expect(keys(lead["facts"]) == ["budget", "authority", "need", "timing"])
        #expect(lead["facts"]?.objectValue?.allSatisfy { $0.1 == .null || $0.1.boolValue != nil } == true)
        #expect(lead["attributes"]?.objectValue?.allSatisfy { $0.1.stringValue != nil } == true)
    }

    func checkAccount(_ account: JSONValue) throws {
        let documented = try Self.documentedKeys("Account")
        #expect(Array(keys(account).prefix(documented.count)) == documented, "its own keys first, then what was declared")
        #expect(isInt(account["id"]))
        #expect(isText(account["name"]))
        for key in ["domain", "industry", "revenue_band", "country"] { #expect(isText(account[key], orNull: true), "\(key)") }
        #expect(isInt(account["employees"]) || account["employees"] == .null)
    }

    func checkVerdict(_ verdict: JSONValue) throws {
        #expect(keys(verdict) == (try Self.documentedKeys("Verdict")))
        #expect(isOneOf(verdict["verdict"], Set(Verdict.Kind.allCases.map(\.rawValue))))
        let (score, fit, engagement) = (try #require(number(verdict["score"])), try #require(number(verdict["fit"])), try #require(number(verdict["engagement"])))
        #expect(score == fit + engagement, "score = fit + engagement")
        // Fit and engagement are the qualifier's, carried to one decimal as `qualify` shows them.
        for part in [fit, engagement] { #expect(abs(part * 10 - (part * 10).rounded()) < 1e-9, "\(part)") }
        for criterion in verdict["criteria"]?.arrayValue ?? [] {
            #expect(keys(criterion) == ["id", "label", "passed", "value", "points"])
            #expect(criterion["passed"]?.boolValue != nil)
            #expect(isText(criterion["value"], orNull: true))
            #expect(isNumber(criterion["points"]))
            if criterion["passed"] == .bool(false) { #expect(number(criterion["points"]) == 0, "a criterion that failed earns nothing") }
        }
        for kind in verdict["activity"]?.arrayValue ?? [] {
            #expect(keys(kind) == ["kind", "events", "raw", "points"])
            #expect(isInt(kind["events"]))
            #expect(isNumber(kind["raw"]) && isNumber(kind["points"]))
        }
        #expect(verdict["disqualifier"] == .null || keys(verdict["disqualifier"]) == ["id", "label", "reason"])
        let facts = Set(QualificationFacts.Fact.allCases.map(\.rawValue))
        #expect(verdict["unknown"]?.arrayValue?.allSatisfy { isOneOf($0, facts) } == true)
        #expect(verdict["missing_for_sql"]?.arrayValue?.allSatisfy { isOneOf($0, facts) } == true)
        #expect(verdict["definition_version"] == .string(world.context.definition.version))
        #expect(verdict["next_step"]?.stringValue?.isEmpty == false)
    }

    func checkEvent(_ event: JSONValue) throws {
        #expect(keys(event) == (try Self.documentedKeys("Event")))
        #expect(isInt(event["id"]) && isInt(event["lead_id"]))
        #expect(isText(event["kind"]) && isText(event["detail"]))
        #expect(isTime(event["occurred_at"]))
    }

    func checkObjection(_ objection: JSONValue) throws {
        #expect(keys(objection) == (try Self.documentedKeys("Objection")))
        #expect(isInt(objection["id"]))
        #expect(isInt(objection["lead_id"]) || objection["lead_id"] == .null)
        #expect(isInt(objection["account_id"]) || objection["account_id"] == .null)
        #expect(isTime(objection["at"]))
        for key in ["theme", "text", "logged_by"] { #expect(isText(objection[key]), "\(key)") }
        #expect(isOneOf(objection["deal_stage"], Self.stages, orNull: true))
    }

    @Test func aLeadReadByAPluginIsTheShellsLead() throws {
        defer { world.remove() }
        let read = try #require(try read([("what", "lead"), ("lead", "tony stark")])["lead"])
        // The lead's own keys, then what the plugin declared it reads, each as its record.
        #expect(keys(read) == (try Self.documentedKeys("Lead")) + ["account", "events", "transitions", "rejections", "verdict"])
        try checkLead(read)
        #expect(read["name"] == .string("Tony Stark"))

        let shown = try #require(try world.shellJSON("lead tony stark")["result"])
        let ownKeys = Set(try Self.documentedKeys("Lead"))
        #expect(JSONValue.object(read.objectValue!.filter { ownKeys.contains($0.0) }) == shown["lead"])
        let account = try #require(read["account"])
        try checkAccount(account)
        #expect(account["name"] == .string("Stark Logistics"))
        #expect(account == shown["account"])
        let events = try #require(read["events"]?.arrayValue)
        #expect(!events.isEmpty)
        for event in events { try checkEvent(event) }
        #expect(read["events"] == shown["events"])
        #expect(read["transitions"] == shown["transitions"])
        #expect(read["transitions"]?.arrayValue?.compactMap { $0["to"]?.stringValue } == ["inquiry", "mql", "sal", "sql"])

        let verdict = try #require(read["verdict"])
        try checkVerdict(verdict)
        #expect(verdict == (try world.shellJSON("qualify tony stark")["result"]?["verdict"]), "the verdict `qualify` writes")
        // Engagement per kind is kept as computed (decayed), not cut to the one decimal shown.
        let points = verdict["activity"]?.arrayValue?.compactMap { number($0["points"]) } ?? []
        #expect(points.contains { abs($0 * 10 - ($0 * 10).rounded()) > 1e-6 }, "\(points)")
    }

    @Test func anAccountReadByAPluginIsTheShellsAccount() throws {
        defer { world.remove() }
        let read = try #require(try read([("what", "account"), ("account", "Stark Logistics")])["account"])
        try checkAccount(read)
        #expect(keys(read) == (try Self.documentedKeys("Account")) + ["leads"])
        let shown = try #require(try world.shellJSON("lead stark logistics")["result"])
        let ownKeys = Set(try Self.documentedKeys("Account"))
        #expect(JSONValue.object(read.objectValue!.filter { ownKeys.contains($0.0) }) == shown["account"])
        let leads = try #require(read["leads"]?.arrayValue)
        #expect(leads.count >= 2)
        for lead in leads {
            try checkLead(lead)
            #expect(lead["account_id"] == read["id"])
        }
        #expect(Set(leads.map { $0.encoded() }) == Set(shown["leads"]?.arrayValue?.map { $0.encoded() } ?? []), "the account's leads as `lead ACCOUNT` lists them")
    }

    @Test func objectionsReadByAPluginAreTheShellsObjections() throws {
        defer { world.remove() }
        let read = try #require(try read([("what", "objections"), ("from", "2026-01-01T00:00:00Z"), ("to", "2026-11-20T12:00:00Z")])["objections"]?.arrayValue)
        #expect(read.count > 10)
        for objection in read { try checkObjection(objection) }
        let tony = try #require(try world.store.findLeads(matching: "Tony Stark", limit: 1, loose: false).first)
        let shown = try #require(try world.shellJSON("lead tony stark")["result"]?["objections"]?.arrayValue)
        #expect(!shown.isEmpty)
        let byId = Dictionary(read.map { ($0["id"]?.intValue ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        for objection in shown {
            #expect(objection["lead_id"] == .int(Int(tony.id!)) || objection["account_id"] == .int(Int(tony.accountId!)))
            #expect(byId[objection["id"]?.intValue ?? -1] == objection, "objection \(objection["id"]?.encoded() ?? "") as `lead tony stark` writes it")
        }
        #expect(shown.contains { $0["text"] == .string("Can't justify the cost until we see ROI numbers") })
    }

    @Test func rejectionsAndStageMovesHaveTheirDocumentedShape() throws {
        defer { world.remove() }
        let art = try #require(try read([("what", "rejections"), ("lead", "art vandelay")])["lead"])
        let rejection = try #require(art["rejections"]?.arrayValue?.first)
        #expect(keys(rejection) == (try Self.documentedKeys("Rejection")))
        #expect(rejection["by_rule"] == .bool(false))
        #expect(rejection["reason_code"] == .string("no_budget"))
        #expect(isTime(rejection["at"]))
        #expect(rejection["lead_id"] == art["id"])
        let move = try #require(art["transitions"]?.arrayValue?.last)
        #expect(keys(move) == (try Self.documentedKeys("Stage move")))
        #expect(move["to"] == .string("disqualified"))
        #expect(art["transitions"]?.arrayValue?.first?["from"] == .null, "a lead's first stage comes from nowhere")
        #expect(art["transitions"] == (try world.shellJSON("history art vandelay")["result"]?["transitions"]))
    }

    @Test func aPluginReadsOnlyWhatItDeclared() throws {
        defer { world.remove() }
        let narrow = LeadRecords(context: world.context, reads: [.lead, .verdict])
        let lead = try JSONParser.parse(try narrow.read(.object([("what", .string("lead")), ("lead", .string("tony stark"))])).encoded())["lead"]
        #expect(keys(lead) == (try Self.documentedKeys("Lead")) + ["verdict"])
        #expect(throws: UndeclaredRead.self) { try narrow.read(.object([("what", .string("events")), ("lead", .string("tony stark"))])) }
    }
}
