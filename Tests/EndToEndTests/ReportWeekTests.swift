import Foundation
import Testing

/// `report week`: the weekly alignment report, checked against the audit trail (`history`), the
/// verdicts `leads` exports, and the answers of the commands whose parts it shows; its Markdown
/// read by a CommonMark parser and its HTML page opened in a real headless browser.
@Suite struct ReportWeekTests {
    static let now = "2026-11-18T15:30:00Z"
    /// "last 7 days" at that clock: today and the six days before.
    static let start = SourcesTests.date("2026-11-12T00:00:00Z"), end = SourcesTests.date("2026-11-19T00:00:00Z")

    static func result(_ handoff: HandoffBinary, _ line: String, as person: String = "tester") throws -> [String: Any] {
        let answer = try handoff.run(["--now", now, "--as", person, "--format", "json", "-c", line])
        #expect(answer.status == 0, "\(line): \(answer.stderr)")
        return try #require(answer.json.first?["result"] as? [String: Any], "\(line): \(answer.stdout)")
    }

    static func same(_ a: Any?, _ b: Any?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return NSDictionary(dictionary: ["v": a]).isEqual(to: ["v": b])
    }

    @Test func eachPartIsWhatTheTrailAndTheOtherCommandsSay() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", Self.now, "-c", "demo"])
        // A move someone undid is no hand-off: Kim Wexler accepted and the accept taken back. A lead
        // that moves twice is one lead: Saul Goodman, back from nurture, an MQL and accepted again.
        // A lead imported as an MQL became one before it was here: not a new MQL of the week.
        try handoff.run(["--now", Self.now, "--as", "Sam Okafor", "-c", "accept kim wexler", "-c", "undo kim wexler",
                         "-c", "stage saul goodman mql", "-c", "accept saul goodman"])
        let imported = handoff.write("mql.csv", "external_id,name,stage,created_at\nm-1,Ivy Imported,mql,2026-11-17\n")
        #expect(try handoff.run(["--now", Self.now, "-c", "import leads \(imported)"]).status == 0)

        let report = try Self.result(handoff, "prepare the sales-marketing meeting")
        let period = try #require(report["period"] as? [String: Any])
        #expect(period["label"] as? String == "last 7 days")
        #expect(period["start"] as? String == "2026-11-12T00:00:00Z" && period["end"] as? String == "2026-11-19T00:00:00Z")

        // Every lead's trail, as `history` gives it, and every verdict, as `leads` gives it.
        let listed = try Self.result(handoff, "leads --limit 1000")
        let leads = try #require(listed["leads"] as? [[String: Any]])
        var verdicts: [String: String] = [:]
        var trails: [String: [[String: Any]]] = [:]
        let history = try handoff.run(["--now", Self.now, "--format", "json"] + leads.flatMap { ["-c", "history \($0["lead"].flatMap { ($0 as? [String: Any])?["external_id"] as? String } ?? "")"] })
        #expect(history.json.count == leads.count)
        for (judged, answer) in zip(leads, history.json) {
            let lead = judged["lead"] as! [String: Any]
            let name = lead["name"] as! String
            verdicts[name] = (judged["verdict"] as! [String: Any])["verdict"] as? String
            trails[name] = ((answer["result"] as? [String: Any])?["transitions"] as? [[String: Any]]) ?? []
        }
        // The standing moves: an undo takes back the move before it.
        var standing: [(lead: String, from: String?, to: String, at: Date, by: String, reason: String)] = []
        for (name, trail) in trails {
            var kept: [(lead: String, from: String?, to: String, at: Date, by: String, reason: String)] = []
            for move in trail {
                let reason = move["reason"] as? String ?? ""
                if reason.hasPrefix("undo of "), !kept.isEmpty, kept.last?.from != nil {
                    kept.removeLast()
                } else {
                    kept.append((name, move["from"] as? String, move["to"] as! String, SourcesTests.date(move["at"] as! String), move["by"] as! String, reason))
                }
            }
            standing += kept
        }
        let inWeek = standing.filter { $0.at >= Self.start && $0.at < Self.end }

