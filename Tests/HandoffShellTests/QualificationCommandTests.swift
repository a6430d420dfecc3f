import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffShell

@Suite struct QualificationCommandTests {
    func text(_ reply: Reply) -> String {
        Renderer(format: .text, style: .plain).render(reply, command: "", request: Request(command: "")).stdout
    }

    @Test func qualifyAnswersForALeadAndRanksAnAccountsLeads() throws {
        let fixture = try Fixture()
        let lead = try fixture.run("qualify pepper potts")
        #expect(lead.request.subject?.name == "Pepper Potts")
        #expect(lead.reply.result["verdict"] == .string("mql"))
        #expect(lead.reply.result["definition_version"] == .string("2026.11-1"))
        #expect(lead.reply.result["unknown"] == .array(["budget", "authority", "need", "timing"].map(JSONValue.string)))
        #expect(text(lead.reply).contains("Next step: Hand to sales to qualify: ask about budget"))

        let account = try fixture.run("is acme qualified?")
        #expect(account.command == "qualify")
        #expect(account.request.subject?.name == "Acme Corp")
        #expect(account.reply.result["best"]?["lead"]?["name"] == .string("Wile Coyote"))
        guard case .array(let leads) = account.reply.result["leads"] else { Issue.record("no leads"); return }
        #expect(leads.count == 4)
        #expect(leads.last?["verdict"] == .string("disqualified"), "disqualified leads rank last")
        #expect(try fixture.run("how hot is globex").command == "qualify")
        #expect(try fixture.run("score tony stark").command == "qualify")
    }

    @Test func whyRejectedExplainsARepsRejection() throws {
        let fixture = try Fixture()
        let answer = try fixture.run("why rejected frank grimes")
        guard case .array(let rejections) = answer.reply.result["rejections"], let first = rejections.first else {
            Issue.record("no rejection"); return
        }
        #expect(first["by"] == .string("Sam Okafor"))
        #expect(first["by_rule"] == .bool(false))
        #expect(first["reason"] == .string("no_authority"))
        #expect(first["definition_version"] == .string("2026.11-1"))
        #expect(first["failed_then"] == .array([.string("senior_role"), .string("manager_role")]))
        #expect(first["would_change"]?.encoded().contains("sales confirming authority") == true)
    }

    @Test func whyRejectedExplainsARulesRejectionAndFollowsTheConversation() throws {
        let fixture = try Fixture()
        _ = try fixture.run("qualify rita rival")
        let answer = try fixture.run("why rejected")
        #expect(answer.request.subject?.name == "Rita Rival", "the lead in context")
        guard case .array(let rejections) = answer.reply.result["rejections"], let first = rejections.first else {
            Issue.record("no rejection"); return
        }
        #expect(first["by"] == .string("competitor"))
        #expect(first["by_rule"] == .bool(true))
        #expect(text(answer.reply).contains("rejected by the rule 'competitor' of the definition"))
        #expect(first["would_change"]?.encoded().contains("the rule still holds") == true)
        let never = try fixture.run("why not wile coyote")
        #expect(text(never.reply).contains("Wile Coyote was never rejected. Today: sales-ready (SQL)"))
    }

    @Test func legalStageChangesAreRecordedWithWhoAndWhen() throws {
        let fixture = try Fixture()
        try fixture.run("accept mindy simmons")
        try fixture.run("stage tony stark opportunity")
        try fixture.run("nurture pepper potts")
        try fixture.run("reject elmer fudd because no budget this year")
        for (name, stage) in [("Mindy Simmons", Stage.sal), ("Tony Stark", .opportunity), ("Pepper Potts", .nurture), ("Elmer Fudd", .disqualified)] {
            let lead = try #require(try fixture.store.findLeads(matching: name, limit: 1, loose: false).first)
            #expect(lead.stage == stage)
            let last = try #require(try fixture.store.transitions(leadId: lead.id!).last)
            #expect(last.to == stage)
            #expect(last.by == "tester")
            #expect(last.at == Fixture.now)
        }
        let elmer = try #require(try fixture.store.findLeads(matching: "Elmer Fudd", limit: 1, loose: false).first)
        let rejection = try #require(try fixture.store.rejections(leadId: elmer.id!).last)
        #expect(rejection.reasonCode == "no_budget")
        #expect(rejection.note == "no budget this year")
        let history = try fixture.run("history elmer fudd")
        guard case .array(let trail) = history.reply.result["transitions"] else { Issue.record("no trail"); return }
        #expect(trail.last?["reason"] == .string("no_budget: no budget this year"))
    }

    @Test(arguments: [
        ("accept hank scorpio", "the deal is closed"),
        ("accept mindy simmons", ""),
        ("stage wile coyote inquiry", "from there it can go to lost, won, not inquiry"),
        ("nurture hank scorpio", "the deal is closed"),
        ("reject nora green because vibes", "names no reason code"),
        ("accept acme", "is an account"),
        ("stage tony stark sideways", "stage must be one of"),
    ])
    func illegalChangesAreRefusedWithTheReason(line: String, reason: String) throws {
        let fixture = try Fixture()
        if reason.isEmpty {
            try fixture.run(line)
            do {
                try fixture.run(line)
                Issue.record("accepted twice")
            } catch let error as UsageError {
                #expect(error.message.contains("is already sal"))
            }
            return
        }
        do {
            try fixture.run(line)
            Issue.record("'\(line)' was allowed")
        } catch let error as any HandoffError {
            #expect(error.message.contains(reason) || (error.hint ?? "").contains(reason), "\(error.message)")
        }
    }
}
