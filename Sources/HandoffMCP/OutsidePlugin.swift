import Foundation
import HandoffCore
public import HandoffPluginAPI

/// An outside plugin as the shell sees it: each manifest tool becomes an ordinary command, routed,
/// completed and listed like a built-in one. Building one starts nothing.
public struct OutsidePlugin: Plugin {
    public let manifest: PluginManifest
    let host: PluginHost

    public init(manifest: PluginManifest, host: PluginHost) {
        self.manifest = manifest
        self.host = host
    }

    public var name: String { manifest.name }
    public var version: String { manifest.version }
    public var summary: String { manifest.summary }

    public var info: PluginInfo {
        PluginInfo(name: name, version: version, summary: summary, source: manifest.folder, commands: commands)
    }

    public var commands: [Command] {
        manifest.tools.map { tool in
            Command(
                name: tool.command, summary: tool.summary.isEmpty ? "\(tool.tool) (from the \(manifest.name) plugin)" : tool.summary,
                arguments: tool.arguments.map { Self.argument($0.name, $0.kind) }, phrasings: tool.phrasings, examples: tool.examples,
                writes: !tool.writes.isEmpty,
                run: { [manifest, host] request, context in
                    try Self.run(tool, manifest: manifest, host: host, request: request, context: context)
                })
        }
    }

    static func argument(_ name: String, _ kind: PluginManifest.ArgumentKind) -> CommandArgument {
        switch kind {
        case .lead: CommandArgument(name, .subject, help: "a lead: name, email or external id")
        case .account: CommandArgument(name, .subject, help: "an account, or a lead at it")
        case .period: CommandArgument(name, .timeRange, required: false, help: "time words (default: last 30 days)")
        case .theme: CommandArgument(name, .theme, help: "an objection theme")
        case .text: CommandArgument(name, .remainder, required: false, help: "free text")
        }
    }

    /// Resolves the tool's arguments into records, calls the plugin, and turns its answer into a reply.
    static func run(_ tool: PluginManifest.Tool, manifest: PluginManifest, host: PluginHost, request: Request, context: Context) throws -> Reply {
        let records = LeadRecords(context: context, reads: tool.reads, writes: tool.writes, plugin: manifest.name)
        var arguments: [(String, JSONValue)] = []
        for (name, kind) in tool.arguments {
            switch kind {
            case .lead:
                guard case .lead(let lead) = request.subject else {
                    throw UsageError("\(tool.command) takes a lead, and '\(request.subject?.name ?? "")' is an account", hint: "name one of its leads")
                }
                arguments.append((name, try records.lead(lead)))
            case .account:
                var account: Account?
                switch request.subject {
                case .account(let found): account = found
                case .lead(let lead): account = try lead.accountId.flatMap { try context.store.account(id: $0) }
                case nil: break
                }
                guard let account else { throw NotFoundError("\(tool.command) needs an account, and none was found for the lead") }
                arguments.append((name, try records.account(account)))
            case .period:
                let now = context.clock.now
                let range = request.range ?? TimeRange(start: now.addingTimeInterval(-30 * 86_400), end: now, label: "last 30 days")
                arguments.append((name, try records.period(range)))
            case .theme:
                guard let theme = request.theme else { throw UsageError("\(tool.command) needs an objection theme") }
                arguments.append((name, records.theme(theme)))
            case .text:
                if let text = request.values[name] { arguments.append((name, .string(text))) }
            }
        }
        let result = try host.with(manifest, isCancelled: context.isCancelled) { connection in
            // The time of Handoff's world (which --now may pin) and the definition in force.
            let meta = JSONValue.object([
                ("now", .string(Timestamp.iso(context.clock.now))), ("definition_version", .string(context.definition.version)),
                ("actor", .string(context.actor)),
            ])
            return try connection.call(tool.tool, arguments: .object(arguments), meta: meta, isCancelled: context.isCancelled) { method, params in
                method == "handoff/write" ? try records.write(params) : try records.read(params)
            }
        }
        return try reply(from: result, tool: tool, manifest: manifest)
    }

    /// A tool result as a reply: structured content (title, summary, fields, lines, table, notes)
    /// as blocks with the whole object as the JSON result, or plain text content as text.
    static func reply(from result: JSONValue, tool: PluginManifest.Tool, manifest: PluginManifest) throws -> Reply {
        let text = (result["content"]?.arrayValue ?? []).compactMap { item -> String? in
            item["type"]?.stringValue == "text" ? item["text"]?.stringValue : nil
        }.joined(separator: "\n")
        if result["isError"]?.boolValue == true {
            throw PluginError("\(tool.command): \(text.isEmpty ? "the plugin reported an error" : text)", hint: "from the \(manifest.name) plugin")
        }
        guard let structured = result["structuredContent"], let pairs = structured.objectValue else {
            return Reply(text.split(separator: "\n", omittingEmptySubsequences: false).map { .text(String($0)) }, result: .object([("text", .string(text))]))
        }
        // Shown in one order whatever order the plugin wrote its keys in (many JSON libraries sort them).
        var blocks: [Block] = []
        if let title = structured["title"] { blocks.append(.heading(title.display)) }
        if let summary = structured["summary"] { blocks.append(.text(summary.display)) }
        if let fields = structured["fields"]?.objectValue { blocks.append(.keyValues(fields.map { ($0.0, $0.1.display) })) }
        if let table = structured["table"] {
            let columns = (table["columns"]?.arrayValue ?? []).map(\.display)
            let rows = (table["rows"]?.arrayValue ?? []).map { ($0.arrayValue ?? []).map(\.display) }
            if !columns.isEmpty { blocks.append(.table(Table(columns: columns, rows: rows))) }
        }
        if let lines = structured["lines"] { blocks += (lines.arrayValue ?? [lines]).map { .text($0.display) } }
        if let notes = structured["notes"] { blocks += (notes.arrayValue ?? [notes]).map { .note($0.display) } }
        let others = pairs.filter { !["title", "summary", "fields", "table", "lines", "notes"].contains($0.0) }.map { ($0.0, $0.1.display) }
        // An answer in no shape Handoff knows is still shown, key by key.
        if blocks.isEmpty { blocks.append(.keyValues(others)) }
        return Reply(blocks, result: structured)
    }
}