        let newMQLs = try #require(report["new_mqls"] as? [String: Any])
        let mqlNames = (newMQLs["leads"] as? [[String: Any]] ?? []).map { $0["lead"] as! String }
        #expect(mqlNames.sorted() == Set(inWeek.filter { $0.to == "mql" && $0.from != nil }.map(\.lead)).sorted())
        #expect(mqlNames.sorted() == ["Diane Nguyen", "Jesse Pinkman", "Kim Wexler", "Saul Goodman"], "the demo's week has new MQLs")
        #expect(newMQLs["count"] as? Int == mqlNames.count)
        #expect(newMQLs["came_in_as_mql"] as? Int == 1, "Ivy Imported")

        let sales = try #require(report["sales"] as? [String: Any])
        let accepted = (sales["accepted"] as? [[String: Any]] ?? []).map { $0["lead"] as! String }
        let marketing: Set<String> = ["inquiry", "mql", "nurture"], salesStages: Set<String> = ["sal", "sql", "opportunity"]
        #expect(accepted.sorted() == Set(inWeek.filter { salesStages.contains($0.to) && $0.from.map(marketing.contains) == true }.map(\.lead)).sorted())
        #expect(!accepted.contains("Kim Wexler"), "the undone accept is not counted")
        #expect(accepted.filter { $0 == "Saul Goodman" }.count == 1, "accepted twice, one lead")
        #expect(accepted.sorted() == ["Diane Nguyen", "Saul Goodman"])
        let rejected = (sales["rejected"] as? [[String: Any]] ?? []).map { "\($0["lead"]!) \($0["reason_code"]!)" }
        #expect(rejected.sorted() == inWeek.filter { $0.to == "disqualified" }.map { "\($0.lead) \($0.reason.split(separator: ":").first!)" }.sorted())
        #expect(rejected.count == 4)
        let nurtured = (sales["nurtured"] as? [[String: Any]] ?? []).map { $0["lead"] as! String }
        #expect(nurtured == inWeek.filter { $0.to == "nurture" && $0.from != nil }.map(\.lead))
        #expect(nurtured == ["Saul Goodman"])

        // The definition's health: the deals closed in the week, judged by today's verdicts.
        let health = try #require(report["definition_health"] as? [String: Any])
        // A lead imported already won or lost did not close in the week.
        let closed = Dictionary(grouping: inWeek.filter { ($0.to == "won" || $0.to == "lost") && $0.from != nil }, by: \.lead).map { $0.value.last! }
        let isMQL = { (name: String) in verdicts[name] == "mql" || verdicts[name] == "sql" }
        let won = closed.filter { $0.to == "won" }.count, mqls = closed.filter { isMQL($0.lead) }.count
        let wonMQLs = closed.filter { $0.to == "won" && isMQL($0.lead) }.count
        #expect(health["closed"] as? Int == closed.count && closed.count == 2)
        #expect(health["won"] as? Int == won && health["mqls"] as? Int == mqls && health["won_mqls"] as? Int == wonMQLs)
        #expect(health["precision"] as? Double == (mqls == 0 ? nil : Double(wonMQLs) / Double(mqls)))
        #expect(Self.same(health["overall"], try Self.result(handoff, "definition report")))

        // The SLA and the objections are those commands' answers for the same week.
        #expect(Self.same(report["sla"], try Self.result(handoff, "sla last 7 days")))
        #expect(Self.same(report["objections"], try Self.result(handoff, "objections last 7 days")))
        #expect(((report["sla"] as? [String: Any])?["overdue"] as? [Any])?.isEmpty == false, "the demo has MQLs waiting past the SLA")

