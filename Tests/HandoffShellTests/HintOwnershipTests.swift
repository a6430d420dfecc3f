import Foundation
import HandoffCore
import HandoffPluginAPI
import HandoffSQLite
import Testing
@testable import QualificationPlugin

/// The core says what went wrong; the plugin that owns a command says which command shows more.
/// A hint names a command only where the command's plugin wrote it.
@Suite struct HintOwnershipTests {
    @Test func aMoveSomeoneElseMadeFirstPointsAtTheLeadsHistory() throws {
        let fixture = try Fixture()
        let lead = try #require(try fixture.store.findLeads(matching: "Ada Lovelace", limit: 1, loose: false).first)
        // What the store finds inside its transaction when another session moved the lead between
        // the command's read and its write.
        let stale = StageTransition(leadId: lead.id!, from: .inquiry, to: .mql, at: Fixture.now, by: "tester")
        do {
            try QualificationPlugin.naming(lead, "stage") { try StageConflict.checkMove(stale, current: "sal") }
            Issue.record("a move from a stage the lead has left went through")
        } catch let error as ConflictError {
            #expect(error.message == "cannot stage Ada Lovelace: the lead is now at sal, not inquiry: someone else moved it a moment ago; nothing was changed")
            #expect(error.hint == "see what happened with `history Ada Lovelace`, then try again if it still applies")
        }
        do {
            try QualificationPlugin.naming(lead, "reject") { try StageConflict.checkRejection(leadId: lead.id!, current: "disqualified") }
            Issue.record("a second rejection went through")
        } catch let error as ConflictError {
            #expect(error.hint == "see who and why with `why rejected Ada Lovelace`")
        }
        // The core's own errors name no command.
        do {
            try StageConflict.checkMove(stale, current: "sal")
        } catch let error as ConflictError {
            #expect(error.hint == nil)
        }
    }

    @Test func aMappingForAnotherKindOfFileNamesTheImportThatFits() throws {
        let fixture = try Fixture()
        let file = "\(fixture.directory)/contacts.csv"
        try "Record ID,First Name,Last Name,Email\n1,Ada,Lovelace,ada@example.com\n".write(toFile: file, atomically: true, encoding: .utf8)
        do {
            try fixture.run("import events \(file) --mapping hubspot")
            Issue.record("a leads mapping read an events file")
        } catch let error as UsageError {
            #expect(error.message == "the mapping hubspot preset is for leads, not events")
            #expect(error.hint == "run `import leads \(file) --mapping hubspot`")
        }
    }
}
