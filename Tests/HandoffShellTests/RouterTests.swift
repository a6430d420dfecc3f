import Foundation
import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffShell

/// What a line should route to.
struct Expectation: CustomTestStringConvertible, Sendable {
    let line: String
    let command: String
    var subject: String? = nil
    var range: String? = nil
    var words: [String]? = nil
    var values: [String: String] = [:]
    var flags: Set<String> = []

    var testDescription: String { "\"\(line)\" → \(command)" }
}

@Suite struct RouterTests {
    static let table: [Expectation] = [
        // help and plugins
        .init(line: "help", command: "help"),
        .init(line: "HELP", command: "help"),
        .init(line: "help import", command: "help", values: ["topic": "import"]),
        .init(line: "what can you do?", command: "help"),
        .init(line: "how do i import", command: "help", values: ["topic": "import"]),
        .init(line: "halp", command: "help"),
        .init(line: "plugins", command: "plugins"),
        .init(line: "which plugins are loaded?", command: "plugins"),
        .init(line: "plugns", command: "plugins"),
        // leads: stage, source, account, period, in any order, with typos
        .init(line: "leads", command: "leads"),
        .init(line: "leads from webinar this month", command: "leads", range: "this month", words: ["webinar"]),
        .init(line: "this month's leads from webinar", command: "leads", range: "this month", words: ["webinar"]),
        .init(line: "Leads from Webinar, this month!", command: "leads", range: "this month", words: ["webinar"]),
        .init(line: "mqls this week", command: "leads", range: "this week", words: ["mqls"]),
        .init(line: "MQLs last week?", command: "leads", range: "last week", words: ["mqls"]),
        .init(line: "show me the mqls from last quarter", command: "leads", range: "last quarter", words: ["mqls"]),
        .init(line: "sqls in the last 30 days", command: "leads", range: "last 30 days", words: ["sqls"]),
        .init(line: "leads at acme", command: "leads", subject: "Acme Corp"),
        .init(line: "acme leads", command: "leads", subject: "Acme Corp"),
        .init(line: "Globex’s leads?", command: "leads", subject: "Globex"),
        .init(line: "leads at globex since 2026-10-01", command: "leads", subject: "Globex", range: "since 2026-10-01"),
        .init(line: "show leads from trade show", command: "leads", words: ["trade"]),
        .init(line: "list leads 2026-10-01..2026-10-31", command: "leads", range: "2026-10-01..2026-10-31"),
        .init(line: "leds from referral yesterday", command: "leads", range: "yesterday", words: ["referral"]),
        .init(line: "prospects created today", command: "leads", range: "today", words: ["prospects", "created"]),
        .init(line: "leads --limit 5", command: "leads", values: ["limit": "5"]),
        .init(line: "nurture leads in q3", command: "leads", range: "Q3 2026", words: ["nurture"]),
        .init(line: "customers in october", command: "leads", range: "October 2026", words: ["customers"]),
        // one lead or account
        .init(line: "lead wile coyote", command: "lead", subject: "Wile Coyote"),
        .init(line: "who is wile?", command: "lead", subject: "Wile Coyote"),
        .init(line: "tell me about globex", command: "lead", subject: "Globex"),
        .init(line: "tell me about (initech)!", command: "lead", subject: "Initech"),
        .init(line: "account initech", command: "lead", subject: "Initech"),
        .init(line: "who is ada@analytical.org", command: "lead", subject: "Ada Lovelace"),
        .init(line: "lead demo-001", command: "lead", subject: "Wile Coyote"),
        .init(line: "details for umbrela", command: "lead", subject: "Umbrella Health"),
        .init(line: "profile of Tony Stark", command: "lead", subject: "Tony Stark"),
        // the foundation's commands
        .init(line: "import leads contacts.csv --mapping hubspot --dry-run", command: "import",
              values: ["kind": "leads", "file": "contacts.csv", "mapping": "hubspot"], flags: ["dry-run"]),
        .init(line: "import events e.csv", command: "import", values: ["kind": "events", "file": "e.csv"]),
        .init(line: "load demo", command: "demo"),
        .init(line: "demo", command: "demo"),
        .init(line: "definition", command: "definition show"),
        .init(line: "what counts as qualified?", command: "definition show"),
        .init(line: "how is an mql defined", command: "definition show"),
        .init(line: "check definition team.yaml", command: "definition check", values: ["file": "team.yaml"]),
        .init(line: "definition init", command: "definition init"),
        // measuring the hand-off
        .init(line: "grid this quarter", command: "grid", range: "this quarter"),
        .init(line: "show the fit and engagement grid", command: "grid"),
        .init(line: "what if mql 70", command: "what if", values: ["change": "mql 70"]),
        .init(line: "what if webinar_attended 15 --list", command: "what if", values: ["change": "webinar_attended 15"], flags: ["list"]),
        .init(line: "report week last week --out reports", command: "report week", range: "last week", values: ["out": "reports"]),
        .init(line: "prepare the sales-marketing meeting", command: "report week"),
        .init(line: "sources by campaign this quarter", command: "sources", range: "this quarter", values: ["by": "campaign"]),
        // `objections` begins longer names: a line that starts with it may ask one of them
        .init(line: "objections matching no theme this month", command: "objections other", range: "this month"),
        .init(line: "how many c2 leads", command: "grid"),
        // "what" of `what if` is everyday English: "whats" misspells no command
        .init(line: "whats the score on wile coyote", command: "qualify", subject: "Wile Coyote"),
    ]

