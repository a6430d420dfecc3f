import Foundation
import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffShell

@Suite struct RendererTests {
    let table = Table(
        columns: ["name", "note", "count"],
        rows: [["Ada", String(repeating: "long note ", count: 20), "7"], ["Grace", "short", "1234"]],
        numeric: [2])

    func text(_ blocks: [Block], width: Int? = 60, colour: Bool = false) -> String {
        Renderer(format: .text, style: TerminalStyle(colour: colour, width: width.map { .columns($0) } ?? .unlimited))
            .render(Reply(blocks, result: .null), command: "x", request: Request(command: "x")).stdout
    }

    func lines(_ blocks: [Block], width: Int? = 60) -> [String] {
        text(blocks, width: width).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    func markdown(_ blocks: [Block]) -> String {
        Renderer(format: .markdown, style: .plain).render(Reply(blocks, result: .null), command: "x", request: Request(command: "x")).stdout
    }

    @Test func inAPipeATableShowsEveryCellWholeOnOneLine() {
        let lines = lines([.table(table)], width: nil)
        #expect(lines.count == 4, "one line per row: \(lines)")
        #expect(lines[2].contains(String(repeating: "long note ", count: 19) + "long note"))
        #expect(!lines.joined().contains("…"))
        #expect(lines[2].hasSuffix("   7") && lines[3].hasSuffix("1234"), "numbers still end in one column")
    }

    @Test func onATerminalATableTooWideWrapsItsTextAndKeepsNumbersWhole() {
        let lines = lines([.table(table)])
        #expect(lines.allSatisfy { $0.terminalColumns <= 60 }, "\(lines)")
        #expect(!lines.joined().contains("…"), "nothing is cut")
        #expect(lines[1].allSatisfy { $0 == "─" || $0 == " " })
        // Ada's row starts with her count, right-aligned; her note goes on under itself, word by word.
        #expect(lines[2].hasPrefix("  Ada  ") && lines[2].hasSuffix("      7"), "\(lines)")
        let note = lines.dropFirst(2).prefix { !$0.contains("Grace") }
        #expect(note.count > 1)
        let words = note.map {
            $0.dropFirst(9).replacingOccurrences(of: #"\s+7$"#, with: "", options: .regularExpression).trimmingCharacters(in: .whitespaces)
        }.joined(separator: " ")
        #expect(words == String(repeating: "long note ", count: 19) + "long note", "\(note)")
        #expect(note.dropFirst().allSatisfy { $0.hasPrefix("         ") }, "continuation lines leave the name column empty")
        #expect(lines.last == "  Grace  short" + String(repeating: " ", count: lines.last!.count - 18) + "1234")
    }

    @Test func whenWrappingIsNotEnoughTheLastTextColumnsAreLeftOutAndNamed() {
        let wide = Table(
            columns: ["name", "account", "title", "source", "score"],
            rows: [["Alfred Pennyworth", "Wayne Financial", "Operations Manager", "web form", "53.3"]],
            numeric: [4])
        let lines = lines([.table(wide)], width: 40)
        #expect(lines.allSatisfy { $0.terminalColumns <= 40 }, "\(lines)")
        #expect(lines[0].hasPrefix("  name") && lines[0].hasSuffix("score"))
        #expect(!lines[0].contains("source"))
        let note = lines.drop { !$0.hasPrefix("Not shown") }
        #expect(note.joined(separator: " ") == "Not shown at 40 columns: title, source; a wider terminal or a pipe shows them.")
        #expect(lines.contains { $0.contains("53.3") })
    }

    @Test func aTableOfNumbersBreaksItsLabelsNeverItsNumbers() {
        let counts = Table(
            columns: ["industry", "Price / budget", "Competition", "Integration / technical", "total"],
            rows: [["healthcare", "1200", "3", "40", "1243"]],
            numeric: [1, 2, 3, 4])
        let lines = lines([.table(counts)], width: 36)
        #expect(lines.allSatisfy { $0.terminalColumns <= 36 }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("  healthcare") && $0.contains(" 1200 ") && $0.contains(" 40 ") && $0.hasSuffix("1243") }, "\(lines)")
    }

    @Test func columnsAlignOnScreenWhateverTheScript() {
        let accented = Table(columns: ["name", "count"], rows: [["Müller", "3"], ["東京 Ltd", "12"], ["Zoë 👩‍💻", "7"], ["한국", "1"]], numeric: [1])
        let lines = lines([.table(accented), .keyValues([("Müller", "one"), ("東京", "two")])])
        // Every count ends in the same column of the screen: 東, 한 and the emoji are two wide.
        #expect(Set(lines[0...5].map(\.terminalColumns)).count == 1, "\(lines)")
        #expect(lines[3] == "  東京 Ltd     12")
        #expect(lines[4] == "  Zoë 👩‍💻        7")
        // Key-value pairs line their values up after the longest key, on screen.
        #expect(lines[6] == "  Müller  one")
        #expect(lines[7] == "  東京    two")
    }

    @Test func onATerminalProseWrapsAtWordsAndInAPipeItDoesNot() {
        let sentence = "Reached counts a lead at every stage up to the furthest it got; \"by a jump\" are those that skipped the stage."
        let wrapped = lines([.text(sentence), .note("  - " + sentence)], width: 30)
        #expect(wrapped.allSatisfy { $0.terminalColumns <= 30 }, "\(wrapped)")
        let first = wrapped.prefix { !$0.hasPrefix("  -") }
        #expect(first.joined(separator: " ") == sentence, "breaks fall between words: \(first)")
        let item = wrapped.drop { !$0.hasPrefix("  -") }
        #expect(item.dropFirst().allSatisfy { $0.hasPrefix("    ") && !$0.hasPrefix("     ") }, "an item's lines hang under its text: \(item)")
        #expect(lines([.text(sentence)], width: nil) == [sentence])
    }

    @Test func aLongValueWrapsUnderItselfBesideItsKey() {
        let pairs: [(String, String)] = [("unknown", "budget, authority, need and timing are still to be confirmed by sales"), ("stage", "mql")]
        #expect(lines([.keyValues(pairs)], width: 40) == [
            "  unknown  budget, authority, need and",
            "           timing are still to be",
            "           confirmed by sales",
            "  stage    mql",
        ])
        #expect(lines([.keyValues(pairs)], width: nil).count == 2)
    }

