import Foundation
import HandoffCore
import HandoffSQLite

/// A throw-away folder with a fresh database in it, removed when the test ends.
final class Scratch {
    let directory: String

    init() {
        directory = NSTemporaryDirectory() + "handoff-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    var databasePath: String { "\(directory)/handoff.sqlite" }

    func store() throws -> SQLiteStore { try SQLiteStore(path: databasePath) }

    @discardableResult
    func file(_ name: String, _ text: String) -> String {
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @discardableResult
    func file(_ name: String, bytes: [UInt8]) -> String {
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

let importTime = Timestamp.parse("2026-11-20T10:00:00Z")!

func importer(
    _ store: any LeadStore, _ kind: ImportKind, mapping: Mapping? = nil, dryRun: Bool = false, strict: Bool = false,
    batchSize: Int = 5_000
) -> Importer {
    var options = Importer.Options()
    options.dryRun = dryRun
    options.strict = strict
    options.now = importTime
    options.actor = "tester"
    options.batchSize = batchSize
    return Importer(store: store, kind: kind, mapping: mapping, classifier: ThemeClassifier(themes: DefaultDefinition.load().themes), options: options)
}

/// The repository's root, for the examples and the shared dataset beside it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let xEducationCSV = "\(repositoryRoot)/../shared/data/x-education/Leads.csv"