    @Test(arguments: table)
    func routes(_ expected: Expectation) throws {
        try Self.check(expected, in: try Fixture())
    }

    /// Routes the line and checks what a user would: the command, the lead or account, the
    /// period, the words and the values it was given.
    static func check(_ expected: Expectation, in fixture: Fixture) throws {
        let routed = try fixture.routed(expected.line)
        #expect(routed.command.name == expected.command, "\(routed.explanation)")
        #expect(routed.request.subject?.name == expected.subject, "\(routed.explanation)")
        #expect(routed.request.range?.label == expected.range, "\(routed.explanation)")
        // The words keep their stopwords for the plugin; the meaningful ones are what a user would check.
        if let words = expected.words {
            #expect(routed.request.words.filter { !Stopwords.contains($0) } == words, "\(routed.explanation)")
        }
        for (name, value) in expected.values { #expect(routed.request[name] == value, "\(routed.explanation)") }
        #expect(routed.request.flags == expected.flags)
    }

    @Test func theTableIsLargeEnoughToMeanSomething() {
        #expect(Self.table.count >= 40)
        #expect(Set(Self.table.map(\.command)).count >= 8)
    }

    @Test func routingIsDeterministic() throws {
        let fixture = try Fixture()
        for expected in Self.table.prefix(20) {
            let first = try fixture.routed(expected.line)
            let second = try fixture.routed(expected.line)
            #expect(first.explanation == second.explanation)
        }
    }

    @Test func aFollowUpAsksTheLastQuestionForAnotherPeriod() throws {
        let fixture = try Fixture()
        _ = try fixture.routed("leads from webinar this month")
        let again = try fixture.routed("and last month?")
        #expect(again.command.name == "leads")
        #expect(again.request.range?.label == "last month")
        #expect(again.request.words == ["from", "webinar"])
        let third = try fixture.routed("what about last 7 days")
        #expect(third.request.range?.label == "last 7 days")
        #expect(third.request.words == ["from", "webinar"])
    }

    @Test func aFollowUpCanNameAnotherLeadOrAccount() throws {
        let fixture = try Fixture()
        _ = try fixture.routed("lead wile coyote")
        let next = try fixture.routed("and globex?")
        #expect(next.command.name == "lead")
        #expect(next.request.subject?.name == "Globex")
    }

    @Test func aCommandThatNeedsALeadTakesTheOneInContext() throws {
        let fixture = try Fixture()
        _ = try fixture.routed("who is tony stark")
        let next = try fixture.routed("details")
        #expect(next.request.subject?.name == "Tony Stark")
        #expect(next.explanation.contains { $0.contains("from the conversation") })
    }

    @Test func anAmbiguousNameGetsNumberedChoicesAndTheNextLineMayBeTheNumber() throws {
        let fixture = try Fixture()
        guard case .choose(let question, let candidates, _) = try fixture.route("who is ada") else {
            Issue.record("'ada' should be ambiguous")
            return
        }
        #expect(question.contains("ada"))
        #expect(Set(candidates.map(\.name)) == ["Ada Lovelace", "Ada King"])
        let picked = try fixture.routed("2")
        #expect(picked.command.name == "lead")
        #expect(picked.request.subject?.name == candidates[1].name)
        #expect(throws: UsageError.self) {
            _ = try fixture.route("who is ada")
            _ = try fixture.route("7")
        }
    }

