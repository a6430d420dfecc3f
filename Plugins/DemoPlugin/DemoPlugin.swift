import Foundation
public import HandoffPluginAPI

/// `demo`: loads a deterministic, realistic sample so a newcomer sees every command answer at once.
public struct DemoPlugin: Plugin {
    public init() {}

    public let name = "demo"
    public let summary = "Loads a realistic sample: accounts, leads, 90 days of events, stage changes, rejections, objections"

    public var commands: [Command] {
        [
            Command(
                name: "demo",
                summary: "Load the demo data (dated relative to the clock; loads once per database)",
                phrasings: ["load demo", "demo data", "sample data", "load sample"],
                examples: ["demo", "load demo data"], sayings: DemoSayings.demo, writes: true,
                run: run)
        ]
    }

    private func run(_ request: Request, _ context: Context) throws -> Reply {
        if let existing = try context.store.lead(externalId: DemoData.marker) {
            let counts = try context.store.counts()
            return Reply(
                [.text("The demo data is already loaded (since \(Timestamp.isoDay(existing.createdAt))); \(counts.leads) leads in \(context.store.location).")],
                result: .object([("loaded", .bool(false)), ("reason", .string("already loaded")), ("leads", .int(counts.leads))]))
        }
        let before = try context.store.counts()
        try DemoData(now: context.clock.now, definition: context.definition).load(into: context.store)
        let after = try context.store.counts()
        let added: [(String, Int)] = [
            ("accounts", after.accounts - before.accounts), ("leads", after.leads - before.leads),
            ("events", after.events - before.events), ("transitions", after.transitions - before.transitions),
            ("rejections", after.rejections - before.rejections), ("objections", after.objections - before.objections),
        ]
        return Reply(
            [
                .heading("Demo data loaded into \(context.store.location)"),
                .keyValues(added.map { ($0.0, "\($0.1)") }),
                .note("Dated relative to \(Timestamp.iso(context.clock.now)). Try: is acme qualified? · mqls this month · why rejected frank grimes · objections this week · brief pricing · funnel"),
            ],
            result: .object([("loaded", .bool(true))] + added.map { ($0.0, JSONValue.int($0.1)) }))
    }
}
