import Foundation
import HandoffCore
import HandoffPluginAPI
import HandoffSQLite
import ObjectionsPlugin
import Testing
@testable import HandoffShell

@Suite struct ObjectionsCommandTests {
    @Test func loggingKeepsWhoWhenAndTheThemeGivenOrClassified() throws {
        let fixture = try Fixture()
        let classified = try fixture.run("acme said it's too expensive for a team our size")
        #expect(classified.command == "log objection")
        #expect(classified.request.subject?.name == "Acme Corp")
        #expect(classified.reply.result["objection"]?["text"] == .string("it's too expensive for a team our size"))
        #expect(classified.reply.result["objection"]?["theme"] == .string("price"))
        let given = try fixture.run("log objection wile coyote \"legal wants monthly terms\" contract")
        #expect(given.reply.result["objection"]?["theme"] == .string("contract"))
        #expect(given.reply.result["confidence"] == .double(1))
        let unplaced = try fixture.run("log objection globex \"the weather was lovely\"")
        #expect(unplaced.reply.result["objection"]?["theme"] == .string("other"))
        #expect(unplaced.reply.result["candidates"] == .array([]))
        let stored = try fixture.store.objections(from: Fixture.now, to: Fixture.now.addingTimeInterval(1))
        #expect(stored.count == 3)
        #expect(stored.allSatisfy { $0.loggedBy == "tester" && $0.at == Fixture.now })
        let wile = try #require(stored.first { $0.theme == "contract" })
        #expect(wile.dealStage == .opportunity, "the deal stage when it was heard")
        #expect(throws: UsageError.self) { try fixture.run("log objection acme") }
    }

    @Test func anUnsureClassificationOffersTheLikelyThemesAndWaitsForReview() throws {
        let fixture = try Fixture()
        let sure = try fixture.run("log objection acme \"way too expensive, no budget\"")
        #expect(sure.reply.choices.isEmpty)
        #expect(sure.reply.result["sure"] == .bool(true))
        let unsure = try fixture.run("log objection acme \"our team is small\"")
        guard case .int(let id)? = unsure.reply.result["objection"]?["id"] else { Issue.record("no id"); return }
        #expect(unsure.reply.result["sure"] == .bool(false))
        #expect(unsure.reply.choices.map(\.line) == ["retheme \(id) need", "retheme \(id) risk", "retheme \(id) competition", "retheme \(id) other"])
        let review = try fixture.run("objections review")
        guard case .array(let listed)? = review.reply.result["objections"] else { Issue.record("no list"); return }
        #expect(listed.map { $0["text"] } == [.string("our team is small")])
        #expect(review.reply.choices.first == Reply.Choice("retheme \(id) need", then: "objections review"))
        try fixture.run("retheme \(id) need")
        guard case .array(let after)? = try fixture.run("objections review").reply.result["objections"] else { Issue.record("no list"); return }
        #expect(after.isEmpty, "confirmed by a person, it no longer waits")
    }

    @Test func whatFitsNoThemeIsGroupedBySharedWordsWithASuggestedTheme() throws {
        let fixture = try Fixture()
        let nothing = try fixture.run("objections other")
        #expect(nothing.reply.result["total"] == .int(0))
        for text in ["the tariffs on Vietnamese shrimp", "shrimp tariffs again", "asdf qwerty"] {
            try fixture.run("log objection acme \"\(text)\" --theme other")
        }
        try fixture.run("log objection acme \"shrimp prices are too expensive\"")
        for line in ["objections other", "what fits no theme this week?"] {
            let answer = try fixture.run(line)
            #expect(answer.command == "objections other", "\(line)")
            let result = answer.reply.result
            #expect(result["total"] == .int(3), "only what is under other: \(result)")
            guard case .array(let groups)? = result["groups"], case .array(let alone)? = result["alone"],
                  let first = groups.first, case .array(let grouped)? = first["objections"] else {
                Issue.record("no groups in \(result)")
                continue
            }
            #expect(first["words"] == .array([.string("shrimp"), .string("tariffs")]))
            #expect(first["suggested_theme"] == .string("shrimp"))
            #expect(grouped.count == 2)
            #expect(alone.map { $0["text"] } == [.string("asdf qwerty")])
        }
    }

