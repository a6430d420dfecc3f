import Foundation
import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffShell

/// Lines that match no phrasing word for word reach their command through what the commands'
/// sayings teach; lines no command answers are not guessed into one.
@Suite struct SayingsRoutingTests {
    static let table: [Expectation] = [
        .init(line: "show me hooli", command: "lead", subject: "Hooli"),
        .init(line: "who's richard hendricks?", command: "lead", subject: "Richard Hendricks"),
        .init(line: "would mindy simmons pass as an mql", command: "qualify", subject: "Mindy Simmons"),
        .init(line: "wile coyote is closed won!", command: "stage", subject: "Wile Coyote", values: ["stage": "closedwon"]),
        .init(line: "sales will work nora green, accept her", command: "accept", subject: "Nora Green"),
        .init(line: "disqualify george costanza, no budget", command: "reject", subject: "George Costanza", values: ["reason": "no budget"]),
        .init(line: "dq hooli its a competitor", command: "reject", subject: "Hooli", values: ["reason": "its a competitor"]),
        .init(line: "reject rachael rosen becuase shes already a customer", command: "reject", subject: "Rachael Rosen",
              values: ["reason": "shes already a customer"]),
        .init(line: "note from call with lucius fox: wants a pilot first", command: "log objection", subject: "Lucius Fox",
              values: ["text": "wants a pilot first"]),
        .init(line: "details of objection 4", command: "show objection", values: ["number": "4"]),
        .init(line: "retheme #9 as contract", command: "retheme", values: ["number": "#9"]),
        .init(line: "undo", command: "undo"),
        .init(line: "undo the last move on wile coyote", command: "undo", subject: "Wile Coyote"),
        .init(line: "accept mindy simmons pls", command: "accept", subject: "Mindy Simmons"),
        .init(line: "nurture the initech lead", command: "nurture", subject: "Initech"),
        .init(line: "can you import contacts.csv", command: "import", values: ["file": "contacts.csv"]),
        .init(line: "import leads.csv", command: "import", values: ["file": "leads.csv"]),
        .init(line: "what did wile coyote say", command: "objections", subject: "Wile Coyote"),
        .init(line: "can you accept pepper potts", command: "accept", subject: "Pepper Potts"),
        .init(line: "whos road runer", command: "lead", subject: "Road Runner"),
        .init(line: "qualify pepper potts pls thx", command: "qualify", subject: "Pepper Potts"),
        .init(line: "what are people pushing back on this quarter?", command: "objections", range: "this quarter"),
        .init(line: "move tony stark to sql", command: "stage", subject: "Tony Stark", values: ["stage": "sql"]),
    ]

    @Test(arguments: table)
    func routes(_ expected: Expectation) throws {
        try RouterTests.check(expected, in: try Fixture())
    }

    /// `explain` says how sure the model was, what came next, and how it read the line.
    @Test func explainShowsTheShares() throws {
        let fixture = try Fixture()
        let routed = try fixture.routed("show me hooli")
        let said = routed.explanation.joined(separator: "\n")
        #expect(said.contains("command: lead (the sayings' model: "), "\(said)")
        #expect(said.contains("; then "), "\(said)")
        #expect(said.contains("read as: show me {who}"), "\(said)")
    }

    /// A question no command answers, or one whose meaningful words no command's sayings use, is
    /// not run as the closest command: some would write.
    @Test(arguments: ["how many interns did acme hire?", "send an email to wile coyote", "book a meeting with wile coyote", "globex"])
    func aLineNoCommandAnswersIsNotGuessed(_ line: String) throws {
        let fixture = try Fixture()
        #expect(throws: (any Error).self, "\(line)") { _ = try fixture.routed(line) }
    }

    /// What a rep asks, or asks for that Handoff does not do, changes nothing: a change is made
    /// from someone's own words only when ordered, and understood whole.
    @Test(arguments: [
        "is wile coyote closed won?", "did tony stark move to opportunity?", "was pepper accepted?", "should we accept pepper",
        "should i reject mindy simmons because no budget?", "email wile coyote about the won deal", "schedule a demo with mindy",
        "don't accept pepper yet", "book a meeting with tony about pricing", "remind me to follow up with tony when he's an opp",
    ])
    func aQuestionOrAnUnknownRequestChangesNothing(_ line: String) throws {
        let fixture = try Fixture()
        if case .run(let routed)? = try? fixture.route(line) {
            #expect(!routed.command.writes, "\(line) → \(routed.command.name): \(routed.explanation)")
        }
    }

    /// A line that starts with a command's name is held to its syntax, but for words people use
    /// for that command: a name that is not quite a lead's is not read as a shorter one.
    @Test func aNamedCommandIgnoresNoWordItsSayingsDoNotUse() throws {
        let fixture = try Fixture()
        #expect(throws: UsageError.self) { try fixture.route("accept mindy simmons west") }
        do {
            _ = try fixture.route("objections other blah")
            Issue.record("routed objections other blah")
        } catch let error as UsageError {
            #expect(error.message == "objections other does not take 'blah'")
        }
    }
}
