import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffShell

@Suite struct RendererTests {
    let table = Table(
        columns: ["name", "note", "count"],
        rows: [["Ada", String(repeating: "long note ", count: 20), "7"], ["Grace", "short", "1234"]],
        numeric: [2])

    func text(_ blocks: [Block], width: Int = 60, colour: Bool = false) -> String {
        Renderer(format: .text, style: TerminalStyle(colour: colour, width: width))
            .render(Reply(blocks, result: .null), command: "x", request: Request(command: "x")).stdout
    }

    @Test func tablesAlignAndFitTheTerminal() {
        let lines = text([.table(table)]).split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 60 }, "\(lines)")
        #expect(lines[2].contains("…"), "the widest column gives way and says so")
        // Numbers are right-aligned: both counts end in the same column.
        #expect(lines[2].hasSuffix("   7"))
        #expect(lines[3].hasSuffix("1234"))
        #expect(lines[1].allSatisfy { $0 == "─" || $0 == " " })
    }

    @Test func columnsAlignByCharacterWhateverTheScript() {
        let accented = Table(columns: ["name", "count"], rows: [["Müller", "3"], ["東京 Ltd", "12"], ["Zoë 👩‍💻", "7"]], numeric: [1])
        let lines = text([.table(accented), .keyValues([("Müller", "one"), ("id", "two")])]).split(separator: "\n").map(String.init)
        // Every count ends in the same column, counted in characters (a terminal shows 東 and the
        // emoji two columns wide: a limit of TableLayout.width(of:)).
        #expect(Set(lines[2...4].map(\.count)).count == 1, "\(lines)")
        #expect(lines[4].hasSuffix("  7"))
        // Key-value pairs line their values up after the longest key.
        #expect(lines[5] == "  Müller  one")
        #expect(lines[6] == "  id      two")
    }

    @Test func barsAreProportionalAndNeverVanish() {
        let chart = BarChart(title: "By source", bars: [("webinar", 100, "100"), ("paid", 50, "50"), ("fax", 0.1, "0.1")])
        let lines = text([.chart(chart)], width: 40).split(separator: "\n").map(String.init)
        #expect(lines[0] == "By source")
        let bars = lines.dropFirst().map { $0.filter { "█▏▎▍▌▋▊▉".contains($0) }.count }
        #expect(bars[0] >= 2 * bars[1] - 1 && bars[0] <= 2 * bars[1] + 1)
        #expect(bars[2] == 1)
        #expect(lines.allSatisfy { $0.count <= 40 })
    }

    @Test func colourOnlyWhenAsked() {
        #expect(text([.heading("Leads")], colour: true).contains("\u{1B}[1m"))
        #expect(!text([.heading("Leads")], colour: false).contains("\u{1B}["))
    }

    @Test func markdownTablesEscapePipes() {
        let output = Renderer(format: .markdown, style: .plain).render(
            Reply([.table(Table(columns: ["a", "b"], rows: [["x|y", "2"]], numeric: [1]))], result: .null),
            command: "x", request: Request(command: "x")).stdout
        #expect(output.contains("| a | b |\n| --- | ---: |\n| x\\|y | 2 |"))
    }

    @Test func jsonNamesTheCommandArgumentsAndOutcome() {
        var request = Request(command: "leads", values: ["kind": "leads"], flags: ["dry-run"])
        request.words = ["webinar"]
        let output = Renderer(format: .json, style: .plain).render(
            Reply([.text("hi")], result: .object([("n", .int(1))]), failure: .init(code: "rows_rejected", message: "2 rows")),
            command: "leads", request: request)
        #expect(output.stdout == #"{"command":"leads","args":{"kind":"leads","words":["webinar"],"dry-run":true},"ok":false,"result":{"n":1},"error":{"code":"rows_rejected","message":"2 rows"}}"# + "\n")
        #expect(output.stderr.contains("2 rows"))
    }

    @Test func errorsAreRenderedInOnePlace() {
        let renderer = Renderer(format: .json, style: .plain)
        let output = renderer.render(NotFoundError("no lead 'x'", hint: "try leads"), command: "lead", request: nil)
        #expect(output.stderr == "error: no lead 'x'\nhint: try leads\n")
        #expect(output.stdout.contains(#""ok":false,"result":null,"error":{"code":"not_found","message":"no lead 'x'","hint":"try leads"}"#))
    }
}
