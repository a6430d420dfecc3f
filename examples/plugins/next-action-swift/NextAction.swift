// A Handoff plugin in Swift: an MCP server (JSON-RPC 2.0, one message per line on stdin/stdout)
// with one tool, next_action. Handoff passes the lead with its events, transitions and current
// verdict (as plugin.yaml declares), so the plugin needs no database. Build:
//     swiftc -O NextAction.swift -o next-action
import Foundation

typealias Object = [String: Any]

func send(_ message: Object) {
    let data = try! JSONSerialization.data(withJSONObject: message, options: [.sortedKeys])
    FileHandle.standardOutput.write(data + Data("\n".utf8))
}

let iso = ISO8601DateFormatter()

/// The action, why, and how urgent, from the lead record Handoff sent.
func nextAction(for lead: Object, now: Date) -> Object {
    let name = lead["name"] as? String ?? "this lead"
    let stage = lead["stage"] as? String ?? "inquiry"
    let verdict = lead["verdict"] as? Object ?? [:]
    let kind = verdict["verdict"] as? String ?? "nurture"
    let unknown = verdict["unknown"] as? [String] ?? []
    let events = (lead["events"] as? [Object] ?? []).compactMap { event -> (String, Date)? in
        guard let kind = event["kind"] as? String, let at = (event["occurred_at"] as? String).flatMap(iso.date) else { return nil }
        return (kind, at)
    }.sorted { $0.1 > $1.1 }
    let transitions = (lead["transitions"] as? [Object] ?? []).compactMap { ($0["at"] as? String).flatMap(iso.date) }.sorted()
    let daysInStage = transitions.last.map { Int(now.timeIntervalSince($0) / 86_400) } ?? 0
    let lastTouch = events.first
    let quietDays = lastTouch.map { Int(now.timeIntervalSince($0.1) / 86_400) } ?? 999
    var why: [String] = ["verdict: \(kind), stage: \(stage) for \(daysInStage) days"]
    if let lastTouch { why.append("last activity: \(lastTouch.0) \(quietDays) days ago") }

    let action: String
    let urgency: String
    switch (kind, stage) {
    case ("disqualified", _), (_, "disqualified"), (_, "won"), (_, "lost"):
        action = "No action: \(name) is \(stage == "won" || stage == "lost" ? stage : "disqualified")."
        urgency = "none"
    case (_, "mql") where daysInStage >= 2:
        action = "Sales to accept or reject \(name) today: an MQL for \(daysInStage) days without a decision."
        urgency = "high"
    case _ where events.contains(where: { $0.0 == "pricing_page_visit" || $0.0 == "demo_request" }) && quietDays <= 7:
        action = "Call \(name) now: \(lastTouch!.0.replacingOccurrences(of: "_", with: " ")) \(quietDays) days ago."
        urgency = "high"
    case (_, let stage) where ["sal", "sql", "opportunity"].contains(stage) && !unknown.isEmpty:
        action = "Book a discovery call with \(name) to confirm \(unknown.joined(separator: ", "))."
        urgency = "medium"
    case _ where quietDays > 30:
        action = "Re-engage \(name) with a nurture email: no activity for \(quietDays == 999 ? "ever" : "\(quietDays) days")."
        urgency = "low"
    default:
        action = "Keep \(name) in nurture; send the next piece of content that answers their interest."
        urgency = "low"
    }
    return [
        "title": "Next action for \(name)",
        "summary": action,
        "fields": ["urgency": urgency, "verdict": kind, "stage": stage],
        "notes": why,
        "action": action, "urgency": urgency,
    ]
}

while let line = readLine() {
    guard let message = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? Object else { continue }
    let method = message["method"] as? String ?? ""
    guard let id = message["id"] else { continue }  // a notification: nothing to answer
    switch method {
    case "initialize":
        let asked = (message["params"] as? Object)?["protocolVersion"] as? String ?? "2025-06-18"
        send(["jsonrpc": "2.0", "id": id, "result": [
            "protocolVersion": asked, "capabilities": ["tools": [:] as Object],
            "serverInfo": ["name": "next-action", "version": "1.0.0"],
        ] as Object])
    case "tools/list":
        send(["jsonrpc": "2.0", "id": id, "result": ["tools": [[
            "name": "next_action", "description": "The next best action for a lead",
            "inputSchema": ["type": "object", "properties": ["lead": ["type": "object"]], "required": ["lead"]],
        ] as Object]]])
    case "tools/call":
        let params = message["params"] as? Object ?? [:]
        let arguments = params["arguments"] as? Object ?? [:]
        guard let lead = arguments["lead"] as? Object else {
            send(["jsonrpc": "2.0", "id": id, "result": ["content": [["type": "text", "text": "next_action needs a lead"]], "isError": true] as Object])
            continue
        }
        // Handoff says what time it is in its world (it may be pinned with --now) in _meta.
        let meta = (params["_meta"] as? Object)?["handoff"] as? Object
        let now = (meta?["now"] as? String).flatMap(iso.date) ?? Date()
        let result = nextAction(for: lead, now: now)
        let text = "\(result["title"]!): \(result["summary"]!)"
        send(["jsonrpc": "2.0", "id": id, "result": ["content": [["type": "text", "text": text]], "structuredContent": result] as Object])
    case "ping":
        send(["jsonrpc": "2.0", "id": id, "result": [:] as Object])
    default:
        send(["jsonrpc": "2.0", "id": id, "error": ["code": -32601, "message": "method not found: \(method)"] as Object])
    }
}
