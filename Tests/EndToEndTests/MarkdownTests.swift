import Foundation
import Testing

/// `--format markdown` read by a real CommonMark parser (markdown-it-py, with GFM tables, through
/// Fixtures/markdown_outline.py), as a reader pasting the answer into a document would see it:
/// each quote its own blockquote, tables that are tables, emphasis that renders.
@Suite(.serialized) struct MarkdownTests {
    static let now = "2026-11-20T12:00:00Z"
    let handoff = HandoffBinary()

    init() throws {
        try handoff.run(["--now", Self.now, "-c", "demo"])
    }

    /// What the parser saw in the Markdown answer to `line`.
    struct Outline {
        let blockquotes: [String]
        let tables: [(header: [String], rows: Int)]
        let headings: [String]
        let paragraphs: [String]
        let listItems: [String]
        let strong: [String]
        let emphasis: [String]
        /// Text that shows `**` or `__` as characters: emphasis that did not render.
        let literalMarks: [String]
    }

    func outline(_ line: String) throws -> Outline {
        let answer = try handoff.run(["--now", Self.now, "--format", "markdown", "-c", line])
        #expect(answer.status == 0, "\(line): \(answer.stderr)")
        let input = handoff.write("answer-\(UUID().uuidString).md", answer.stdout)
        let (status, data, problems) = try HandoffBinary.python("markdown_outline.py", input: input)
        try #require(
            status == 0,
            "markdown_outline.py failed (is markdown-it-py installed? scripts/install-dependencies does it): \(problems)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let strings = { (key: String) in json[key] as? [String] ?? [] }
        let tables = (json["tables"] as? [[String: Any]] ?? []).map { ($0["header"] as? [String] ?? [], $0["rows"] as? Int ?? 0) }
        return Outline(
            blockquotes: strings("blockquotes"), tables: tables, headings: strings("headings"), paragraphs: strings("paragraphs"),
            listItems: strings("list_items"), strong: strings("strong"), emphasis: strings("emphasis"), literalMarks: strings("literal_marks"))
    }

    @Test func aBriefQuotesEachObjectionInItsOwnBlockquote() throws {
        defer { handoff.remove() }
        // A second VP Operations who raised price: a title that raises it more than once is worth a line.
        let cfo = handoff.write("cfo.csv", "external_id,name,title,company\ncfo-2,Carla Numbers,VP Operations,Globex\n")
        try handoff.run(["--now", Self.now, "-c", "import leads \(cfo)"])
        try handoff.run(["--now", "2026-11-01T10:00:00Z", "-c", "log objection carla numbers \"more than our budget allows\" price"])
        let brief = try outline("brief pricing")
        #expect(brief.blockquotes == [
            "It's too expensive for a team our size — Sam Okafor, 2026-11-20",
            "We don't have budget left this quarter — Sam Okafor, 2026-11-19",
            "Your pricing is double what we pay now — Sam Okafor, 2026-11-17",
        ])
        #expect(brief.headings.first == "Campaign brief: answering “Price / budget” objections")
        #expect(brief.headings.contains("The insight") && brief.headings.contains("Drawn from"))
        #expect(brief.emphasis.contains { $0.hasPrefix("Drafted by Handoff on 2026-11-20") })
        // The titles line is a paragraph of its own, not the tail of the last audience item.
        #expect(brief.paragraphs.contains("Titles that raise it most: VP Operations (2)."), "\(brief.paragraphs)")
        #expect(!brief.listItems.contains { $0.contains("Titles that raise it most") })
        #expect(brief.literalMarks.isEmpty, "\(brief.literalMarks)")
    }

    @Test func objectionsAreHeadingsQuotesAndItalicNotes() throws {
        defer { handoff.remove() }
        let objections = try outline("objections this month")
        #expect(objections.headings.prefix(2) == ["Objections this month (2026-11-01 to 2026-11-30): 22 (+14 on the month before)", "Price / budget: 5"])
        #expect(objections.blockquotes.count == 19, "each quote its own blockquote: \(objections.blockquotes)")
        #expect(objections.blockquotes.first == "“It's too expensive for a team our size” — Sam Okafor, 2026-11-20")
        #expect(objections.emphasis.first == "no industry stands out: 1 each from financial services, logistics, manufacturing, retail, software")
        #expect(objections.tables.count == 1 && objections.tables[0].rows == 8, "the chart is a table of themes")
        #expect(objections.literalMarks.isEmpty, "\(objections.literalMarks)")
    }

    @Test func qualifyFunnelAndLeadsAreTablesAndSeparateParagraphs() throws {
        defer { handoff.remove() }
        let qualify = try outline("qualify acme")
        #expect(qualify.tables.count == 3, "the account's leads, the fit criteria and the engagement")
        #expect(qualify.tables.first?.header == ["lead", "title", "verdict", "score", "stage"])
        #expect(qualify.tables.first?.rows == 4)
        // The verdict, the reasons and the next step are paragraphs of their own, not one run-on.
        #expect(qualify.paragraphs.first?.hasPrefix("Wile Coyote (Acme Corp) is sales-ready (SQL)") == true, "\(qualify.paragraphs)")
        #expect(qualify.paragraphs.contains { $0.hasPrefix("In their favour:") })
        #expect(qualify.paragraphs.contains("Next step: Sales to close it: stage Wile Coyote won or stage Wile Coyote lost."))
        #expect(qualify.strong.prefix(2) == ["MQL at", "stage now"])
        #expect(qualify.literalMarks.isEmpty)

        let funnel = try outline("funnel")
        #expect(funnel.tables.first?.header.first == "stage" && funnel.tables.first?.rows == 6)
        #expect(funnel.emphasis.count == 2 && funnel.emphasis[0].hasPrefix("3 won, 3 lost."))

        let leads = try outline("leads")
        #expect(leads.tables.first?.header == ["name", "account", "title", "source", "stage", "created", "score"])
        #expect(leads.tables.first?.rows == 40)
        #expect(leads.strong == ["By source"])
        #expect(leads.literalMarks.isEmpty)
    }
}
