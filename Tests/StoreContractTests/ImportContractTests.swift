import Foundation
import HandoffTestSupport
import Testing
import HandoffCore

/// Import semantics every store must share: upsert by key, per-line rejections, nothing
/// half-written. Each test runs on SQLite and on PostgreSQL.
@Suite struct ImportContractTests {
    static let header = "external_id,name,email,title,company,employees,created_at,stage,outcome\n"

    @Test(arguments: StoreKind.allCases) func importsLeadsWithAccountsAndAnAuditTrail(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let csv = scratch.file("leads.csv", Self.header + """
            L1,Ada Lovelace,ada@acme.com,VP Engineering,Acme Corp,850,2026-10-01,mql,open
            L2,Grace Hopper,grace@acme.com,Director of IT,ACME corp ,,2026-10-02T09:00:00Z,,
            L3,Alan Turing,alan@initech.com,Engineer,Initech,120,10/03/2026,inquiry,lost
            """)
        let summary = try importer(store, .leads).run(path: csv)
        #expect((summary.read, summary.inserted, summary.updated, summary.rejected.count) == (3, 3, 0, 0))
        #expect(try store.counts().accounts == 2, "the account name matches whatever its case and spacing")
        let ada = try #require(try store.lead(externalId: "L1"))
        #expect(ada.seniority == .vp)
        #expect(ada.stage == .mql)
        #expect(Timestamp.isoDay(ada.createdAt) == "2026-10-01")
        let acme = try #require(try store.account(named: "acme corp"))
        #expect(acme.employees == 850)
        #expect(try store.lead(externalId: "L3")?.outcome == .lost)
        let trail = try store.transitions(leadId: ada.id!)
        #expect(trail.count == 1)
        #expect(trail[0].to == .mql)
        #expect(trail[0].by == "tester")
        #expect(trail[0].reason.contains("line 2"))
    }

