import Foundation
import HandoffCore
import HandoffPluginAPI
import HandoffSQLite
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
        #expect(lead.reply.result["lead"]?["name"] == .string("Pepper Potts"))
        #expect(lead.reply.result["account"]?["name"] == .string("Stark Logistics"))
        #expect(lead.reply.result["verdict"]?["verdict"] == .string("mql"))
        #expect(lead.reply.result["verdict"]?["definition_version"] == .string("2026.11-1"))
        #expect(lead.reply.result["verdict"]?["unknown"] == .array(["budget", "authority", "need", "timing"].map(JSONValue.string)))
        #expect(text(lead.reply).contains("Next step: Sales to accept or reject it (`accept Pepper Potts`"), "an MQL sits with sales")
        #expect(text(lead.reply).components(separatedBy: "Next step:").count == 2, "the next step is printed once")

        let account = try fixture.run("is acme qualified?")
        #expect(account.command == "qualify")
        #expect(account.request.subject?.name == "Acme Corp")
        #expect(account.reply.result["best"]?["lead"]?["name"] == .string("Wile Coyote"))
        guard case .array(let leads) = account.reply.result["leads"] else { Issue.record("no leads"); return }
        #expect(leads.count == 4)
        #expect(leads.last?["verdict"]?["verdict"] == .string("disqualified"), "disqualified leads rank last")
        #expect(account.reply.result["account"]?["name"] == .string("Acme Corp"))
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

    func first(_ list: JSONValue?) -> JSONValue? {
        if case .array(let items)? = list { items.first } else { nil }
    }

    @Test func whyRejectedListsWhatFailedAsQualifyDoesAndARemedyForTheReason() throws {
        let fixture = try Fixture()
        // Gavin Belson, a CEO at Hooli (12,000 employees), was rejected as the wrong fit.
        let gavin = try fixture.run("why rejected gavin belson")
        let rejection = try #require(first(gavin.reply.result["rejections"]))
        #expect(rejection["failed_then"] == .array([.string("company_size")]), "a CEO is not short of being a manager")
        #expect(text(gavin.reply).contains("failed then      50 to 5,000 employees\n"), "\(text(gavin.reply))")
        let remedy = rejection["would_change"]?.encoded() ?? ""
        #expect(remedy.contains("nothing yet: it still fails 50 to 5,000 employees (12000)"), "\(remedy)")
        #expect(!remedy.contains("sales confirming"), "no BANT fact answers a company outside the market")
        // Art Vandelay, an owner at a 40-person company, was rejected for no budget.
        let art = try fixture.run("why rejected art vandelay")
        let artRejection = try #require(first(art.reply.result["rejections"]))
        #expect(artRejection["failed_then"] == .array([.string("company_size")]))
        #expect(artRejection["would_change"]?.encoded().contains("sales confirming budget") == true)
        // Once sales has confirmed the budget, the remedy is to bring the lead back.
        let artLead = try #require(try fixture.store.findLeads(matching: "Art Vandelay", limit: 1, loose: false).first)
        let csv = "\(fixture.directory)/budget.csv"
        try "external_id,budget\n\(artLead.externalId),yes\n".write(toFile: csv, atomically: true, encoding: .utf8)
        try fixture.run("import leads \(csv)")
        let confirmed = try #require(first(try fixture.run("why rejected art vandelay").reply.result["rejections"]))
        #expect(confirmed["would_change"]?.encoded().contains("sales has since confirmed budget: `nurture Art Vandelay` to bring it back") == true, "\(confirmed["would_change"]?.encoded() ?? "")")
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
        #expect(rejection.note == "this year")
        let history = try fixture.run("history elmer fudd")
        guard case .array(let trail) = history.reply.result["transitions"] else { Issue.record("no trail"); return }
        #expect(trail.last?["reason"] == .string("no_budget: this year"))
    }

    /// The words that name the reason are the reason; the note is what the rep said beside them,
    /// and a quoted note is kept whole, even when it holds another reason's words.
    @Test(arguments: [
        ("no budget \"they said the budget is frozen\"", "no_budget", "they said the budget is frozen"),
        ("No budget: frozen until Q3", "no_budget", "frozen until Q3"),
        ("bad timing 'no budget till May'", "bad_timing", "no budget till May"),
        ("\"no budget this year\"", "no_budget", "no budget this year"),
        ("they have no budget right now", "no_budget", "they have no budget right now"),
        ("no_budget", "no_budget", ""),
    ])
    func aRejectionKeepsTheRepsNoteWithoutTheReasonWords(reason: String, code: String, note: String) throws {
        let fixture = try Fixture()
        let reply = try fixture.run("reject elmer fudd because \(reason)").reply
        #expect(reply.result["rejection"]?["reason_code"] == .string(code))
        #expect(reply.result["rejection"]?["note"] == .string(note))
        #expect(text(reply).contains(note.isEmpty ? "(No budget). inquiry" : "note kept: “\(note)”"), "\(text(reply))")
    }

    @Test(arguments: [
        ("accept hank scorpio", "the deal is closed"),
        ("accept mindy simmons", ""),
        ("stage wile coyote inquiry", "from there it can go to disqualified, lost, nurture, won, not inquiry"),
        ("nurture hank scorpio", "the deal is closed"),
        ("reject nora green because vibes", "names no reason code of the definition"),
        ("reject nora green because no authorty", "names no reason code of the definition; did you mean no_authority"),
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

@Suite struct FunnelTests {
    @Test func countsConversionAndMedianTimeComeFromTheAuditTrail() throws {
        let fixture = try Fixture()
        let csv = "\(fixture.directory)/january.csv"
        try """
            external_id,name,email,created_at
            j1,Jan One,one@jan.com,2026-01-05T00:00:00Z
            j2,Jan Two,two@jan.com,2026-01-05T00:00:00Z
            j3,Jan Three,three@jan.com,2026-01-05T00:00:00Z
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        try fixture.run("import leads \(csv)")
        let start = Timestamp.parse("2026-01-05T00:00:00Z")!
        func move(_ id: String, _ from: Stage, _ to: Stage, days: Double) throws {
            let lead = try #require(try fixture.store.lead(externalId: id))
            try fixture.store.move(StageTransition(leadId: lead.id!, from: from, to: to, at: start.addingTimeInterval(days * 86_400), by: "t"))
        }
        // j1: 2 days as inquiry, 4 as MQL, then SAL. j2: 4 days as inquiry, then MQL. j3 stays.
        try move("j1", .inquiry, .mql, days: 2)
        try move("j1", .mql, .sal, days: 6)
        try move("j2", .inquiry, .mql, days: 4)
        let answer = try fixture.run("funnel 2026-01-01..2026-01-31")
        #expect(answer.reply.result["leads"] == .int(3), "only the leads created in the period")
        guard case .array(let stages) = answer.reply.result["stages"] else { Issue.record("no stages"); return }
        #expect(stages.map { $0["leads"] } == [3, 2, 1, 0, 0, 0].map(JSONValue.int))
        #expect(stages[0]["conversion_to_next"] == .double(2.0 / 3))
        #expect(stages[1]["conversion_to_next"] == .double(0.5))
        #expect(stages[0]["median_days_in_stage"] == .double(3), "the median of 2 and 4 days")
        #expect(stages[1]["median_days_in_stage"] == .double(4))
        let all = try fixture.run("funnel")
        #expect(all.reply.result["lost"] == .int(3), "the demo's three lost deals")
        let empty = try fixture.run("funnel 2020-01-01..2020-01-31")
        #expect(empty.reply.failure == nil, "an empty funnel is an answer, not a failure")
        #expect(empty.reply.blocks.contains { if case .text(let line) = $0 { line.contains("No leads were created in the period asked") } else { false } })
        #expect(empty.reply.blocks.contains { if case .note(let line) = $0 { line == "Try a longer period, or `funnel` for all leads." } else { false } })
        #expect(try fixture.run("how is the handoff doing this quarter").command == "funnel")
    }

    /// X Education's wins come in as won and its losses at inquiry: the funnel said MQL → SAL →
    /// … → won 100% each, the import's doing. A lead counts in the steps from where it came in.
    @Test func leadsImportedPastAStageCountInNoConversionBeforeIt() throws {
        let fixture = try Fixture()
        let csv = "\(fixture.directory)/export.csv"
        try """
            external_id,name,email,created_at,stage,outcome
            w1,Won One,w1@x.com,2026-01-05T00:00:00Z,won,won
            w2,Won Two,w2@x.com,2026-01-05T00:00:00Z,won,won
            l1,Lost One,l1@x.com,2026-01-05T00:00:00Z,inquiry,lost
            l2,Lost Two,l2@x.com,2026-01-05T00:00:00Z,inquiry,lost
            l3,Lost Three,l3@x.com,2026-01-05T00:00:00Z,inquiry,lost
            m1,Mql One,m1@x.com,2026-01-05T00:00:00Z,mql,
            x1,Lost Stage,x1@x.com,2026-01-05T00:00:00Z,lost,lost
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        try fixture.run("import leads \(csv)")
        let lead = try #require(try fixture.store.lead(externalId: "m1"))
        try fixture.store.move(StageTransition(leadId: lead.id!, from: .mql, to: .sal, at: Timestamp.parse("2026-01-09T00:00:00Z")!, by: "t"))
        let answer = try fixture.run("funnel 2026-01-01..2026-01-31")
        guard case .array(let stages) = answer.reply.result["stages"] else { Issue.record("no stages"); return }
        #expect(stages.map { $0["leads"] } == [7, 3, 3, 2, 2, 2].map(JSONValue.int), "reached, jumps included")
        // Inquiry: every lead left it or not; the wins and m1 surely did, the four lost did not
        // (one of them imported at the stage lost, which is no funnel stage to come in at).
        #expect(stages[0]["conversion_leads"] == .int(7))
        #expect(stages[0]["conversion_to_next"] == .double(3.0 / 7))
        // MQL: only m1 is seen there, and it went on to SAL; the wins came in past it.
        #expect(stages[1]["conversion_leads"] == .int(1))
        #expect(stages[1]["conversion_to_next"] == .double(1))
        #expect(stages[2]["conversion_leads"] == .int(1))
        #expect(stages[2]["conversion_to_next"] == .double(0))
        #expect(stages[3]["conversion_to_next"] == .null, "no lead is seen at SQL")
        #expect(answer.reply.result["came_in_past_inquiry"] == .int(3))
        let words = answer.reply.blocks.compactMap { if case .table(let table) = $0 { table.rows.map { $0.joined(separator: " | ") }.joined(separator: "\n") } else { nil } }.joined()
        #expect(words.contains("INQUIRY | 7 | 3 | 42.9%"), "\(words)")
    }
}