        // No version came into force in the week; since September, the shipped one did.
        let changes = try #require(report["definition_changes"] as? [String: Any])
        #expect((changes["came_into_force"] as? [Any])?.isEmpty == true && changes["diff"] is NSNull)
        let longer = try Self.result(handoff, "report week since 2026-09-01")
        let since = try #require(longer["definition_changes"] as? [String: Any])
        #expect((since["came_into_force"] as? [[String: Any]])?.map { $0["version"] as? String } == ["2026.11-1"])
        #expect(since["in_force_at_start"] as? String == "2026.09-1")
        #expect(Self.same(since["diff"], try Self.result(handoff, "definition diff 2026.09-1 2026.11-1")))
    }

    @Test func theTextAnswerHasEveryPartAndSaysWhatIsMissing() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        // No data at all: every part says so, and none fails the report.
        let empty = try handoff.run(["--now", Self.now, "-c", "report week"])
        #expect(empty.status == 0, "\(empty.stderr)")
        for line in [
            "Sales–marketing alignment, last 7 days (2026-11-12 to 2026-11-18)", "No lead became an MQL in the period.", "Accepted by sales: 0",
            "The sales SLA", "What prospects objected", "No objections were logged last 7 days.", "Deals closed in the period: 0 (0 won)",
            "`definition report` cannot answer: no lead has a known outcome yet",
        ] {
            #expect(empty.stdout.contains(line), "\(line) in \(empty.stdout)")
        }
        try handoff.run(["--now", Self.now, "-c", "demo"])
        let text = try handoff.run(["--now", Self.now, "-c", "report week"])
        for line in ["At a glance", "new MQLs                3, referral 1, webinar 1, whitepaper 1", "accepted by sales       2", "rejected by sales       1",
                     "disqualified by a rule  3", "Rejected: 4 (1 by sales, 3 by a rule of the definition)",
                     "Jesse Pinkman  Not the decision maker and no path to one", "Waiting past it now: 3 MQLs",
                     "of the period's MQLs, 2 of 2 answered in time (1 still within it), against 0 of 3 answered in time the period before"] {
            #expect(text.stdout.contains(line), "\(line) in \(text.stdout)")
        }
        // A folder that cannot be made is named, and nothing else is said to be written.
        let refused = try handoff.run(["--now", Self.now, "-c", "report week --out /dev/null/reports"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("there is no folder /dev/null to make /dev/null/reports in"), "\(refused.stderr)")
        // A folder is made inside one that is there, not a tree of them from a typo.
        let typo = "\(handoff.home)/reprots/week"
        let deep = try handoff.run(["--now", Self.now, "-c", "report week --out \(typo)"])
        #expect(deep.status != 0 && deep.stderr.contains("there is no folder \(handoff.home)/reprots to make \(typo) in"), "\(deep.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(handoff.home)/reprots"))
        let file = handoff.write("not-a-folder", "")
        let onAFile = try handoff.run(["--now", Self.now, "-c", "report week --out \(file)"])
        #expect(onAFile.status != 0 && onAFile.stderr.contains("it is a file, not a folder"), "\(onAFile.stderr)")
        // A past period is told with the version in force then, not today's.
        let september = try handoff.run(["--now", Self.now, "-c", "report week 2026-09-01..2026-09-30"])
        #expect(september.stdout.contains("No version came into force in the period: version 2026.09-1 was in force throughout."), "\(september.stdout)")
    }

    @Test func writesMarkdownAndOnePageABrowserRendersWithoutErrors() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        try handoff.run(["--now", Self.now, "-c", "demo"])
        let folder = "\(handoff.home)/reports"
        let answer = try handoff.run(["--now", Self.now, "--format", "json", "-c", "report week --out \(folder)"])
        #expect(answer.status == 0, "\(answer.stderr)")
        let files = try #require((answer.json.first?["result"] as? [String: Any])?["files"] as? [String])
        #expect(files == ["\(folder)/alignment-2026-11-18.md", "\(folder)/alignment-2026-11-18.html"])
        let sections = ["At a glance", "New MQLs and where they came from", "What sales did with the leads", "The sales SLA",
                        "What prospects objected", "The definition's health", "What changed in the definition"]

        // The Markdown, as a CommonMark reader sees it: the title, then each part under its heading.
        let (status, data, problems) = try HandoffBinary.python("markdown_outline.py", input: files[0])
        try #require(status == 0, "markdown_outline.py: \(problems)")
        let outline = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let headings = outline["headings"] as? [String] ?? []
        #expect(headings.first == "Sales–marketing alignment, last 7 days (2026-11-12 to 2026-11-18)")
        #expect(sections.allSatisfy(headings.contains), "\(headings)")
        #expect((outline["tables"] as? [Any])?.count ?? 0 >= 5)

        // The page: self-contained, and rendered by Chromium with nothing in its console.
        let html = try String(contentsOfFile: files[1], encoding: .utf8)
        #expect(!html.contains("<script"))
        let addresses = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        #expect(!addresses.contains("http://") && !addresses.contains("https://") && !addresses.contains("src="), "the page names no address to fetch")
        let artefacts = "\(HandoffBinary.repositoryRoot)/.build/test-artefacts"
        try FileManager.default.createDirectory(atPath: artefacts, withIntermediateDirectories: true)
        let shot = "\(artefacts)/report-week.png"
        let rendered = try Browser.render(files[1], screenshot: shot)
        #expect(rendered.console.isEmpty, "console: \(rendered.console)")
        let png = try #require(FileManager.default.contents(atPath: shot))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]) && png.count > 50_000, "a screenshot of a full page, kept at \(shot)")
        // The DOM Chromium built: each part a section under its heading, the charts as SVG.
        for section in sections { #expect(rendered.dom.contains("<h2>\(section)</h2>"), "\(section)") }
        let charts = rendered.dom.components(separatedBy: "<svg").count - 1
        #expect(charts == 3, "new MQLs by source, rejections by reason, objections: \(charts)")

        // The check can fail: a page that fetches something is caught in the console.
        let fetching = handoff.write("fetching.html", html.replacingOccurrences(of: "<body>", with: "<body><img src=\"https://example.com/logo.png\">"))
        #expect(!(try Browser.render(fetching, screenshot: nil).console.isEmpty))
    }
}

