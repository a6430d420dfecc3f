import Foundation
import HandoffTestSupport
import GRDB
import Testing
import HandoffCore
@testable import HandoffSQLite

/// The batches of one import share the accounts they have looked up, for as long as nobody else
/// writes to the database.
@Suite struct ImportAccountsTests {
    static let header = "external_id,name,company,industry\n"

    @Test func anAccountChangedByAnotherSessionBetweenBatchesIsReadAgain() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let other = try scratch.store()
        let csv = Self.header + "A1,Ada,Acme,software\nA2,Bob,Acme,software\nA3,Cy,Acme,software\n"
        var importer = importer(store, .leads, batchSize: 1)
        var batches = 0
        importer.progress = { _, _ in
            batches += 1
            // After the first batch, another session changes the account the next rows name.
            if batches == 1 {
                try! other.database.write { db in try db.execute(sql: "UPDATE accounts SET industry = 'retail' WHERE name = 'Acme'") }
            }
        }
        let summary = try importer.run(path: scratch.file("acme.csv", csv))
        #expect((summary.inserted, batches) == (3, 3))
        #expect(try store.account(named: "Acme")?.industry == "software", "the file's value replaces what the other session stored")
        #expect(try store.counts().accounts == 1)
    }

    @Test func aLaterBatchFillsInWhatAnEarlierRowLeftBlankAndReplacesWhatItChanges() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let header = "external_id,name,company,industry,employees\n"
        _ = try importer(store, .leads, batchSize: 1).run(path: scratch.file("a.csv", header + "A1,Ada,Acme,,\nA2,Bob,Acme,software,\nA3,Cy,acme,,120\n"))
        #expect(try store.account(named: "Acme").map { ($0.industry, $0.employees) }! == ("software", 120))
        _ = try importer(store, .leads, batchSize: 1).run(path: scratch.file("b.csv", header + "A1,Ada,Acme,,\nA4,Di,Acme,retail,\n"))
        #expect(try store.account(named: "Acme").map { ($0.industry, $0.employees) }! == ("retail", 120), "an empty cell keeps what is stored")
    }

    @Test func anAccountLookedUpInOneBatchIsNotCreatedAgainInTheNext() throws {
        let scratch = Scratch()
        let store = try scratch.store()
        let csv = Self.header + "A1,Ada,Acme,software\nA2,Bob,ACME ,\nA3,Cy,Initech,retail\nA4,Di,acme,\n"
        let summary = try importer(store, .leads, batchSize: 1).run(path: scratch.file("acme.csv", csv))
        #expect(summary.inserted == 4)
        #expect(try store.counts().accounts == 2)
        let acme = try #require(try store.account(named: "Acme"))
        #expect(acme.industry == "software")
        #expect(try ["A1", "A2", "A4"].map { try store.lead(externalId: $0)?.accountId } == [acme.id, acme.id, acme.id])
        #expect(!store.importMemos.holdsAny, "what the pass learned of its accounts is let go when it ends")
    }
}
