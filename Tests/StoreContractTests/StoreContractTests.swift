import Foundation
import HandoffStoreSQL
import HandoffTestSupport
import HandoffCore
import HandoffMigrate
import HandoffPostgres
import HandoffSQLite
import Testing
@testable import DemoPlugin

/// What every store must do alike. Each test runs on SQLite and on PostgreSQL; the last ones load
/// the same data into both and compare every answer.
@Suite struct StoreContractTests {
    @Test(arguments: StoreKind.allCases) func reopeningKeepsDataAndDoesNotMigrateAgain(kind: StoreKind) throws {
        let scratch = Scratch()
        do {
            let store = try scratch.store(kind)
            _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,email\n1,Ada,ada@acme.com\n"))
        }
        let store = try scratch.store(kind)
        #expect(try store.counts().leads == 1)
        #expect(try store.lead(externalId: "1")?.name == "Ada")
        #expect(try store.integrityCheck() == "ok")
    }

    /// A database a later Handoff migrated further is refused, naming it and the migration, rather
    /// than read with a schema this build would misread.
    @Test(arguments: StoreKind.allCases) func aDatabaseWrittenByANewerHandoffIsRefused(kind: StoreKind) throws {
        let scratch = Scratch()
        let location = try scratch.store(kind).location
        try scratch.recordMigration("v99-from-the-future", kind)
        do {
            _ = try scratch.store(kind)
            Issue.record("a database with a migration from a newer Handoff was opened")
        } catch let error as StoreError {
            #expect(error.message == "this database was written by a newer Handoff: \(location) has the migration 'v99-from-the-future', which this version does not know")
            #expect(error.hint == "run the newer Handoff on it, or choose another database with --db; this version would misread it")
        }
    }

