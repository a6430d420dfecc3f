import Foundation
import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffShell

/// Every example a command shows in `help` is a line a user may type, and it reaches that command
/// (as SwiftLint runs every rule's examples).
@Suite struct CommandExamplesTests {
    static let examples: [(command: String, line: String)] = {
        let fixture = try! Fixture()
        return fixture.router.commands.flatMap { command in command.examples.map { (command.name, $0) } }
    }()

    @Test(arguments: examples.map { "\($0.command) ← \($0.line)" })
    func everyExampleReachesItsOwnCommand(_ pair: String) throws {
        let parts = pair.components(separatedBy: " ← ")
        let (name, line) = (parts[0], parts[1])
        let fixture = try Fixture()
        switch try fixture.router.route(line, conversation: fixture.conversation) {
        case .run(let routed):
            #expect(routed.command.name == name, "'\(line)' reached \(routed.command.name)")
        case .choose(_, _, let pending):
            #expect(pending.command.name == name, "'\(line)' reached \(pending.command.name)")
        case .chooseCommand(let question, _):
            Issue.record("'\(line)' asked: \(question)")
        }
    }
}
