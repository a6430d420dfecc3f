import Foundation
import HandoffCore
import HandoffPluginAPI
@testable import HandoffMCP
@testable import HandoffMCPServer

/// libFuzzer target: any bytes, as one request line to `handoff mcp` (the server reads a line at
/// a time), answered by a read-only server over the demo data, so `tools/call` runs the read
/// tools for real. The start of the line also goes through the reading of an id from a request
/// cut short (what a request over the size limit is answered with). Every answer must be one line
/// of JSON-RPC 2.0, and nothing may change the lead model (`brief` stores each brief it drafts, as
/// the README says, so briefs are not counted).
let session = DemoSession()
let server = MCPServer(router: session.router, context: session.context, allowWrites: false)
let modelBefore = leadModel()

func leadModel() -> StoreCounts {
    var counts = try! session.store.counts()
    counts.briefs = 0
    return counts
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONRPC(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let line = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = JSONParser.memberText("id", inStartOf: line)
    guard let reply = server.handle(line) else { return 0 }
    check(!reply.contains("\n"), "an answer of more than one line: \(reply)")
    guard let answer = try? JSONParser.parse(reply), case .object = answer, answer["jsonrpc"]?.stringValue == "2.0",
          answer["result"] != nil || answer["error"] != nil else {
        fatalError("an answer that is not a JSON-RPC 2.0 response: \(reply)")
    }
    check(leadModel() == modelBefore, "a read-only server changed the lead model, asked: \(line)")
    return 0
}
