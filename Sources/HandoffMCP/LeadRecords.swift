import Foundation
import HandoffCore
import HandoffPluginAPI

/// The structured records Handoff hands an outside plugin, built from the store and cut to what
/// the plugin's manifest declares it reads.
struct LeadRecords {
    let context: Context
    let reads: Set<PluginManifest.DataScope>
    var writes: Set<PluginManifest.WriteScope> = []
    /// Who changes are recorded as made by: the person acting, through the plugin.
    var plugin = ""

    /// The lead with, as declared, its account, events, transitions, rejections and current verdict.
    func lead(_ lead: Lead) throws -> JSONValue {
        guard var pairs = lead.json.objectValue else { return .null }
        let account = try lead.accountId.flatMap { try context.store.account(id: $0) }
        if reads.contains(.account) { pairs.append(("account", account?.json ?? .null)) }
        let events = try context.store.events(leadId: lead.id ?? 0)
        if reads.contains(.events) { pairs.append(("events", .array(events.map(\.json)))) }
        if reads.contains(.transitions) {
            pairs.append(("transitions", .array(try context.store.transitions(leadId: lead.id ?? 0).map(\.json))))
        }
        if reads.contains(.rejections) {
            pairs.append(("rejections", .array(try context.store.rejections(leadId: lead.id ?? 0).map(\.json))))
        }
        if reads.contains(.verdict) {
            let verdict = Qualifier(definition: context.definition).verdict(for: lead, account: account, events: events, at: context.clock.now)
            pairs.append(("verdict", verdict.json))
        }
        return .object(pairs)
    }

    /// The account, with its leads when the manifest reads leads.
    func account(_ account: Account) throws -> JSONValue {
        guard var pairs = account.json.objectValue else { return .null }
        if reads.contains(.lead) {
            var query = LeadQuery()
            query.accountId = account.id
            query.limit = 500
            pairs.append(("leads", .array(try context.store.leads(query).map(\.json))))
        }
        return .object(pairs)
    }

    /// The period, with the objections heard in it when the manifest reads objections.
    func period(_ range: TimeRange) throws -> JSONValue {
        var pairs: [(String, JSONValue)] = [
            ("label", .string(range.label)), ("start", .string(Timestamp.iso(range.start))), ("end", .string(Timestamp.iso(range.end))),
        ]
        if reads.contains(.objections) {
            pairs.append(("objections", .array(try context.store.objections(from: range.start, to: range.end).prefix(5_000).map(\.json))))
        }
        return .object(pairs)
    }

    func theme(_ id: String) -> JSONValue {
        let theme = context.definition.themes.first { $0.id == id }
        return .object([("id", .string(id)), ("label", .optional(theme?.label)), ("answer", .optional(theme?.answer))])
    }

    /// Answers a plugin's `handoff/read` request: `{"what": "lead"|"events"|…, "lead": "external id or name", "from", "to"}`.
    func read(_ params: JSONValue) throws -> JSONValue {
        guard let what = params["what"]?.stringValue, let scope = PluginManifest.DataScope(rawValue: what) else {
            throw UsageError("handoff/read needs what: one of \(PluginManifest.DataScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard reads.contains(scope) else { throw UndeclaredRead(scope: what) }
        switch scope {
        case .objections:
            let end = params["to"]?.stringValue.flatMap { Timestamp.parse($0) } ?? context.clock.now
            let start = params["from"]?.stringValue.flatMap { Timestamp.parse($0) } ?? end.addingTimeInterval(-30 * 86_400)
            return .object([("objections", .array(try context.store.objections(from: start, to: end).prefix(5_000).map(\.json)))])
        case .account:
            guard let name = params["account"]?.stringValue, let account = try context.store.account(named: name) else {
                throw NotFoundError("no account named '\(params["account"]?.display ?? "")'")
            }
            return .object([("account", try self.account(account))])
        case .lead, .events, .transitions, .rejections, .verdict:
            let key = params["lead"]?.stringValue ?? ""
            guard let lead = try context.store.lead(externalId: key) ?? context.store.findLeads(matching: key, limit: 1, loose: false).first else {
                throw NotFoundError("no lead '\(key)'")
            }
            return .object([("lead", try self.lead(lead))])
        }
    }

    /// Answers a plugin's `handoff/write` request: `{"what": "objection", "lead": "external id or name", "text": "…", "theme": "…"}`.
    func write(_ params: JSONValue) throws -> JSONValue {
        guard params["what"]?.stringValue == "objection" else {
            throw UsageError("handoff/write takes what: objection")
        }
        guard writes.contains(.objections) else { throw UndeclaredRead(scope: "writing objections") }
        let key = params["lead"]?.stringValue ?? ""
        guard let lead = try context.store.lead(externalId: key) ?? context.store.findLeads(matching: key, limit: 1, loose: false).first else {
            throw NotFoundError("no lead '\(key)'")
        }
        guard let text = params["text"]?.stringValue?.trimmingWhitespaceAndNewlines(), !text.isEmpty else {
            throw UsageError("handoff/write of an objection needs its text")
        }
        let classification = try params["theme"]?.stringValue == nil ? context.classifier().classify(text) : nil
        let theme = params["theme"]?.stringValue ?? classification!.theme
        guard theme == ThemeClassifier.other || context.definition.themes.contains(where: { $0.id == theme }) else {
            throw NotFoundError("no theme '\(theme)' in the definition")
        }
        let objection = Objection(
            leadId: lead.id, accountId: lead.accountId, text: text, theme: theme, loggedBy: "\(context.actor) via \(plugin)",
            at: context.clock.now, dealStage: lead.stage, confidence: classification?.confidence)
        let id = try context.store.log(objection)
        return .object([("id", .int(Int(id))), ("theme", .string(theme))])
    }
}