    /// "What's holding Nora back?" asks what keeps her from qualifying as much as what she objected
    /// to: two commands fit about equally and each takes the line, so the router asks.
    @Test func aLineThatFitsTwoCommandsAboutEquallyAsksWhich() throws {
        let fixture = try Fixture()
        guard case .chooseCommand(let question, let options) = try fixture.route("what's holding nora green back") else {
            Issue.record("'what's holding nora green back' should ask which command")
            return
        }
        #expect(question == "Did you mean `qualify` or `objections`?")
        #expect(options.map(\.command.name) == ["qualify", "objections"])
        #expect(options.allSatisfy { $0.request.subject?.name == "Nora Green" })
        // One that clearly fits one command is not asked about.
        guard case .run(let routed) = try fixture.route("is nora green ready for sales?") else {
            Issue.record("asked about a clear line")
            return
        }
        #expect(routed.command.name == "qualify")
    }

    @Test func unknownInputGetsDidYouMean() throws {
        let fixture = try Fixture()
        do {
            _ = try fixture.route("imprt leads x.csv")
            Issue.record("routed a typo'd verb with arguments")
        } catch let error as UsageError {
            // A typo in the first word of an exact command still routes by phrasing, or suggests it.
            #expect(error.hint?.contains("import") == true)
        }
        do {
            _ = try fixture.route("frobnicate")
            Issue.record("routed nonsense")
        } catch let error as UsageError {
            #expect(error.message.contains("frobnicate"))
            #expect(error.hint != nil)
        }
        do {
            _ = try fixture.route("globex")
            Issue.record("routed a bare name")
        } catch let error as UsageError {
            #expect(error.hint == "did you mean `lead Globex`?")
        }
    }

    @Test func badArgumentsAreRefusedWithTheReason() throws {
        let fixture = try Fixture()
        #expect(throws: UsageError.self) { try fixture.route("import lead x.csv") }
        // The reason names the mistyped option, not the file after it.
        do {
            _ = try fixture.route("import lead x.csv")
        } catch let error as UsageError {
            #expect(error.message == "import: 'lead' is not one of leads, events, objections")
            #expect(error.hint?.hasPrefix("did you mean `leads`?") == true)
        }
        #expect(throws: UsageError.self) { try fixture.route("leads --limitt 5") }
        #expect(throws: UsageError.self) { try fixture.route("import leads") }
        #expect(throws: UsageError.self) { try fixture.route("lead \"open quote") }
        #expect(throws: NotFoundError.self) { try fixture.route("lead nobody-by-this-name") }
        // A name that matches nobody stays an error, whatever other command its words could fit.
        for line in ["stage nobody sal", "qualify nobody", "history nobody", "history mql"] {
            #expect(throws: NotFoundError.self, "\(line)") { try fixture.route(line) }
        }
        #expect(throws: UsageError.self) { try fixture.route("details") }
    }
}