    @Test func aWordWiderThanTheLineIsBrokenInside() {
        let wrapped = lines([.text("see https://example.com/a/very/long/path/to/a/page")], width: 20)
        #expect(wrapped == ["see", "https://example.com/", "a/very/long/path/to/", "a/page"])
    }

    @Test func barsAreProportionalAndNeverVanish() {
        let chart = BarChart(title: "By source", bars: [("webinar", 100, "100"), ("paid", 50, "50"), ("fax", 0.1, "0.1")])
        let lines = lines([.chart(chart)], width: 40)
        #expect(lines[0] == "By source")
        let bars = lines.dropFirst().map { $0.filter { "█▏▎▍▌▋▊▉".contains($0) }.count }
        #expect(bars[0] >= 2 * bars[1] - 1 && bars[0] <= 2 * bars[1] + 1)
        #expect(bars[2] == 1)
        #expect(lines.allSatisfy { $0.terminalColumns <= 40 })
    }

    @Test func chartsFitTheTerminalAndNeverCutALabel() {
        let label = "Authority / decision process and who signs"
        let chart = BarChart(title: "", bars: [(label, 3, "3  +2"), ("Timing", 4, "4  +4"), ("有効な予算", 2, "2")])
        let onTerminal = lines([.chart(chart)], width: 50)
        #expect(onTerminal.allSatisfy { $0.terminalColumns <= 50 }, "\(onTerminal)")
        #expect(!onTerminal.joined().contains("…"))
        let labelLines = onTerminal.prefix { !$0.contains("Timing") }
        #expect(labelLines.map { $0.split(separator: " ").filter { !$0.contains("█") && !$0.contains("+") && $0 != "3" }.joined(separator: " ") }
            .joined(separator: " ") == label, "the label wraps whole: \(labelLines)")
        #expect(onTerminal.contains { $0.hasPrefix("  有効な予算 ") && $0.hasSuffix(" 2") })
        let inPipe = lines([.chart(chart)], width: nil)
        #expect(inPipe.count == 3)
        #expect(inPipe[0].hasPrefix("  \(label) █"))
    }

    @Test func colourOnlyWhenAsked() {
        #expect(text([.heading("Leads")], colour: true).contains("\u{1B}[1m"))
        #expect(!text([.heading("Leads")], colour: false).contains("\u{1B}["))
    }

    @Test func markdownShowsTextFromDataAsWrittenNotAsMarkup() {
        let said = "price is *too* high <b>x</b> [see](http://x) #1"
        let out = markdown([
            .quote(said), .heading("Bob_the *Builder*"), .table(Table(columns: ["said"], rows: [[said]])),
            .text("`objections at Bob_the` lists them"),
        ])
        let escaped = ##"price is \*too\* high \<b\>x\</b\> \[see\](http://x) \#1"##
        #expect(out.contains("> " + escaped), "\(out)")
        #expect(out.contains("| " + escaped + " |"), "\(out)")
        #expect(out.contains(#"## Bob\_the \*Builder\*"#), "\(out)")
        #expect(out.contains("`objections at Bob_the` lists them"), "a code span is left as it is: \(out)")
    }

    @Test func aTableWithNoRowsIsLeftOutOfTextButGivesCSVItsHeader() {
        let empty = Table(columns: ["name", "score"], rows: [])
        #expect(text([.heading("Leads: 0"), .table(empty)], width: 60) == "Leads: 0\n")
        let csv = Renderer(format: .csv, style: .plain).render(Reply([.heading("Leads: 0"), .table(empty)], result: .null), command: "x", request: Request(command: "x"))
        #expect(csv.stdout == "name,score\r\n")
    }

    @Test func markdownTablesEscapePipes() {
        let output = Renderer(format: .markdown, style: .plain).render(
            Reply([.table(Table(columns: ["a", "b"], rows: [["x|y", "2"]], numeric: [1]))], result: .null),
            command: "x", request: Request(command: "x")).stdout
        #expect(output.contains("| a | b |\n| --- | ---: |\n| x\\|y | 2 |"))
    }

    @Test func markdownKeepsQuotesApartLinesApartAndEmphasisWhole() {
        let output = markdown([
            .text("Ada is an MQL.\nNext step: `accept Ada`."),
            .quote("“Too expensive” — Dana, 2026-11-20"), .quote("“Not now” — Sam, 2026-11-19"),
            .note("  most from: lead_quality *high* (2)"),
            .keyValues([("  stage now", "mql")]),
        ])
        #expect(output == """
            Ada is an MQL.

            Next step: `accept Ada`.

            > “Too expensive” — Dana, 2026-11-20

            > “Not now” — Sam, 2026-11-19

            _most from: lead\\_quality \\*high\\* (2)_

            - **stage now**: mql


            """)
    }

    @Test func jsonNamesTheCommandArgumentsAndOutcome() {
        var request = Request(command: "leads", values: ["kind": "leads"], flags: ["dry-run"])
        request.words = ["webinar"]
        let output = Renderer(format: .json, style: .plain).render(
            Reply([.text("hi")], result: .object([("n", .int(1))]), failure: .init(code: "rows_rejected", message: "2 rows")),
            command: "leads", request: request)
        #expect(output.stdout == #"{"schema":1,"command":"leads","args":{"kind":"leads","words":["webinar"],"dry-run":true},"ok":false,"result":{"n":1},"error":{"code":"rows_rejected","message":"2 rows"}}"# + "\n")
        #expect(output.stderr.contains("2 rows"))
    }

    @Test func errorsAreRenderedInOnePlace() {
        let renderer = Renderer(format: .json, style: .plain)
        let output = renderer.render(NotFoundError("no lead 'x'", hint: "try leads"), command: "lead", request: nil)
        #expect(output.stderr == "error: no lead 'x'\nhint: try leads\n")
        #expect(output.stdout.contains(#""ok":false,"result":null,"error":{"code":"not_found","message":"no lead 'x'","hint":"try leads"}"#))
    }

    @Test func controlCharactersFromDataAreShownInEveryKindOfBlockAndHandoffsOwnColourStays() {
        let evil = "Evil \u{1B}[2J\u{1B}]0;pwned\u{07}\u{9B}31m\u{7F}"
        let shown = "Evil ␛[2J␛]0;pwned␇<U+009B>31m␡"
        let blocks: [Block] = [
            .heading(evil), .text(evil), .note(evil), .quote(evil), .markdown(evil), .keyValues([(evil, evil)]),
            .table(Table(columns: ["name"], rows: [[evil]])), .chart(BarChart(title: evil, bars: [(evil, 1, evil)])),
        ]
        let coloured = text(blocks, width: 200, colour: true)
        #expect(coloured.components(separatedBy: shown).count - 1 == 11, "every piece of text is shown: \(coloured)")
        #expect(!coloured.contains("\u{1B}[2J") && !coloured.contains("\u{07}") && !coloured.contains("\u{9B}"))
        #expect(coloured.contains("\u{1B}[1m" + shown), "the heading is still bold")
        #expect(!markdown(blocks).contains("\u{1B}"))
        let csv = Renderer(format: .csv, style: .plain).render(Reply(blocks, result: .null), command: "x", request: Request(command: "x"))
        #expect(!(csv.stdout + csv.stderr).contains("\u{1B}"))
    }

    @Test func bidirectionalOverridesAreShownSoTextReadsInTheOrderItIsStored() {
        // A right-to-left override would show "evil@\u{202E}moc.emca" as "evil@acme.com".
        let spoofed = "evil@\u{202E}moc.emca\u{202C} \u{2067}x\u{2069}"
        let shown = text([.text(spoofed), .table(Table(columns: ["email"], rows: [[spoofed]]))], width: 200)
        #expect(shown.components(separatedBy: "evil@<U+202E>moc.emca<U+202C> <U+2067>x<U+2069>").count - 1 == 2, "\(shown)")
        #expect(!shown.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value) })
        // Right-to-left text itself, and the marks it needs, are shown as they are.
        let hebrew = "שלום\u{200F} Acme"
        #expect(text([.text(hebrew)], width: 200) == hebrew + "\n")
    }

    @Test func tabsAndLineBreaksLayOutTextButATableRowStaysOneRow() {
        #expect(text([.text("one\ttwo\nthree")], width: nil) == "one\ttwo\nthree\n")
        let lines = lines([.table(Table(columns: ["name", "n"], rows: [["Ada\tLovelace\r\nCountess", "1"]]))], width: nil)
        #expect(lines[2] == "  Ada Lovelace␍ Countess  1", "\(lines)")
    }

    @Test func anErrorQuotingDataShowsItsControlCharacters() {
        let output = Renderer(format: .text, style: .plain).render(UsageError("no lead named \u{1B}]0;x\u{07}", hint: "\u{1B}[2J"), command: nil, request: nil)
        #expect(output.stderr == "error: no lead named ␛]0;x␇\nhint: ␛[2J\n")
    }
}
