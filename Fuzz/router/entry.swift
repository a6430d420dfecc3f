import Foundation
import HandoffCore
import HandoffPluginAPI
@testable import HandoffShell

/// libFuzzer target: any bytes, as what someone types at the shell: up to four lines, routed one
/// after the other in one conversation (so follow-ups like "and last month?" and the answer to
/// "which one?" are read too), against the built-in commands and the demo data. Routing only:
/// nothing runs, so the database stays as it was for the next input.
let session = DemoSession()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRouter(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let conversation = Conversation()
    for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(4) {
        // Errors are answers (a usage message); only a crash or a hang is a finding. Each line is
        // routed inside one shared read of the store, as the shell routes it (`Session.run`):
        // outside one, every name looked up opens a read of its own.
        guard let outcome = try? session.store.readingTogether({ try session.router.route(String(line), conversation: conversation) }) else {
            continue
        }
        switch outcome {
        case .run(let routed):
            check(session.router.commands.contains { $0.name == routed.command.name }, "routed to an unknown command")
            conversation.remember(routed.command, routed.request)
        case .chooseCommand(let question, let options):
            check(options.count > 1 && !question.isEmpty, "a choice of \(options.count) commands")
            conversation.pendingCommands = options
        case .choose(let question, let candidates, let pending):
            check(candidates.count > 1 && !question.isEmpty, "a choice of \(candidates.count)")
            conversation.pendingChoice = .init(candidates: candidates, command: pending.command, request: pending.request)
        }
    }
    return 0
}
