import Foundation
import Testing
@testable import HandoffCore

/// The rows of a lead a file gives more than once are held back and written once, at the last row.
@Suite struct RepeatedLeadsTests {
    static let header = ["external_id", "name", "email", "stage"]

    func scanned(_ rows: [String]) throws -> (RepeatedLeads, RowConverter, [CSVRecord]) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("repeated-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ([Self.header.joined(separator: ",")] + rows).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let converter = try RowConverter(
            mapping: Mapping.detect(kind: .leads, header: Self.header), header: Self.header, file: path, now: Date(),
            classifier: ThemeClassifier(themes: []), actor: "test")
        let repeated = try #require(try RepeatedLeads.scan(path: path, delimiter: ",", converter: converter, isCancelled: { false }))
        let reader = try CSVReader(path: path)
        _ = reader.next()
        var records: [CSVRecord] = []
        while let record = reader.next() { records.append(record) }
        return (repeated, converter, records)
    }

    func lead(_ converter: RowConverter, _ record: CSVRecord) throws -> LeadRecord {
        guard case .success(.lead(let lead)) = converter.convert(record) else { throw CancellationError() }
        return lead
    }

    @Test func aRepeatedLeadIsWrittenOnceAtItsLastRowWithTheEarlierCellsFoldedIn() throws {
        let (repeated, converter, records) = try scanned([
            "L1,Ada,ada@acme.com,mql", "L2,Grace,grace@acme.com,sql", "L1,Ada King,,sql", "L3,Alan,alan@acme.com,",
        ])
        var folder = RepeatedLeads.Folder(repeated)
        var written: [LeadRecord] = []
        for record in records {
            if let ready = folder.take(try lead(converter, record)) { written.append(ready) }
        }
        written += folder.rest()
        #expect(written.map(\.externalId) == ["L2", "L1", "L3"])
        #expect((written[1].name, written[1].email, written[1].stage, written[1].line) == ("Ada King", "ada@acme.com", .sql, 4))
        #expect(folder.folded == 1)
    }

    @Test func pastTheHoldLimitRowsAreWrittenAsTheyComeAndCounted() throws {
        let (repeated, converter, records) = try scanned(["L1,Ada,,mql", "L2,Grace,,mql", "L1,Ada,,sql", "L2,Grace,,sql"].map { $0.replacingOccurrences(of: ",,", with: ",x@acme.com,") })
        var folder = RepeatedLeads.Folder(repeated, holdLimit: 1)
        var written: [String] = []
        for record in records {
            if let ready = folder.take(try lead(converter, record)) { written.append("\(ready.externalId):\(ready.stage!.rawValue)") }
        }
        #expect(written == ["L2:mql", "L1:sql", "L2:sql"], "L1 waits; L2 finds the one place taken")
        #expect((folder.folded, folder.unheld) == (1, 1))
    }

    @Test func aLeadWhoseLastRowIsBadIsWrittenAtTheEndOfTheFile() throws {
        let (repeated, converter, records) = try scanned(["L1,Ada,ada@acme.com,mql", "L2,Grace,grace@acme.com,", "L1,Ada,ada@acme.com,stuck"])
        var folder = RepeatedLeads.Folder(repeated)
        var written: [String] = []
        for record in records {
            guard let lead = try? lead(converter, record) else { continue }
            if let ready = folder.take(lead) { written.append(ready.externalId) }
        }
        written += folder.rest().map(\.externalId)
        #expect(written == ["L2", "L1"], "the bad last row is refused by the import; the good one before it still lands")
    }
}