    @Test func theSummaryRanksThemesAgainstThePreviousPeriodWithQuotesAndSegments() throws {
        let fixture = try Fixture()
        // Demo data at Wednesday 2026-11-18 15:30: this week (from Monday 16th) holds nine objections.
        let answer = try fixture.run("objections this week")
        let result = answer.reply.result
        #expect(result["total"] == .int(9))
        #expect(result["previous_total"] == .int(6))
        #expect(result["period"]?["start"] == .string("2026-11-16T00:00:00Z"))
        #expect(result["previous_period"]?["start"] == .string("2026-11-09T00:00:00Z"))
        guard case .array(let themes) = result["themes"], let first = themes.first else { Issue.record("no themes"); return }
        #expect(first["count"] == .int(2))
        let counts = themes.compactMap { theme -> Int? in if case .int(let n) = theme["count"] ?? .null { n } else { nil } }
        #expect(counts == counts.sorted(by: >), "ranked by count")
        #expect(counts.reduce(0, +) == 9)
        for theme in themes {
            guard case .array(let quotes) = theme["quotes"] ?? .null else { continue }
            #expect(theme["count"] == .int(0) ? quotes.isEmpty : (1...3).contains(quotes.count))
        }
        // A theme heard last week and not this week is listed at 0: the changes add up.
        let changes = themes.compactMap { theme -> Int? in if case .int(let n) = theme["change"] ?? .null { n } else { nil } }
        #expect(changes.count == themes.count && changes.reduce(0, +) == 9 - 6)
        let lastWeek = try fixture.run("objections last week").reply.result
        guard case .array(let before) = lastWeek["themes"] else { Issue.record("no themes"); return }
        #expect(before.contains { $0["count"] == .int(0) }, "a theme of the week before went quiet")
        let sum = before.compactMap { theme -> Int? in if case .int(let n) = theme["change"] ?? .null { n } else { nil } }.reduce(0, +)
        guard case .int(let total)? = lastWeek["total"], case .int(let previousTotal)? = lastWeek["previous_total"] else { Issue.record("no totals"); return }
        #expect(sum == total - previousTotal)
        let price = try #require(themes.first { $0["theme"] == .string("price") })
        #expect(price["previous"] == .int(2))
        #expect(price["change"] == .int(0))
        #expect(price["segments"] == .object([("manufacturing", .int(1)), ("software", .int(1))]))
    }

    /// "what did globex say about price?" answered everything Globex said: a theme named keeps it.
    @Test(arguments: ["what did globex say about price?", "objections price at globex", "objections at globex price"])
    func aThemeNamedWithAnAccountKeepsThatTheme(line: String) throws {
        let fixture = try Fixture()
        let all = try fixture.run("objections at globex").reply.result
        let answer = try fixture.run(line)
        #expect(answer.command == "objections")
        let result = answer.reply.result
        #expect(result["theme"] == .string("price"))
        guard case .array(let said) = result["objections"], case .array(let every) = all["objections"] else { Issue.record("no objections"); return }
        #expect(!said.isEmpty && said.count < every.count)
        #expect(said.allSatisfy { $0["theme"] == .string("price") })
        #expect(said.count == every.filter { $0["theme"] == .string("price") }.count)
    }

    /// "which objections keep coming back?" was refused ("no industry or theme called 'keep'"), and
    /// "recurring objections" ran `objections other`: the words a question is asked with filter
    /// nothing, and a period named after "than" is the one compared against.
    @Test(arguments: [
        ("which objections keep coming back?", nil, nil),
        ("what objections keep coming up?", nil, nil),
        ("objections trending up this month", "this month", nil),
        ("what are prospects worried about?", nil, nil),
        ("biggest objections this quarter", "this quarter", nil),
        ("are we getting more price objections than last month?", "this month", "price"),
        ("recurring objections", nil, nil),
    ] as [(String, String?, String?)])
    func theWordsOfAQuestionFilterNothing(line: String, period: String?, theme: String?) throws {
        let answer = try Fixture().run(line)
        #expect(answer.command == "objections")
        let result = answer.reply.result
        #expect(result["period"]?["label"] == .string(period ?? "last 30 days"))
        #expect(result["theme"] == (theme.map(JSONValue.string) ?? .null))
        #expect(result["industry"] == .null)
    }