extension ReportWeekTests {
    /// Names and notes come from files and reps: in the Markdown file and the page they are shown
    /// as written, never obeyed (no escape sequence, no markup).
    @Test func textFromDataIsShownNotObeyedInTheFiles() throws {
        let handoff = HandoffBinary()
        defer { handoff.remove() }
        let file = handoff.write("hostile.csv", "external_id,name,email,stage\nh-1,\"Eve\u{1B}[31mRED\",eve@acme.com,inquiry\nh-2,Zed `<img src=x onerror=alert(9)>,zed@acme.com,mql\n")
        #expect(try handoff.run(["--now", Self.now, "-c", "import leads \(file)"]).status == 0)
        #expect(try handoff.run(["--now", Self.now, "-c", "stage h-1 mql", "-c", "reject h-2 because no_budget <script>alert(1)</script> & more"]).status == 0)
        let folder = "\(handoff.home)/out"
        #expect(try handoff.run(["--now", Self.now, "-c", "report week --out \(folder)"]).status == 0)
        let markdown = try String(contentsOfFile: "\(folder)/alignment-2026-11-18.md", encoding: .utf8)
        let html = try String(contentsOfFile: "\(folder)/alignment-2026-11-18.html", encoding: .utf8)
        #expect(!markdown.contains("\u{1B}") && !html.contains("\u{1B}"), "an escape sequence written raw")
        // Markdown escapes what would be markup with a backslash; a lone backtick opens no code span.
        #expect(markdown.contains("Eve␛\\[31mRED"))
        #expect(markdown.contains("Zed \\`\\<img src=x onerror=alert(9)\\>"))
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\> \\& more"))
        #expect(!markdown.replacingOccurrences(of: "\\<", with: "").contains("<"), "every < from data is escaped")
        // The page escapes it as HTML.
        #expect(html.contains("Eve␛[31mRED") && html.contains("Zed `&lt;img src=x onerror=alert(9)&gt;"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"))
        #expect(!html.contains("<img") && !html.contains("<script"), "markup from data")
    }
}

/// Debian's headless Chromium, which scripts/install-dependencies installs.
enum Browser {
    struct Rendered {
        /// What the page wrote to the console, or that the browser logged against it.
        var console: [String]
        var dom: String
    }

    static func render(_ page: String, screenshot: String?) throws -> Rendered {
        let profile = NSTemporaryDirectory() + "chromium-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        let output = profile + ".out", errors = profile + ".err"
        defer {
            unlink(output)
            unlink(errors)
        }
        let arguments = ["120", "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(profile)", "--enable-logging=stderr",
                         "--v=0", "--hide-scrollbars", "--window-size=1200,3200"]
            + (screenshot.map { ["--screenshot=\($0)"] } ?? ["--dump-dom"]) + ["file://\(page)"]
        let pid = try Spawn.start("/usr/bin/timeout", arguments, output: output, errors: errors)
        let status = Spawn.wait(pid)
        let logged = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        try #require((status >> 8) & 0xFF == 0, "chromium failed (scripts/install-dependencies installs it): \(logged)")
        var dom = ""
        if screenshot != nil {
            // A second run for the DOM: one run gives either a screenshot or the DOM.
            dom = try render(page, screenshot: nil).dom
        } else {
            dom = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        }
        return Rendered(console: logged.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init), dom: dom)
    }
}
