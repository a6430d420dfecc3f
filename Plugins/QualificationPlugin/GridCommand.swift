import Foundation
import HandoffPluginAPI

/// `grid [period]`: the fit × engagement grid, as HubSpot's lead scoring shows it. Fit is graded
/// A, B or C and engagement 1, 2 or 3 at the definition's bands (`grid:`); each cell counts its
/// leads, and, where leads have closed, how many of them were won.
enum GridCommand {
    static let command = Command(
        name: "grid",
        summary: "The fit × engagement grid: leads per cell (fit A/B/C, engagement 1/2/3) and, where leads closed, the share won",
        arguments: [CommandArgument("period", .timeRange, required: false, help: "leads created in this period (default: all)")],
        phrasings: ["fit and engagement grid", "fit by engagement", "fit versus engagement", "engagement grid", "lead grid", "a1 leads", "scoring matrix"],
        examples: ["grid", "grid this quarter", "show the fit and engagement grid"], sayings: QualificationSayings.grid,
        run: run)

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let range = request.range
        var scorer = BulkScorer(definition: context.definition, now: context.clock.now)
        try context.store.scanAccounts { scorer.add($0) }
        let bands = context.definition.grid
        let parts = try context.store.scanLeadsInParallel(
            outcomes: Outcome.allCases, fields: scorer.leadFields.union([.stage]), attributes: scorer.readsAttributes, eventKinds: scorer.eventKinds,
            isCancelled: context.isCancelled, start: { [scorer] in (scorer: scorer, grid: Grid(bands: bands)) }
        ) { part, lead, events in
            if let range, !range.contains(lead.createdAt) { return }
            part.grid.add(part.scorer.judge(lead, events: events), outcome: lead.outcome, stage: lead.stage)
        }
        let grid = parts.reduce(into: Grid(bands: bands)) { $0.merge($1.grid) }
        let period = range.map { " created \($0.description)" } ?? ""
        guard grid.leads + grid.disqualified > 0 else {
            return Reply(
                [.text(range.map { "No leads were created in the period asked, \($0.description)." } ?? "No leads yet: `import leads FILE`, or `demo`.")],
                result: grid.json(version: context.definition.version))
        }
        var blocks: [Block] = [.heading("Fit × engagement: \(counted(grid.leads, "lead"))\(period)")]
        blocks += grid.blocks()
        return Reply(blocks, result: grid.json(version: context.definition.version))
    }

    /// The nine cells, filled one judged lead at a time.
    struct Grid: Sendable {
        struct Cell: Sendable {
            var leads = 0
            var won = 0
            var lost = 0
            /// Won of the leads that closed, when any did.
            var conversion: Double? { won + lost == 0 ? nil : Double(won) / Double(won + lost) }
        }

        let bands: GridBands
        /// Row by fit grade (A, B, C), then engagement (1, 2, 3).
        var cells = Array(repeating: Cell(), count: 9)
        /// Disqualified leads, by a rule of the definition or by a rep: they take no place in the grid.
        var disqualified = 0

        init(bands: GridBands) { self.bands = bands }

        var leads: Int { cells.reduce(0) { $0 + $1.leads } }

        mutating func add(_ lead: DefinitionReport.Judged, outcome: Outcome, stage: Stage? = nil) {
            guard !lead.disqualified, stage != .disqualified else {
                disqualified += 1
                return
            }
            let index = 3 * bands.fitGrade(lead.fit) + bands.engagementGrade(lead.engagement)
            cells[index].leads += 1
            if outcome == .won { cells[index].won += 1 }
            if outcome == .lost { cells[index].lost += 1 }
        }

        mutating func merge(_ other: Grid) {
            for index in cells.indices {
                cells[index].leads += other.cells[index].leads
                cells[index].won += other.cells[index].won
                cells[index].lost += other.cells[index].lost
            }
            disqualified += other.disqualified
        }

        /// The two tables (leads, and won of the closed) with the bands they were cut at.
        func blocks() -> [Block] {
            let fitBands = bands.fitB.isFinite
                ? ["A (fit ≥ \(bands.fitA.clean(decimals: 1)))", "B (≥ \(bands.fitB.clean(decimals: 1)))", "C (< \(bands.fitB.clean(decimals: 1)))"]
                : ["A", "B", "C (all: the definition gives no fit points)"]
            let columns = bands.engagement2.isFinite
                ? ["1 (engagement ≥ \(bands.engagement1.clean(decimals: 1)))", "2 (≥ \(bands.engagement2.clean(decimals: 1)))", "3 (< \(bands.engagement2.clean(decimals: 1)))"]
                : ["1", "2", "3 (all: the definition scores no engagement)"]
            func row(_ grade: Int, _ cell: (Cell) -> String) -> [String] { [fitBands[grade]] + (0..<3).map { cell(cells[3 * grade + $0]) } }
            let closed = cells.reduce(0) { $0 + $1.won + $1.lost }
            var blocks: [Block] = [
                .table(Table(columns: ["fit"] + columns, rows: (0..<3).map { row($0) { "\($0.leads)" } }, numeric: [1, 2, 3])),
            ]
            if closed > 0 {
                blocks.append(.heading("Won, of the leads that closed in each cell"))
                blocks.append(.table(Table(
                    columns: ["fit"] + columns,
                    rows: (0..<3).map { row($0) { cell in cell.conversion.map { String(format: "%.0f%% of %d", $0 * 100, cell.won + cell.lost) } ?? "—" } },
                    numeric: [1, 2, 3])))
            }
            var note = bands.agreed
                ? "Bands as the definition agrees them (`grid:`)."
                : "The definition sets no bands (`grid:`), so these are two thirds and one third of the most fit points it gives and of the most engagement it counts."
            note += " Scores are today's, as `qualify` gives them."
            if disqualified > 0 { note += " \(counted(disqualified, "disqualified lead")) (by a rule of the definition or by a rep) \(disqualified == 1 ? "is" : "are") left out." }
            if closed == 0 { note += " No lead in the grid has closed yet, so no cell has a conversion." }
            blocks.append(.note(note))
            return blocks
        }

        func json(version: String) -> JSONValue {
            .object([
                ("definition_version", .string(version)),
                ("bands", bands.json),
                ("leads", .int(leads)), ("disqualified", .int(disqualified)),
                ("cells", .array(cells.indices.map { index in
                    let cell = cells[index]
                    return .object([
                        ("fit", .string(GridBands.fitGrades[index / 3])), ("engagement", .string(GridBands.engagementGrades[index % 3])),
                        ("leads", .int(cell.leads)), ("won", .int(cell.won)), ("lost", .int(cell.lost)),
                        ("conversion", cell.conversion.map(JSONValue.double) ?? .null),
                    ])
                })),
            ])
        }
    }
}