    /// "objections about pricing" was refused ("no industry or theme called 'pricing'") while `brief
    /// pricing` found the theme, and "price objections last month" drafted and stored a brief: a
    /// theme is read as `brief` reads it, and a line asking to see objections keeps nothing.
    @Test(arguments: [
        ("objections about pricing", "price", nil),
        ("what did customers say about pricing last quarter", "price", "last quarter"),
        ("price objections last month", "price", "last month"),
        ("security objections this month", "risk", "this month"),
        ("budget objections", "price", nil),
        ("what are our contract objections?", "contract", nil),
    ] as [(String, String, String?)])
    func aThemeIsReadAsBriefReadsItAndSeeingObjectionsKeepsNothing(line: String, theme: String, period: String?) throws {
        let fixture = try Fixture()
        let before = try fixture.store.counts()
        let answer = try fixture.run(line)
        #expect(answer.command == "objections")
        #expect(answer.reply.result["theme"] == .string(theme))
        #expect(answer.reply.result["period"]?["label"] == .string(period ?? "last 30 days"))
        #expect(try fixture.store.counts() == before, "nothing was stored")
    }

    /// `objections about price by industry` said 5 in its headline, but its table's total column
    /// counted every theme (healthcare 0 … total 6, 25 in all) and ranked the rows by it: with a
    /// theme named, each segment's total is that theme's.
    @Test(arguments: ["objections about price by industry", "objections about price last 90 days by rep", "timing objections by stage"])
    func aSegmentsTotalIsTheNamedThemes(line: String) throws {
        let answer = try Fixture().run(line)
        guard case .int(let total)? = answer.reply.result["total"],
              let table = answer.reply.blocks.compactMap({ block -> Table? in if case .table(let table) = block { table } else { nil } }).first else {
            Issue.record("no total or no table: \(answer.reply.blocks)")
            return
        }
        #expect(table.columns.count == 3, "the segment, the theme, the total: \(table.columns)")
        let totals = table.rows.compactMap { Int($0.last ?? "") }
        #expect(totals.count == table.rows.count && totals.reduce(0, +) == total, "\(table.rows)")
        #expect(table.rows.allSatisfy { $0[1] == $0[2] && $0[2] != "0" }, "\(table.rows)")
        #expect(totals == totals.sorted(by: >), "ranked by the theme's count")
    }