    @Test(arguments: StoreKind.allCases) func reImportingUpdatesInPlaceAndAddsNoDuplicates(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let first = scratch.file("a.csv", Self.header + "L1,Ada,ada@acme.com,VP Sales,Acme,850,2026-10-01,inquiry,open\n")
        _ = try importer(store, .leads).run(path: first)
        // The second export leaves the title blank and moves the stage: blanks keep what is stored.
        let second = scratch.file("b.csv", Self.header + """
            L1,Ada King,,,Acme,,,mql,
            L2,New Lead,new@acme.com,,,,,,
            """)
        let summary = try importer(store, .leads).run(path: second)
        #expect((summary.inserted, summary.updated, summary.unchanged) == (1, 1, 0))
        let ada = try #require(try store.lead(externalId: "L1"))
        #expect(ada.name == "Ada King")
        #expect(ada.title == "VP Sales")
        #expect(ada.email == "ada@acme.com")
        #expect(ada.stage == .mql)
        #expect(try store.transitions(leadId: ada.id!).map(\.to) == [.inquiry, .mql])
        let again = try importer(store, .leads).run(path: second)
        // The same export again changes nothing, and says so.
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 2))
        // Nothing is new the second time: the note says what happens to new and stored leads alike.
        let note = "2 leads in the file have no created date; a lead new to the database is placed at the import time, "
            + "\(Timestamp.iso(importTime)), and a stored one keeps its date"
        #expect(again.notes.contains(note), "\(again.notes)")
        #expect(try Timestamp.isoDay(store.lead(externalId: "L1")!.createdAt) == "2026-10-01", "a stored lead keeps its date")
        #expect(try store.counts().leads == 2)
        #expect(try store.transitions(leadId: ada.id!).count == 2, "an unchanged stage records no transition")
    }

    @Test(arguments: StoreKind.allCases) func badRowsAreReportedByLineWhileGoodRowsLandAndNothingStoredIsLost(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("seed.csv", Self.header + "KEEP,Kept Lead,kept@acme.com,CFO,Acme,850,2026-09-01,sql,open\n"))
        let before = try store.lead(externalId: "KEEP")

        var bytes = Array((Self.header + """
            G1,Good One,one@acme.com,,,,2026-10-01,,
            B2,Too Few,b2@acme.com
            B3,Bad Date,b3@acme.com,,,,2026-02-30,,
            B4,Bad Number,b4@acme.com,,Acme,lots,,,
            G5,Good Two,two@acme.com,,,,,,

            """).utf8)
        bytes += [0x0A]  // a blank line: skipped, but it still counts for line numbers
        bytes += Array("B7,Bad ".utf8) + [0xC3, 0x28] + Array(",b7@acme.com,,,,,,\n".utf8)
        bytes += Array("B8,\(String(repeating: "x", count: 1 << 20)),b8@acme.com,,,,,,\n".utf8)
        bytes += Array("B9,Bad Stage,b9@acme.com,,,,,negotiating,\n".utf8)
        bytes += Array("KEEP,,,,,,,,maybe\n".utf8)
        bytes += Array("G11,Good Three,three@acme.com,,,,,,\n".utf8)
        let summary = try importer(store, .leads).run(path: scratch.file("bad.csv", bytes: bytes))

        #expect(summary.read == 10)
        #expect(summary.inserted == 3)
        let problems = Dictionary(uniqueKeysWithValues: summary.rejected.map { ($0.line, $0.reason) })
        #expect(problems.keys.sorted() == [3, 4, 5, 8, 9, 10, 11])
        #expect(problems[3] == "expected 9 fields, found 3")
        #expect(problems[4]?.contains("created_at '2026-02-30' is not a date") == true)
        #expect(problems[5] == "employees 'lots' is not a whole number")
        #expect(problems[8] == "field 2 is not valid UTF-8 text")
        #expect(problems[9]?.contains("longer than 65536 bytes") == true)
        #expect(problems[10]?.contains("'negotiating' is not a stage") == true)
        #expect(problems[11] == "outcome 'maybe' is not won, lost or open")
        #expect(try store.lead(externalId: "KEEP") == before, "a rejected row leaves the stored lead untouched")
        #expect(try Set(store.leads(LeadQuery()).map(\.externalId)) == ["KEEP", "G1", "G5", "G11"])
    }

    @Test(arguments: StoreKind.allCases) func valuesThatWouldBeStoredWrongAreRefusedByLine(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        var bytes = Array((Self.header + "G1,Good One,one@acme.com,,Acme,0,1900-01-01,,\n").utf8)
        bytes += Array("B3,Nul".utf8) + [0x00] + Array("Name,b3@acme.com,,,,,,\n".utf8)
        bytes += Array(("""
            B4,Hex,b4@acme.com,,Acme,0x10,,,
            B5,Minus,b5@acme.com,,Acme,-5,,,
            B6,Far Zone,b6@acme.com,,,,2026-03-01T09:30:00+99:00,,
            B7,Year Zero,b7@acme.com,,,,0000-01-01,,
            B8,Year Never,b8@acme.com,,,,9999-12-31,,
            G9,Good Two,two@acme.com,,Initech,"1,200",2200-12-31T23:59:59+14:00,,
            B10,Decimal Comma,b10@acme.com,,Acme,"1,5",,,
            B11,Short Group,b11@acme.com,,Acme,"2,30",,,
            G12,Good Three,three@acme.com,,Globex,"1,200,000",,,

            """).utf8)
        let summary = try importer(store, .leads).run(path: scratch.file("wrong.csv", bytes: bytes))

        let problems = Dictionary(uniqueKeysWithValues: summary.rejected.map { ($0.line, $0.reason) })
        #expect(problems.keys.sorted() == [3, 4, 5, 6, 7, 8, 10, 11])
        #expect(problems[3] == "field 2 holds a NUL byte (\\0), which no text may hold")
        #expect(problems[4] == "employees '0x10' is not a whole number")
        #expect(problems[5] == "employees '-5' is negative; a count is zero or more")
        #expect(problems[6]?.hasPrefix("created_at '2026-03-01T09:30:00+99:00' is not a date") == true)
        #expect(problems[7] == "created_at '0000-01-01' is outside the years 1900 to 2200")
        #expect(problems[8] == "created_at '9999-12-31' is outside the years 1900 to 2200")
        // A comma separates thousands only before groups of three digits: "1,5" is a decimal comma.
        #expect(problems[10] == "employees '1,5' is not a whole number")
        #expect(problems[11] == "employees '2,30' is not a whole number")
        #expect(try Set(store.leads(LeadQuery()).map(\.externalId)) == ["G1", "G9", "G12"])
        #expect(try store.account(named: "Initech")?.employees == 1_200)
        #expect(try store.account(named: "Globex")?.employees == 1_200_000)
    }

    @Test(arguments: StoreKind.allCases) func anEmptyFileIsAnErrorAndAHeaderOnlyFileImportsNothing(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        do {
            _ = try importer(store, .leads).run(path: scratch.file("empty.csv", ""))
            Issue.record("an empty file imported")
        } catch {
            #expect("\(error)".hasSuffix("empty.csv:1: the file is empty: expected a header line"))
        }
        let summary = try importer(store, .leads).run(path: scratch.file("header.csv", Self.header))
        #expect(summary.read == 0)
        #expect(summary.notes.contains("the file has a header but no rows"))
        #expect(try store.counts().leads == 0)
    }

    @Test(arguments: StoreKind.allCases) func aFileWithoutAKeyColumnIsRefusedBeforeAnyRow(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        #expect(throws: FileError.self) {
            try importer(store, .leads).run(path: scratch.file("nokey.csv", "name,title\nAda,CTO\n"))
        }
    }

    @Test(arguments: StoreKind.allCases) func strictRefusesTheWholeFileOnOneBadRow(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let csv = scratch.file("strict.csv", Self.header + "G1,Good,g@acme.com,,,,,,\nB2,Bad,b@acme.com,,,,not-a-date,,\n")
        let summary = try importer(store, .leads, strict: true, batchSize: 1).run(path: csv)
        #expect(summary.refused)
        #expect(summary.rejected.map(\.line) == [3])
        #expect(summary.inserted == 0)
        #expect(try store.counts().leads == 0)
        let clean = scratch.file("clean.csv", Self.header + "G1,Good,g@acme.com,,,,,,\n")
        #expect(try importer(store, .leads, strict: true).run(path: clean).inserted == 1)
    }

    @Test(arguments: StoreKind.allCases) func aDryRunCountsButWritesNothing(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let csv = scratch.file("dry.csv", Self.header + "G1,Good,g@acme.com,,Acme,10,,,\nG2,Two,t@acme.com,,,,,,\n")
        let summary = try importer(store, .leads, dryRun: true).run(path: csv)
        #expect((summary.read, summary.inserted, summary.dryRun) == (2, 2, true))
        #expect(try store.counts() == StoreCounts())
    }

    @Test(arguments: StoreKind.allCases) func eventsFindTheirLeadByExternalIdOrEmailAndDoNotDuplicate(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + "L1,Ada,Ada@Acme.com,,,,,,\n"))
        let events = scratch.file("e.csv", """
            lead,email,kind,occurred_at,detail
            L1,,Webinar Attended,2026-11-01T15:00:00Z,Q4 launch
            ,ada@acme.com,pricing_page_visit,2026-11-02,/pricing
            NOPE,,web_visit,2026-11-02,/
            L1,,web_visit,,/
            """)
        let summary = try importer(store, .events).run(path: events)
        #expect(summary.inserted == 2)
        #expect(summary.rejected.map(\.line) == [4, 5])
        #expect(summary.rejected[0].reason.contains("no lead with external id 'NOPE'"))
        let stored = try store.events(leadId: try #require(try store.lead(externalId: "L1")?.id))
        #expect(stored.map(\.kind) == ["webinar_attended", "pricing_page_visit"])
        let again = try importer(store, .events).run(path: events)
        #expect(again.inserted == 0)
        #expect(try store.counts().events == 2)
    }

    @Test(arguments: StoreKind.allCases) func objectionsAreClassifiedWhenNoThemeIsGivenAndUpsertOnReImport(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        _ = try importer(store, .leads).run(path: scratch.file("l.csv", "external_id,name,email,company,industry\nL1,Ada,ada@acme.com,Acme Corp,Software\n"))
        let csv = scratch.file("o.csv", """
            lead,account,text,theme,logged_by,at
            L1,,"It's too expensive for us",,Dana,2026-11-18T10:00:00Z
            ,Acme Corp,Legal won't accept the liability terms,contract,Sam,2026-11-19
            ,Globex,We went with another vendor,,Sam,2026-11-19
            """)
        let summary = try importer(store, .objections).run(path: csv)
        #expect(summary.inserted == 2)
        #expect(summary.rejected.map(\.reason) == ["no account named 'Globex'"])
        let stored = try store.objections(from: .distantPast, to: .distantFuture)
        #expect(stored.map(\.theme) == ["price", "contract"])
        #expect(stored[0].accountId != nil, "an objection from a lead belongs to the lead's account too")
        #expect(stored[0].loggedBy == "Dana")
        // The classifier's confidence is kept for the row it classified, none for the one the file named.
        #expect((stored[0].confidence ?? 0) > 0.9)
        #expect(stored[1].confidence == nil)
        let bySoftware = try store.countObjections(from: .distantPast, to: .distantFuture, by: nil, industry: "software")
        #expect(bySoftware.reduce(0) { $0 + $1.count } == 2, "each objection keeps its account's industry")
        let again = try importer(store, .objections).run(path: csv)
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 2), "the same objections again change nothing")
        #expect(try store.counts().objections == 2)
    }

    @Test(arguments: StoreKind.allCases) func hubSpotExportsImportWithThePresetDetected(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let csv = scratch.file("hubspot.csv", """
            Record ID,First Name,Last Name,Email,Job Title,Lifecycle Stage,Company Name,Number of Employees,Create Date,Original Source,Industry
            101,Ada,Lovelace,ada@acme.com,CTO,marketingqualifiedlead,Acme Corp,850,2026-09-14 10:22,Organic Search,Software
            102,Grace,Hopper,grace@globex.com,VP Ops,customer,Globex,"2,300",2026-08-01 08:00,Referrals,Manufacturing
            """)
        let summary = try importer(store, .leads).run(path: csv)
        #expect(summary.mapping == "hubspot preset")
        #expect(summary.inserted == 2)
        let ada = try #require(try store.lead(externalId: "101"))
        #expect(ada.name == "Ada Lovelace")
        #expect(ada.stage == .mql)
        #expect(ada.source == "Organic Search", "a source keeps the CRM's name: organic search is not a web form")
        #expect(try store.lead(externalId: "102")?.stage == .won)
        #expect(try store.account(named: "Globex")?.employees == 2300)
        #expect(try store.account(named: "Globex")?.industry == "Manufacturing")
    }

    @Test(arguments: StoreKind.allCases) func salesforceExportsImportWithThePreset(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let csv = scratch.file("sf.csv", """
            Lead ID,First Name,Last Name,Title,Company / Account,Email,Lead Source,Lead Owner,Create Date,Lead Status,Country
            00Q1,Alan,Turing,Head of Research,Initech,alan@initech.com,Web,Dana Reyes,2026-10-05,Working - Contacted,UK
            """)
        let summary = try importer(store, .leads, mapping: MappingPreset.salesforce.mapping).run(path: csv)
        #expect(summary.inserted == 1)
        let alan = try #require(try store.lead(externalId: "00Q1"))
        #expect(alan.stage == .sal)
        #expect(alan.owner == "Dana Reyes")
        #expect(alan.seniority == .director)
        #expect(try store.account(named: "Initech")?.country == "UK")
    }

    @Test(arguments: StoreKind.allCases) func theXEducationExportImportsInFull(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let mapping = try Mapping.load(path: "\(repositoryRoot)/examples/x-education/mapping.yaml")
        // Under the example's definition, whose themes the mapping files the notes' objections under.
        let themes = try DefinitionParser.load(path: "\(repositoryRoot)/examples/x-education/definition.yaml").themes
        let summary = try importer(store, .leads, mapping: mapping, themes: themes).run(path: xEducationCSV)
        #expect(summary.read == 9_240)
        #expect(summary.inserted == 9_240)
        #expect(summary.rejected.isEmpty)
        #expect(summary.notes.contains { $0.contains("9240 leads in the file have no created date") })
        // The Tags that are objections are said, by theme, as the mapping files them.
        #expect(summary.notes.contains("1638 leads' notes are objections, kept once per lead under their themes (need 780, eligibility 645, competition 194, timing 13, price 6): `objections` counts them"), "\(summary.notes)")
        var wonQuery = LeadQuery()
        wonQuery.outcomes = [.won]
        var lostQuery = LeadQuery()
        lostQuery.outcomes = [.lost]
        let (won, lost) = (try store.countLeads(wonQuery), try store.countLeads(lostQuery))
        let all = try store.leads(LeadQuery())
        let notes = all.filter { $0.notes == "Will revert after reading the email" }.count
        let selects = all.filter { $0.attributes.values.contains("Select") }.count
        #expect(won == 3_561, "Converted = 1 is the outcome")
        #expect(lost == 9_240 - 3_561)
        #expect(notes == 2_072, "Tags are kept as the sales notes")
        #expect(selects == 0, "Select is treated as empty")
        let first = try #require(try store.lead(externalId: "7927b2df-8bba-4d29-b9a2-b6e0beafe620"))
        #expect(first.name == "Lead 660737")
        #expect(first.source == "Olark Chat")
        #expect(first.attributes["origin"] == "API")
        #expect(first.attributes["occupation"] == "Unemployed")
        #expect(first.attributes["Specialization"] == nil, "Select in Specialization is empty")
        #expect(first.notes == "Interested in other courses")
        let again = try importer(store, .leads, mapping: mapping, themes: themes).run(path: xEducationCSV)
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 9_240), "the same export again changes nothing")
        #expect(try store.counts().leads == 9_240)
    }

    @Test(arguments: StoreKind.allCases) func aKeyTwiceInOneFileMeansTheSecondRowUpdatesTheFirst(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        let leads = try importer(store, .leads).run(path: scratch.file("l.csv", Self.header + """
            L1,Ada,ada@acme.com,CTO,Acme,850,2026-10-01,inquiry,open
            L2,Grace,grace@acme.com,,acme,,2026-10-02,,
            L1,Ada King,,,,,,mql,
            """))
        #expect((leads.inserted, leads.updated) == (2, 0))
        #expect(leads.notes.contains { $0.contains("1 row gave a lead that a later row gives again") })
        let ada = try #require(try store.lead(externalId: "L1"))
        #expect((ada.name, ada.title, ada.stage) == ("Ada King", "CTO", .mql))
        #expect(try store.transitions(leadId: ada.id!).map(\.to) == [.mql], "the two rows are one lead, created once at the later stage")
        #expect(try store.counts().accounts == 1)

        let events = try importer(store, .events).run(path: scratch.file("e.csv", """
            lead,email,kind,occurred_at,detail
            L1,,web_visit,2026-11-01T10:00:00Z,/pricing
            ,ADA@acme.com,web_visit,2026-11-01T10:00:00Z,/pricing
            L2,,web_visit,2026-11-01T10:00:00Z,/pricing
            """))
        #expect((events.inserted, events.updated, events.unchanged) == (2, 0, 1), "the same event by id and by email lands once")

        let objections = try importer(store, .objections).run(path: scratch.file("o.csv", """
            external_id,lead,text,theme,logged_by,at
            O1,L1,too expensive,price,Dana,2026-11-18
            O1,L1,too expensive this year,price,Dana,2026-11-18
            """))
        #expect((objections.inserted, objections.updated) == (1, 1))
        #expect(try store.objections(from: .distantPast, to: .distantFuture).map(\.text) == ["too expensive this year"])
    }

    @Test(arguments: StoreKind.allCases) func aLeadGivenAgainBatchesLaterIsWrittenOnceAtItsLastRow(kind: StoreKind) throws {
        let scratch = Scratch()
        let store = try scratch.store(kind)
        // Batches of two rows: each lead's rows are several batches apart, in both orders.
        let file = scratch.file("l.csv", Self.header + """
            L1,Ada,ada@acme.com,CTO,Acme,850,2026-10-01,mql,open
            L2,Grace,grace@acme.com,VP Sales,Acme,,2026-10-02,sql,open
            F1,Filler One,f1@acme.com,,Acme,,2026-10-03,inquiry,open
            F2,Filler Two,f2@acme.com,,Acme,,2026-10-03,inquiry,open
            F3,Filler Three,f3@acme.com,,Acme,,2026-10-03,inquiry,open
            F4,Filler Four,f4@acme.com,,Acme,,2026-10-03,inquiry,open
            L1,Ada King,,,,,,sql,
            F5,Filler Five,f5@acme.com,,Acme,,2026-10-03,inquiry,open
            L2,Grace Hopper,,,,,,mql,
            """)
        for run in 1...2 {
            let summary = try importer(store, .leads, batchSize: 2).run(path: file)
            #expect(summary.rejected.isEmpty, "run \(run): \(summary.rejected)")
            #expect(summary.notes.contains { $0.contains("2 rows gave a lead that a later row gives again") }, "run \(run): \(summary.notes)")
            let ada = try #require(try store.lead(externalId: "L1"))
            #expect((ada.name, ada.title, ada.stage) == ("Ada King", "CTO", .sql), "the later cells win, an empty one keeps the earlier")
            #expect(try store.transitions(leadId: ada.id!).map(\.to) == [.sql], "run \(run): created once, at the last row's stage")
            let grace = try #require(try store.lead(externalId: "L2"))
            #expect((grace.name, grace.stage) == ("Grace Hopper", .mql), "the last row wins, even a stage lower than an earlier row's")
            #expect(try store.transitions(leadId: grace.id!).map(\.to) == [.mql], "run \(run)")
            #expect(try store.counts().leads == 7)
        }
    }
}