    /// The definition report's bulk read: every lead with a known outcome once, whichever way the
    /// id range is cut, with the lead's fields and its scored events, each kind oldest first.
    @Test(arguments: StoreKind.allCases) func theReportsScanHandsOverEachJudgedLeadWithItsScoredEvents(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        var leads = ImportContractTests.header
        for n in 0..<60 { leads += "S\(n),Lead \(n),s\(n)@acme.com,VP Sales,Acme \(n % 7),\(n * 10),2026-10-01,\(["", "mql", "opportunity", "sql"][n % 4]),\(["won", "lost", ""][n % 3])\n" }
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", leads))
        var events = "lead,kind,occurred_at,detail\n"
        for n in 0..<300 {
            // Out of order in the file, repeated times with another detail, and a kind the scan is not asked for.
            let kind = ["demo_request", "web_visit", "newsletter_open"][n % 3]
            events += "S\(n * 7 % 50),\(kind),2026-10-\(String(format: "%02d", 28 - n % 27))T10:00:00Z,/\(n % 2)\n"
        }
        _ = try importer(store, .events).run(path: scratch.file("e.csv", events))
        let kinds = ["demo_request", "web_visit"]

        var query = LeadQuery()
        query.outcomes = [.won, .lost]
        let listed = try store.leads(query)
        let stored = try store.events(leadIds: listed.compactMap(\.id))
        var expected: [Int64: [Int32: [Int64]]] = [:]
        for lead in listed {
            let scored = (stored[lead.id!] ?? []).compactMap { event in
                kinds.firstIndex(of: event.kind).map { (Int32($0), Int64(event.occurredAt.timeIntervalSince1970)) }
            }
            expected[lead.id!] = Dictionary(grouping: scored, by: \.0).mapValues { $0.map(\.1).sorted() }
        }
        #expect(listed.count == 40)
        #expect(expected.values.contains { !$0.isEmpty })

        for parts in [1, 3, 7] {
            var scanned: [Int64: [Int32: [Int64]]] = [:]
            var fields: [Int64: [String?]] = [:]
            for part in 0..<parts {
                try store.scanLeads(
                    outcomes: [.won, .lost], fields: [.email, .title, .stage], attributes: false, eventKinds: kinds, part: part, of: parts
                ) { lead, events in
                    #expect(scanned[lead.id!] == nil, "lead \(lead.id!) scanned twice")
                    scanned[lead.id!] = Dictionary(grouping: events, by: \.kind).mapValues { $0.map(\.at) }
                    fields[lead.id!] = [lead.email, lead.title, lead.stage.rawValue, lead.outcome.rawValue, lead.accountId.map(String.init)]
                }
            }
            #expect(scanned == expected, "\(parts) parts")
            #expect(fields == Dictionary(uniqueKeysWithValues: listed.map {
                ($0.id!, [$0.email, $0.title, $0.stage.rawValue, $0.outcome.rawValue, $0.accountId.map(String.init)])
            }))
            #expect(Set(fields.values.map { $0[2] }).count > 1, "stages vary")
        }

        // The parallel pass every plugin may use reads the same leads and events, each once, the
        // parts finished on their own threads and handed back in order.
        let parallel = try store.scanLeadsInParallel(
            outcomes: [.won, .lost], fields: [], attributes: false, eventKinds: kinds,
            start: { [(id: Int64, events: [Int32: [Int64]])]() }, finish: { $0.sort { $0.id < $1.id } }
        ) { part, lead, events in
            part.append((lead.id!, Dictionary(grouping: events, by: \.kind).mapValues { $0.map(\.at) }))
        }
        let inOrder = parallel.flatMap { $0 }
        #expect(inOrder.map(\.id) == listed.compactMap(\.id).sorted(), "every lead once, the parts in id order")
        #expect(Dictionary(uniqueKeysWithValues: inOrder.map { ($0.id, $0.events) }) == expected)
    }

    @Test(arguments: StoreKind.allCases) func accountsAreReadManyAtOnceByIdAndUnknownIdsAreLeftOut(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", ImportContractTests.header + "1,Ada,ada@acme.com,,Acme Corp,,,,\n2,Bob,bob@globex.com,,Globex,,,,\n"))
        let acme = try #require(try store.account(named: "Acme Corp"))
        let globex = try #require(try store.account(named: "Globex"))
        let found = try store.accounts(ids: [acme.id!, 999_999, globex.id!, acme.id!])
        #expect(found == [acme.id!: acme, globex.id!: globex])
        #expect(try store.accounts(ids: []).isEmpty)
    }

    /// A file without external ids finds its leads by email, whatever the case of either side's
    /// letters (A–Z, as both stores fold them); of two leads with one email, the older.
    @Test(arguments: StoreKind.allCases) func leadsAreFoundByEmailWhateverTheCase(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", "external_id,name,email\nc-1,Mixed Case,Mixed.Case@Example.COM\nc-2,Same Again,mixed.case@example.com\nc-3,Élise,ÉLISE@Ex.com\n"))
        let found = try store.externalIds(ofLeadsWithEmails: ["mixed.case@example.com", Label.asciiLowercased("ÉLISE@Ex.com"), "nobody@example.com"])
        #expect(found == ["mixed.case@example.com": "c-1", Label.asciiLowercased("ÉLISE@Ex.com"): "c-3"])
        // Imported again without ids, with the letters' case changed: the same leads, updated.
        let again = try importer(store, .leads).run(path: scratch.file("e.csv", "email,title\nMIXED.CASE@example.com,CFO\nÉLISE@EX.COM,CTO\n"))
        #expect((again.inserted, again.updated) == (0, 2))
        #expect(try store.lead(externalId: "c-1")?.title == "CFO")
        #expect(try store.lead(externalId: "c-3")?.title == "CTO")
        #expect(try store.counts().leads == 3)
    }

    @Test(arguments: StoreKind.allCases) func aNameTypedWithoutItsAccentsIsFound(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", "external_id,name,email\n1,José Müller,jose@mueller.de\n2,Joseph Bloggs,jb@x.com\n"))
        #expect(try store.findLeads(matching: "muller", limit: 9, loose: true).map(\.name) == ["José Müller"])
        #expect(Set(try store.findLeads(matching: "JOSÉ", limit: 9, loose: false).map(\.name)) == ["José Müller", "Joseph Bloggs"])
        #expect(Set(try store.findLeads(matching: "jose", limit: 9, loose: false).map(\.name)) == ["José Müller", "Joseph Bloggs"])
        #expect(try store.findLeads(matching: "muller", limit: 9, loose: false).isEmpty, "a word inside the name only in a loose search")
        // Letters that are not a plain letter and a mark: ø, ð, ł, đ.
        _ = try importer(store, .leads).run(path: scratch.file("n.csv", "external_id,name,email\n3,Søren Kierkegaard,sk@x.dk\n4,Björk Guðmundsdóttir,bg@x.is\n5,Łukasz Żółw,lz@x.pl\n"))
        #expect(try store.findLeads(matching: "soren", limit: 9, loose: false).map(\.name) == ["Søren Kierkegaard"])
        #expect(try store.findLeads(matching: "gudmundsdottir", limit: 9, loose: true).map(\.name) == ["Björk Guðmundsdóttir"])
        #expect(try store.findLeads(matching: "lukasz", limit: 9, loose: false).map(\.name) == ["Łukasz Żółw"])
    }

    @Test(arguments: StoreKind.allCases) func theObjectionsOfALeadOrAnAccountAreReadNewestFirst(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", ImportContractTests.header + "1,Ada,ada@acme.com,,Acme Corp,,,,\n2,Bob,bob@acme.com,,Acme Corp,,,,\n3,Cy,cy@globex.com,,Globex,,,,\n"))
        let (ada, bob, cy) = (try store.lead(externalId: "1")!, try store.lead(externalId: "2")!, try store.lead(externalId: "3")!)
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        for (index, (lead, text)) in [(ada, "too expensive"), (bob, "no time"), (cy, "legal"), (ada, "still too expensive")].enumerated() {
            _ = try store.log(Objection(
                leadId: lead.id, accountId: lead.accountId, text: text, theme: "price", loggedBy: "rep",
                at: start.addingTimeInterval(Double(index) * 60), dealStage: lead.stage))
        }
        #expect(try store.objections(leadId: ada.id, accountId: nil, limit: 10).map(\.text) == ["still too expensive", "too expensive"])
        #expect(try store.objections(leadId: nil, accountId: ada.accountId, limit: 10).map(\.text) == ["still too expensive", "no time", "too expensive"])
        #expect(try store.objections(leadId: nil, accountId: ada.accountId, limit: 2).count == 2)
    }

    @Test(arguments: StoreKind.allCases) func anObjectionIsRethemedAndWithdrawnWithItsTrail(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", ImportContractTests.header + "1,Ada,ada@acme.com,,Acme Corp,,,,\n"))
        let ada = try #require(try store.lead(externalId: "1"))
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        let id = try store.log(Objection(leadId: ada.id, accountId: ada.accountId, text: "not now", theme: "price", loggedBy: "rep", at: at))
        try store.retheme(objectionId: id, to: "timing", by: "lead", at: at.addingTimeInterval(60))
        #expect(try store.objection(id: id)?.theme == "timing")
        #expect(try store.countObjections(from: at, to: at.addingTimeInterval(1), by: nil, industry: nil).map(\.theme) == ["timing"])
        #expect(throws: ConflictError.self) { try store.retheme(objectionId: id, to: "timing", by: "lead", at: at) }
        try store.withdraw(objectionId: id, by: "lead", at: at.addingTimeInterval(120), note: "wrong lead")
        #expect(try store.objection(id: id) == nil)
        #expect(try store.countObjections(from: at, to: at.addingTimeInterval(1), by: nil, industry: nil).isEmpty)
        let trail = try store.objectionChanges(objectionId: id)
        #expect(trail.map(\.kind) == [.retheme, .withdraw])
        #expect((trail[0].from, trail[0].to) == ("price", "timing"))
        #expect(trail[1].from?.contains("\"text\":\"not now\"") == true)
        #expect(trail[1].note == "wrong lead")
        #expect(throws: NotFoundError.self) { try store.withdraw(objectionId: id, by: "lead", at: at, note: "") }
    }

    /// What the classifier learns from the team: rethemed objections with the theme they have
    /// now, newest first; never one that was only logged, nor one withdrawn since.
    @Test(arguments: StoreKind.allCases) func theTeamsCorrectionsAreTheRethemedObjections(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", ImportContractTests.header + "1,Ada,ada@acme.com,,Acme Corp,,,,\n"))
        let ada = try #require(try store.lead(externalId: "1"))
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        func log(_ text: String, _ theme: String) throws -> Int64 {
            try store.log(Objection(leadId: ada.id, accountId: ada.accountId, text: text, theme: theme, loggedBy: "rep", at: at))
        }
        let distributors = try log("we only sell through distributors", "other")
        _ = try log("too expensive", "price")
        let twice = try log("the reseller owns the relationship", "other")
        let withdrawn = try log("wrong lead entirely", "other")
        #expect(try store.themeCorrections(limit: 10).isEmpty)
        try store.retheme(objectionId: distributors, to: "need", by: "marketing", at: at)
        try store.retheme(objectionId: twice, to: "need", by: "marketing", at: at)
        try store.retheme(objectionId: twice, to: "authority", by: "marketing", at: at)
        try store.retheme(objectionId: withdrawn, to: "timing", by: "marketing", at: at)
        try store.withdraw(objectionId: withdrawn, by: "marketing", at: at, note: "")
        #expect(try store.themeCorrections(limit: 10) == [
            ThemeClassifier.Correction(text: "the reseller owns the relationship", theme: "authority"),
            ThemeClassifier.Correction(text: "we only sell through distributors", theme: "need"),
        ])
        #expect(try store.themeCorrections(limit: 1).count == 1)
    }

    /// What `objections review` reads: the objections filed with a confidence below the bar,
    /// newest first; a person's retheme, or the same theme confirmed, takes one off the list.
    @Test(arguments: StoreKind.allCases) func theUnsureObjectionsWaitForReviewUntilSomeoneSettlesThem(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", ImportContractTests.header + "1,Ada,ada@acme.com,,Acme Corp,,,,\n"))
        let ada = try #require(try store.lead(externalId: "1"))
        let at = Date(timeIntervalSince1970: 1_790_000_000)
        func log(_ text: String, _ theme: String, _ confidence: Double?, after seconds: Double) throws -> Int64 {
            try store.log(Objection(
                leadId: ada.id, accountId: ada.accountId, text: text, theme: theme, loggedBy: "rep", at: at.addingTimeInterval(seconds),
                confidence: confidence))
        }
        let unsure = try log("they said maybe", "timing", 0.65, after: 1)
        _ = try log("too expensive", "price", 0.99, after: 2)
        let unplaced = try log("the weather was lovely", "other", 0, after: 3)
        _ = try log("named by the rep", "other", nil, after: 4)
        let review = try store.objectionsToReview(below: 0.9, limit: 10)
        #expect(review.map(\.id) == [unplaced, unsure])
        #expect(review.map(\.confidence) == [0, 0.65])
        #expect(try store.objectionsToReview(below: 0.9, limit: 1).map(\.id) == [unplaced])
        // Confirming the theme the classifier chose settles it, and is kept like a retheme.
        try store.retheme(objectionId: unsure, to: "timing", by: "marketing", at: at)
        #expect(try store.objection(id: unsure)?.confidence == nil)
        #expect(try store.objectionChanges(objectionId: unsure).map { [$0.from, $0.to] } == [["timing", "timing"]])
        #expect(throws: ConflictError.self) { try store.retheme(objectionId: unsure, to: "timing", by: "marketing", at: at) }
        try store.retheme(objectionId: unplaced, to: "need", by: "marketing", at: at)
        #expect(try store.objectionsToReview(below: 0.9, limit: 10).isEmpty)
        #expect(try store.themeCorrections(limit: 10).map(\.text) == ["the weather was lovely", "they said maybe"])
    }

    @Test(arguments: StoreKind.allCases) func stageWonAndLostSetTheOutcome(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,stage\n1,Ada,opportunity\n2,Bob,opportunity\n3,Cy,won\n"))
        let ada = try #require(try store.lead(externalId: "1"))
        let bob = try #require(try store.lead(externalId: "2"))
        try store.move(StageTransition(leadId: ada.id!, from: .opportunity, to: .won, at: Date(), by: "rep", reason: "signed"))
        try store.move(StageTransition(leadId: bob.id!, from: .opportunity, to: .lost, at: Date(), by: "rep", reason: "no"))
        #expect(try store.lead(externalId: "1")?.outcome == .won)
        #expect(try store.lead(externalId: "2")?.outcome == .lost)
        #expect(try store.lead(externalId: "3")?.outcome == .won, "imported at won with no outcome column")
        try store.move(StageTransition(leadId: bob.id!, from: .lost, to: .nurture, at: Date(), by: "rep", reason: "recycled"))
        _ = try importer(store, .leads).run(path: scratch.file("b.csv", "external_id,name,stage\n4,Di,opportunity\n"))
        _ = try importer(store, .leads).run(path: scratch.file("c.csv", "external_id,name,stage\n4,Di,won\n"))
        #expect(try store.lead(externalId: "4")?.outcome == .won, "an import that closes a deal sets its outcome")
        #expect(try store.lead(externalId: "2")?.outcome == .open, "a lost lead back in nurture is open again")
    }

    @Test(arguments: StoreKind.allCases) func anImportRefusesToReopenAClosedDeal(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,stage\n1,Ada,won\n2,Bob,sql\n"))
        let again = try importer(store, .leads).run(path: scratch.file("b.csv", "external_id,name,stage\n1,Ada,inquiry\n2,Bob,mql\n3,Cy,mql\n"))
        #expect(again.rejected.map(\.line) == [2, 3])
        #expect(again.inserted == 1)
        #expect(try store.lead(externalId: "1")?.stage == .won)
        #expect(try store.lead(externalId: "2")?.stage == .sql)
    }

    @Test(arguments: StoreKind.allCases) func rejectingMovesTheLeadAndKeepsTheAuditTrail(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,email,stage\n1,Ada,ada@acme.com,mql\n"))
        let lead = try #require(try store.lead(externalId: "1"))
        let at = importTime.addingTimeInterval(3600)
        try store.move(StageTransition(leadId: lead.id!, from: .mql, to: .sal, at: at, by: "Dana", reason: "fits"))
        try store.reject(Rejection(leadId: lead.id!, at: at.addingTimeInterval(60), by: "Dana", reasonCode: "no_budget", note: "next year", definitionVersion: "7"))
        #expect(try store.lead(id: lead.id!)?.stage == .disqualified)
        let trail = try store.transitions(leadId: lead.id!)
        #expect(trail.map(\.to) == [.mql, .sal, .disqualified])
        #expect(trail.map(\.from) == [nil, .mql, .sal])
        #expect(trail.last?.reason == "no_budget: next year")
        #expect(try store.rejections(leadId: lead.id!).first?.definitionVersion == "7")
        #expect(throws: NotFoundError.self) {
            try store.reject(Rejection(leadId: 999, at: at, by: "Dana", reasonCode: "x", definitionVersion: "7"))
        }
        #expect(throws: NotFoundError.self) {
            try store.move(StageTransition(leadId: 999, from: nil, to: .sal, at: at, by: "Dana"))
        }
        #expect(try store.rejections(leadId: 999).isEmpty, "a refused rejection leaves nothing behind")
    }

    @Test(arguments: StoreKind.allCases) func aMoveFromAStageTheLeadHasLeftIsRefusedAndWritesNothing(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,stage\n1,Ada,mql\n"))
        let id = try #require(try store.lead(externalId: "1")?.id)
        // Two reps read Ada as an MQL; the first accepts her, the second's accept comes too late.
        try store.move(StageTransition(leadId: id, from: .mql, to: .sal, at: importTime, by: "Dana"))
        #expect(throws: ConflictError.self) {
            try store.move(StageTransition(leadId: id, from: .mql, to: .sal, at: importTime, by: "Sam"))
        }
        try store.reject(Rejection(leadId: id, at: importTime, by: "Dana", reasonCode: "no_budget", definitionVersion: "1"))
        #expect(throws: ConflictError.self) {
            try store.reject(Rejection(leadId: id, at: importTime, by: "Sam", reasonCode: "no_need", definitionVersion: "1"))
        }
        #expect(try store.transitions(leadId: id).map(\.by) == ["tester", "Dana", "Dana"])
        #expect(try store.rejections(leadId: id).count == 1)
    }

    /// A bare `undo` takes back the last move its user made, whichever lead it was.
    @Test(arguments: StoreKind.allCases) func theLastMoveOfOnePersonIsFoundAcrossLeads(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,stage\n1,Ada,mql\n2,Bob,mql\n"))
        let ada = try #require(try store.lead(externalId: "1")?.id)
        let bob = try #require(try store.lead(externalId: "2")?.id)
        #expect(try store.lastTransition(by: "Dana") == nil)
        // The import gave each lead its first stage; that is no move to take back.
        #expect(try store.lastTransition(by: "tester") == nil)
        try store.move(StageTransition(leadId: ada, from: .mql, to: .sal, at: importTime.addingTimeInterval(60), by: "Dana"))
        try store.move(StageTransition(leadId: bob, from: .mql, to: .sal, at: importTime.addingTimeInterval(120), by: "Dana"))
        try store.move(StageTransition(leadId: ada, from: .sal, to: .sql, at: importTime.addingTimeInterval(180), by: "Sam"))
        let last = try #require(try store.lastTransition(by: "Dana"))
        #expect(last.leadId == bob && last.to == .sal)
        #expect(try store.lastTransition(by: "Sam")?.leadId == ada)
    }

    /// A week's hand-offs: the leads that moved in it, each with its whole trail (an undo after the
    /// week still shows), and the rejections made in it.
    @Test(arguments: StoreKind.allCases) func thePeriodsMovesComeWithWholeTrailsAndItsRejections(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("a.csv", "external_id,name,stage\n1,Ada,mql\n2,Bob,mql\n3,Cy,mql\n"))
        let (ada, bob, cy) = (try #require(try store.lead(externalId: "1")?.id), try #require(try store.lead(externalId: "2")?.id),
                              try #require(try store.lead(externalId: "3")?.id))
        let day: TimeInterval = 86_400
        let (start, end) = (importTime.addingTimeInterval(7 * day), importTime.addingTimeInterval(14 * day))
        try store.move(StageTransition(leadId: ada, from: .mql, to: .sal, at: start, by: "Dana", reason: "accepted"))
        try store.move(StageTransition(leadId: ada, from: .sal, to: .mql, at: end, by: "Dana", reason: "undo of mql → sal"))
        try store.reject(Rejection(leadId: bob, at: end.addingTimeInterval(-1), by: "Sam", reasonCode: "no_budget", definitionVersion: "1"))
        try store.reject(Rejection(leadId: cy, at: end, by: "Sam", reasonCode: "no_need", definitionVersion: "1"))
        let moves = try store.transitions(ofLeadsMovedFrom: start, to: end)
        #expect(moves.map(\.leadId) == [ada, ada, ada, bob, bob], "Cy moved only at the end, which is outside")
        #expect(moves.filter { $0.leadId == ada }.map(\.to) == [.mql, .sal, .mql], "the import's first stage and the undo after the week come too")
        #expect(try store.transitions(ofLeadsMovedFrom: end.addingTimeInterval(day), to: end.addingTimeInterval(2 * day)).isEmpty)
        #expect(try store.rejections(from: start, to: end).map(\.reasonCode) == ["no_budget"])
        #expect(try store.rejections(from: start, to: end.addingTimeInterval(1)).map(\.leadId) == [bob, cy])
    }

    @Test(arguments: StoreKind.allCases) func anImportMarksTheFieldsItsMappingSaysSalesFillsInAfterContact(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        #expect(try store.fieldsFilledAfterContact() == [:])
        let mapping = try Mapping.parse("""
            kind: leads
            fields: {external_id: ID, notes: Tags}
            keep_other_columns: true
            after_contact: [Tags, Lead Quality]
            """, name: "crm.yaml")
        let file = scratch.file("a.csv", "ID,Tags,Lead Quality,City\n1,Ringing,Worst,Pune\n")
        // A dry run reads the mapping and marks nothing.
        _ = try importer(store, .leads, mapping: mapping, dryRun: true).run(path: file)
        #expect(try store.fieldsFilledAfterContact() == [:])
        let summary = try importer(store, .leads, mapping: mapping).run(path: file)
        #expect(summary.notes.contains { $0.contains("attribute.Lead Quality, lead.notes") })
        #expect(try store.fieldsFilledAfterContact() == ["lead.notes": "crm.yaml", "attribute.Lead Quality": "crm.yaml"])
        // A mark stays, with the mapping that made it, whatever a later mapping says.
        try store.markFilledAfterContact(["lead.notes", "attribute.City"], mapping: "other.yaml", at: importTime)
        #expect(try store.fieldsFilledAfterContact() == [
            "lead.notes": "crm.yaml", "attribute.Lead Quality": "crm.yaml", "attribute.City": "other.yaml",
        ])
    }

    @Test(arguments: StoreKind.allCases) func definitionsInForceAreRememberedByVersion(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        #expect(try store.lastDefinition() == nil)
        let first = DefaultDefinition.load()
        try store.remember(first, at: importTime, by: "dana")
        try store.remember(first, at: importTime.addingTimeInterval(10), by: "dana")
        var second = first
        second.version = "2"
        second.text = first.text.replacingOccurrences(of: "\"2026.11-1\"", with: "\"2\"")
        try store.remember(second, at: importTime.addingTimeInterval(20), by: "dana")
        #expect(try store.lastDefinition()?.text == second.text)
        #expect(try store.definition(version: "2026.11-1")?.text == first.text)
        #expect(try store.definition(version: "9") == nil)
        // Each time a text came into force, with who and when: one already in force is no change,
        // one put back is in force again.
        try store.remember(second, at: importTime.addingTimeInterval(30), by: "sam")
        try store.remember(first, at: importTime.addingTimeInterval(40), by: "sam")
        let history = try store.definitionHistory()
        #expect(history.map(\.version) == ["2026.11-1", "2", "2026.11-1"])
        #expect(history.map(\.loadedBy) == ["dana", "dana", "sam"])
        #expect(history.map(\.loadedAt) == [importTime, importTime.addingTimeInterval(20), importTime.addingTimeInterval(40)])
        #expect(history.map(\.text) == [first.text, second.text, first.text])
        #expect(try store.lastDefinition()?.text == first.text)
        // A text in force from a time before the latest (the demo's history) takes its place in order.
        var earlier = first
        earlier.version = "0"
        earlier.text = first.text.replacingOccurrences(of: "\"2026.11-1\"", with: "\"0\"")
        try store.remember(earlier, at: importTime.addingTimeInterval(-100), by: "ada")
        #expect(try store.definitionHistory().map(\.version) == ["0", "2026.11-1", "2", "2026.11-1"])
    }

    @Test(arguments: StoreKind.allCases) func aBrokenDefinitionFileLeavesThePreviousOneInForce(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let good = scratch.file("good.yaml", DefaultDefinition.yaml.replacingOccurrences(of: "\"2026.11-1\"", with: "\"team-3\""))
        let paths = Paths(environment: ["HOME": scratch.directory])
        #expect(DefinitionInForce.choose(explicit: good, paths: paths, store: store, now: importTime, by: "dana").definition.version == "team-3")
        let broken = scratch.file("broken.yaml", DefaultDefinition.yaml.replacingOccurrences(of: "  mql: 60", with: "  mql: sixty"))
        let second = DefinitionInForce.choose(explicit: broken, paths: paths, store: store, now: importTime, by: "dana")
        #expect(second.definition.version == "team-3")
        #expect(second.warning?.contains("previous version team-3") == true)
    }

    @Test(arguments: StoreKind.allCases) func sessionsWritingAtOnceAllLand(kind: StoreKind) async throws {
        let scratch = Scratch()
        let location = try scratch.location(kind)
        _ = try scratch.store(kind)
        let directory = scratch.directory
        // The same 100 leads in every writer's files: upserts racing on one key must neither
        // fail nor double a row.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    let store: any LeadStore = kind == .sqlite
                        ? try SQLiteStore(path: location) : try PostgresStore(url: PostgresURL(location))
                    for batch in 0..<5 {
                        var rows = "external_id,name\n"
                        for n in 0..<100 { rows += "shared-\(n),Shared \(n)\n" }
                        for n in 0..<100 { rows += "w\(writer)-\(batch)-\(n),Lead \(n)\n" }
                        let file = "\(directory)/w\(writer)-\(batch).csv"
                        _ = FileManager.default.createFile(atPath: file, contents: Data(rows.utf8))
                        let summary = try importer(store, .leads, batchSize: 50).run(path: file)
                        #expect(summary.inserted + summary.updated + summary.unchanged == 200)
                        #expect(summary.rejected.isEmpty)
                    }
                }
            }
            try await group.waitForAll()
        }
        let store = try scratch.store(kind)
        #expect(try store.counts().leads == 100 + 4 * 5 * 100)
        #expect(try store.counts().transitions == 100 + 4 * 5 * 100, "each new lead has exactly one first stage")
    }

    // MARK: The same data, the same answers

    /// Both stores loaded with the demo and with `extra` lines of leads: every question asked of
    /// one is asked of the other.
    static func loadedPair(_ scratch: Scratch) throws -> (sqlite: any LeadStore, postgres: any LeadStore) {
        let now = Timestamp.parse("2026-11-18T15:30:00Z")!
        let definition = DefaultDefinition.load()
        let stores = (try scratch.store(.sqlite), try scratch.store(.postgres))
        for store in [stores.0, stores.1] {
            try DemoData(now: now, definition: definition).load(into: store)
            // Names that tie, differ only in case, and carry non-ASCII letters: the orderings must agree.
            _ = try importer(store, .leads).run(path: scratch.file("ties.csv", """
                external_id,name,email,company,source
                T1,ada byron,ada1@tie.com,tie co,Web
                T2,Ada Byron,ada2@tie.com,Tie Co,web
                T3,Zoë Müller,zoe@tie.com,Über GmbH,Événement
                T4,_under%score,u@tie.com,,Web
                """))
            // A move and the undo that took it back: the trails' reads must both see the undo.
            let ada = try store.lead(externalId: "T1")!
            try store.move(StageTransition(leadId: ada.id!, from: .inquiry, to: .mql, at: now, by: "dana"))
            try store.move(StageTransition(
                leadId: ada.id!, from: .mql, to: .inquiry, at: now.addingTimeInterval(60), by: "dana", reason: "\(Trail.undoReason)inquiry → mql"))
        }
        return stores
    }

    @Test func bothStoresGiveTheSameAnswersOnTheSameData() throws {
        let scratch = Scratch()
        let (sqlite, postgres) = try Self.loadedPair(scratch)
        try expectSameAnswers(sqlite, postgres)
    }

    @Test func aMigratedDatabaseKeepsEveryRowAndId() throws {
        let scratch = Scratch()
        let sqlite = try SQLiteStore(path: try scratch.location(.sqlite))
        try DemoData(now: Timestamp.parse("2026-11-18T15:30:00Z")!, definition: DefaultDefinition.load()).load(into: sqlite)
        _ = try sqlite.log(Objection(text: "too pricey", theme: "price", loggedBy: "Dana", at: importTime))
        try sqlite.remember(DefaultDefinition.load(), at: importTime, by: "dana")
        try sqlite.markFilledAfterContact(["lead.notes"], mapping: "crm.yaml", at: importTime)

        let target = try PostgresStore(url: PostgresURL(try scratch.location(.postgres)))
        let expected = try sqlite.tableCounts()
        // The shipped move (`handoff migrate`), in batches of 7 rows so the larger tables take several.
        var copied: [String] = []
        let landed = try target.moveIn(sqlite, batch: 7) { table, rows in copied.append("\(table) \(rows)") }
        #expect(landed == expected)
        // Each table said once, parents before children, with the source's count.
        #expect(copied == CopiedTables.all.map { "\($0.name) \(expected[$0.name]!)" })
        try expectSameAnswers(sqlite, target)
        #expect(try target.lastDefinition()?.text == sqlite.lastDefinition()?.text)
        // New rows continue after the copied ids instead of colliding with them.
        let next = try target.log(Objection(text: "later", theme: "timing", loggedBy: "Sam", at: importTime))
        #expect(next == Int64(expected["objections"]!) + 1)

        // A second move into the now full database is refused, and changes nothing.
        #expect(throws: StoreError.self) {
            _ = try target.moveIn(sqlite)
        }
        #expect(try target.counts().objections == expected["objections"]! + 1)
    }

    /// Every read the plugins make, asked of both stores.
    func expectSameAnswers(_ a: any LeadStore, _ b: any LeadStore, sourceLocation: SourceLocation = #_sourceLocation) throws {
        func same<T: Equatable>(_ what: String, _ read: (any LeadStore) throws -> T) throws {
            let (left, right) = (try read(a), try read(b))
            #expect(left == right, "\(what) differs", sourceLocation: sourceLocation)
        }
        try same("counts") { try $0.counts() }
        try same("all leads") { try $0.leads(LeadQuery()) }
        try same("accounts") { try $0.accounts() }
        try same("sources") { try $0.sources() }
        try same("fields filled in after contact") { try $0.fieldsFilledAfterContact() }
        for text in ["ada byron", "ADA", "ada", "byron", "acme", "Zoë", "müller", "MÜLLER", "_under", "%", "nobody", "dana@acme.com"] {
            for loose in [false, true] {
                try same("findLeads(\(text), loose: \(loose))") { try $0.findLeads(matching: text, limit: 5, loose: loose).map(\.id) }
                try same("findAccounts(\(text), loose: \(loose))") { try $0.findAccounts(matching: text, limit: 5, loose: loose) }
            }
            try same("names(\(text))") { try $0.names(startingWith: text, limit: 8) }
        }
        try same("findAccounts typo") { try $0.findAccounts(matching: "globx", limit: 5, loose: true) }
        var query = LeadQuery()
        for stages in [[], [Stage.mql], [.sql, .sal]] {
            for entry in [false, true] {
                query.stages = stages
                query.rangeIsStageEntry = entry
                query.createdFrom = Timestamp.parse("2026-10-01")
                query.createdTo = Timestamp.parse("2026-11-15")
                try same("leads \(stages) entry \(entry)") { try $0.leads(query) }
                try same("count \(stages) entry \(entry)") { try $0.countLeads(query) }
                try same("by source \(stages)") { try $0.countLeads(query, by: .source).map { "\($0.value)=\($0.count)" } }
                try same("by stage \(stages)") { try $0.countLeads(query, by: .stage).map { "\($0.value)=\($0.count)" } }
            }
        }
        query = LeadQuery()
        query.text = "tie"
        query.limit = 3
        try same("leads text") { try $0.leads(query) }
        query = LeadQuery()
        query.source = "WEB"
        try same("leads source") { try $0.leads(query) }
        let ids = try a.leads(LeadQuery()).compactMap(\.id)
        try same("events of every lead") { try $0.events(leadIds: ids) }
        for id in ids.prefix(10) {
            try same("events \(id)") { try $0.events(leadId: id) }
            try same("transitions \(id)") { try $0.transitions(leadId: id) }
            try same("rejections \(id)") { try $0.rejections(leadId: id) }
        }
        try same("moves of all leads") { try $0.moves(ofLeadsCreatedFrom: nil, to: nil) }
        // The moves are each lead's trail without who and why, an undo marked as one.
        let everyLead = try a.leads(LeadQuery()).compactMap(\.id).sorted()
        let moves = try a.moves(ofLeadsCreatedFrom: nil, to: nil)
        #expect(moves == (try everyLead.flatMap { try a.transitions(leadId: $0) }).map(\.move), sourceLocation: sourceLocation)
        // A stage's leads: those standing at it and those that moved into it in a period, each with
        // its whole trail.
        let (start, end) = (Timestamp.parse("2026-11-01")!, Timestamp.parse("2026-11-15")!)
        let atMQL = Set(try a.leads(LeadQuery()).filter { $0.stage == .mql }.compactMap(\.id))
        let movedIn = Set(moves.filter { $0.to == .mql && $0.at >= start && $0.at < end }.map(\.leadId))
        let mqlTrails = try a.moves(ofLeadsAt: .mql, orMovedIntoItFrom: start, to: end)
        #expect(!atMQL.isEmpty && !movedIn.subtracting(atMQL).isEmpty, "the demo has MQLs waiting and MQLs of the period answered", sourceLocation: sourceLocation)
        #expect(mqlTrails == moves.filter { atMQL.contains($0.leadId) || movedIn.contains($0.leadId) }, sourceLocation: sourceLocation)
        try same("moves of leads at MQL or moved into it") { try $0.moves(ofLeadsAt: .mql, orMovedIntoItFrom: start, to: end) }
        // Leads by id: the ones asked for that exist, once each.
        let some = Array(everyLead.prefix(5))
        #expect(try a.leads(ids: some + [some[0], 999_999]).mapValues(\.name) == Dictionary(uniqueKeysWithValues: try some.map { ($0, try a.lead(id: $0)!.name) }),
                sourceLocation: sourceLocation)
        try same("leads by id") { try $0.leads(ids: some + [999_999]) }
        // The external ids of the leads with these emails, whatever the case, the oldest first.
        let emailed = try a.leads(LeadQuery()).filter { $0.email != nil }.sorted { $0.id! < $1.id! }
        let email = try #require(emailed.first?.email, sourceLocation: sourceLocation)
        #expect(try a.externalIds(ofLeadsWithEmails: [email.uppercased().lowercased(), "nobody@nowhere.example"]) == [email.lowercased(): emailed[0].externalId],
                sourceLocation: sourceLocation)
        try same("external ids by email") { try $0.externalIds(ofLeadsWithEmails: emailed.prefix(6).map { $0.email!.lowercased() }) }
        try same("moves of leads created in a period") { try $0.moves(ofLeadsCreatedFrom: Timestamp.parse("2026-10-01"), to: Timestamp.parse("2026-11-15")) }
        try same("transitions of leads moved") { try $0.transitions(ofLeadsMovedFrom: .distantPast, to: .distantFuture) }
        try same("rejections made") { try $0.rejections(from: .distantPast, to: .distantFuture) }
        let (from, to) = (Date.distantPast, Date.distantFuture)
        try same("objections") { try $0.objections(from: from, to: to) }
        for segment in [nil] + ObjectionSegment.allCases.map(Optional.some) {
            for industry in [nil, "software", "Software"] {
                try same("countObjections \(String(describing: segment)) \(String(describing: industry))") {
                    try $0.countObjections(from: from, to: to, by: segment, industry: industry)
                        .sorted { ($0.theme, $0.segment ?? "") < ($1.theme, $1.segment ?? "") }
                }
            }
        }
        for theme in ["price", "timing", "competition"] {
            try same("latest \(theme)") { try $0.latestObjections(theme: theme, from: from, to: to, industry: nil, limit: 4) }
        }
    }
}