    /// `--format csv -c "objections this week"` wrote nothing on standard output: the themes'
    /// counts and changes were in a chart, which CSV cannot draw. They are its table now, a number
    /// to a cell, beside the JSON's.
    @Test func objectionsAsCSVWriteEachThemesCountAndChange() throws {
        let answer = try Fixture().run("objections this week")
        let csv = Renderer(format: .csv, style: .plain).render(answer.reply, command: answer.command, request: answer.request)
        let rows = csv.stdout.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.first == ["theme", "label", "count", "previous", "change"])
        guard case .array(let themes)? = answer.reply.result["themes"] else { Issue.record("no themes"); return }
        #expect(rows.dropFirst().map { [$0[0], $0[2], $0[3], $0[4]] } == themes.map { theme in
            ["theme", "count", "previous", "change"].map { theme[$0].map { $0.stringValue ?? $0.intValue.map(String.init) ?? "" } ?? "" }
        })
        #expect(csv.stderr.hasPrefix("Objections this week"), "the rest of the answer goes to standard error")
    }

    /// "which objections are hurting us?" was refused for 'hurting': in someone's own words, a word
    /// that names nothing is left aside, and the answer says so; where a filter stands ("in
    /// agriculture"), it is still refused by name.
    @Test func aQuestionLeavesAsideAWordThatNamesNothingAndSaysSo() throws {
        let fixture = try Fixture()
        let answer = try fixture.run("which objections are hurting us?")
        #expect(answer.command == "objections")
        #expect(answer.reply.result["left_aside"] == .array([.string("hurting")]))
        #expect(answer.reply.blocks.contains { if case .note(let note) = $0 { note.contains("'hurting'") } else { false } })
        do {
            _ = try fixture.run("what are customers in agriculture complaining about?")
            Issue.record("answered for every industry")
        } catch let error as NotFoundError {
            #expect(error.message == "no industry or theme called 'agriculture'")
        }
    }

    /// A word that names no industry or theme, typed after the command, is still refused by name:
    /// passed over, the answer would be wider than the question.
    @Test(arguments: ["objections banana", "objections from agriculture this month", "objections keep banana"])
    func aWordThatNamesNothingIsRefusedByName(line: String) throws {
        do {
            _ = try Fixture().run(line)
            Issue.record("\(line) was answered")
        } catch let error as NotFoundError {
            #expect(error.message == "no industry or theme called '\(line.split(separator: " ").filter { !["objections", "from", "this", "month", "keep"].contains($0) }[0])'")
        }
    }

    @Test func aFollowUpAsksForAnotherPeriodAndSegmentsFilterOrGroup() throws {
        let fixture = try Fixture()
        _ = try fixture.run("objections this week")
        let again = try fixture.run("and last month?")
        #expect(again.command == "objections")
        #expect(again.reply.result["period"]?["label"] == .string("last month"))
        let healthcare = try fixture.run("top objections in the last 90 days from healthcare")
        #expect(healthcare.reply.result["industry"] == .string("healthcare"))
        guard case .array(let themes) = healthcare.reply.result["themes"] else { Issue.record("no themes"); return }
        #expect(themes.first?["theme"] == .string("risk"))
        let grouped = try fixture.run("objections last 90 days by industry")
        #expect(grouped.reply.result["grouping"] == .string("industry"))
        #expect(throws: UsageError.self) { try fixture.run("objections by weather") }
        #expect(throws: NotFoundError.self) { try fixture.run("objections from agriculture") }
        #expect(try fixture.run("what did prospects push back on last month?").command == "objections")
        #expect(try fixture.run("who pushed back last month?").command == "objections")
        do {
            try fixture.run("objections at nobody")
            Issue.record("answered for nobody")
        } catch let error as NotFoundError {
            #expect(error.message == "no lead or account matches 'nobody'", "not an industry: 'at' names who said it")
        }
    }
}

/// X Education's quotes left out "Diploma holder (Not Eligible)", said by 63 leads, for a text
/// two said: the texts said most come first, each once, with how often.
@Suite struct RepresentativeQuotesTests {
    @Test func theTextsSaidMostAreQuotedFirstWithHowOften() throws {
        let fixture = try Fixture()
        for (text, times) in [("we went with RivalSoft", 3), ("CompeteCo is cheaper", 2), ("they picked a rival", 1)] {
            for _ in 0..<times { try fixture.run("log objection acme \"\(text)\" competition") }
        }
        let result = try fixture.run("objections about competition today").reply.result
        guard case .array(let themes) = result["themes"], let quotes = themes.first?["quotes"], case .array(let said) = quotes else {
            Issue.record("no quotes: \(result)"); return
        }
        // The three logged here, most said first, then the demo's own quote of today (older, said once).
        #expect(said.prefix(3).map { $0["text"] } == ["we went with RivalSoft", "CompeteCo is cheaper", "they picked a rival"].map(JSONValue.string))
        #expect(said.map { $0["times"] } == [3, 2, 1, 1].map(JSONValue.int))
        let words = try fixture.run("objections about competition today").reply.blocks.compactMap { if case .quote(let line) = $0 { line } else { nil } }
        #expect(words.first?.hasPrefix("“we went with RivalSoft” — tester, ") == true && words.first?.hasSuffix(" (said 3 times)") == true, "\(words)")
        #expect(words.last?.contains("(said") == false, "a text said once says nothing of how often: \(words)")
    }
}

