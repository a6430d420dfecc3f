import Foundation
import HandoffCore
import Testing
@testable import HandoffShell

/// What Tab offers once a lead is named, after `because` and after `from`: the argument that comes
/// next, not more lead and account names (a rep's `because no<Tab>` became a lead's name).
@Suite struct CompleterTests {
    func completer(_ fixture: Fixture) -> Completer {
        let definition = DefaultDefinition.load()
        return Completer(
            commands: fixture.router.commands, store: fixture.store, themes: definition.themes.map(\.id), reasons: definition.reasons.map(\.code))
    }

    @Test func afterTheNameComesTheNextArgument() throws {
        let fixture = try Fixture()
        let tab = completer(fixture)
        let stages = tab.complete("stage pepper potts ").candidates
        #expect(stages.contains("sql") && stages.contains("won"), "\(stages)")
        #expect(!stages.contains("Pepper Potts") && !stages.contains("Acme Corp"), "\(stages)")
        #expect(tab.complete("stage pepper potts s").candidates.filter { !$0.hasPrefix("--") } == ["sal", "sql"])
        // Still a name while the name is being typed.
        #expect(tab.complete("qualify pepper po").candidates == ["Pepper Potts"])
    }

    @Test func afterBecauseComeTheReasonCodes() throws {
        let fixture = try Fixture()
        let reasons = completer(fixture).complete("reject kim wexler because no").candidates
        #expect(!reasons.isEmpty && reasons.allSatisfy { $0.hasPrefix("no") }, "\(reasons)")
        #expect(reasons.contains("no_budget"), "\(reasons)")
    }

    @Test func afterFromComeTheSources() throws {
        let fixture = try Fixture()
        let sources = completer(fixture).complete("leads from ").candidates
        #expect(sources.contains("webinar") && sources.contains("trade show"), "\(sources)")
        #expect(!sources.contains("Pepper Potts"), "\(sources)")
    }
}