@Suite struct BriefTests {
    @Test(arguments: ["price", "timing", "authority", "need", "competition", "risk", "integration", "contract"])
    func everyThemeGetsABriefDrawnFromItsObjections(theme: String) throws {
        let fixture = try Fixture()
        let answer = try fixture.run("brief \(theme)")
        #expect(answer.command == "brief")
        guard case .string(let markdown) = answer.reply.result["markdown"] else { Issue.record("no markdown"); return }
        let label = try #require(fixture.context.definition.theme(theme))
        for section in ["## Objective", "## Audience", "## The insight", "## Key message and counter-positioning", "## Proof points needed",
                        "## Content pieces", "## Channels", "## Call to action", "## Success measures", "## Drawn from"] {
            #expect(markdown.contains(section), "\(theme): \(section)")
        }
        #expect(markdown.contains(label.answer), "the taxonomy's answer is the key message")
        let quoted = try fixture.store.objections(from: Fixture.now.addingTimeInterval(-90 * 86_400), to: Fixture.now.addingTimeInterval(86_400))
            .filter { $0.theme == theme }
        #expect(!quoted.isEmpty)
        for objection in quoted { #expect(markdown.contains(objection.text), "every objection it drew on is listed") }
        #expect(!markdown.contains("&#39;"), "Markdown is not HTML-escaped")
        guard case .array(let ids) = answer.reply.result["objection_ids"] else { Issue.record("no ids"); return }
        #expect(Set(ids.map { $0.encoded() }) == Set(quoted.compactMap(\.id).map { String($0) }), "stored with the objections it used")
    }

    @Test func theBriefIsDeterministicStoredAndWrittenOut() throws {
        let fixture = try Fixture()
        let first = try fixture.run("brief risk")
        let second = try fixture.run("draft a campaign brief for security objections")
        #expect(second.request.theme == "risk")
        #expect(first.reply.result["markdown"] == second.reply.result["markdown"], "same data, same brief")
        let out = "\(fixture.directory)/briefs"
        let written = try fixture.run("brief risk --out \(out)")
        guard case .string(let path) = written.reply.result["file"] else { Issue.record("no file"); return }
        #expect(path == "\(out)/brief-risk-2026-11-18.md")
        #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("# Campaign brief: answering “Risk / trust / security” objections"))
        // Into a folder whose parent is not there: refused before the brief is kept.
        let briefs = try fixture.store.counts()
        #expect(throws: UsageError.self) { try fixture.run("brief risk --out \(fixture.directory)/nowhere/briefs") }
        #expect(try fixture.store.counts() == briefs)
        #expect(throws: NotFoundError.self) { try fixture.run("brief contract 2020-01-01..2020-01-31") }
        #expect(throws: UsageError.self) { try fixture.run("brief") }
    }

    @Test func aUserTemplateShapesTheBrief() throws {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: "\(fixture.directory)/prompts", withIntermediateDirectories: true)
        try "BRIEF {{label}}: {{count}} objections; ask: {{cta}}".write(toFile: "\(fixture.directory)/prompts/brief.mustache", atomically: true, encoding: .utf8)
        let answer = try fixture.run("brief pricing")
        #expect(answer.reply.result["markdown"] == .string("BRIEF Price / budget: 6 objections; ask: Run the ROI calculator with us: 20 minutes, your numbers."))
    }

    @Test func aThemeIdThatWouldLeaveTheFolderIsRefusedAndNothingIsWritten() throws {
        let fixture = try Fixture()
        var context = fixture.context
        // A definition the parser never saw (one built in code): the brief still stays inside.
        let index = try #require(context.definition.themes.firstIndex { $0.id == "risk" })
        context.definition.themes[index].id = "../../escape"
        let out = "\(fixture.directory)/briefs/inner"
        let brief = try #require(ObjectionsPlugin().commands.first { $0.name == "brief" })
        do {
            _ = try brief.run(Request(command: "brief", options: ["out": out], theme: "../../escape"), context)
            Issue.record("the brief was written")
        } catch let error as UsageError {
            #expect(error.message == "the theme id '../../escape' would write the brief outside \(out)")
            #expect(error.hint == "theme ids hold letters, digits, _ and -: rename it in the definition")
        }
        let written = FileManager.default.subpaths(atPath: fixture.directory)?.filter { $0.contains("escape") } ?? []
        #expect(written.isEmpty, "\(written)")
    }
}
