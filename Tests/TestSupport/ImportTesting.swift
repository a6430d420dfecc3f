public import Foundation
public import HandoffCore

// What the store suites share: a throw-away folder for files, and an importer on a fixed clock.

/// A throw-away folder, removed when the test ends; each suite's `Scratch` adds its stores.
open class ScratchFolder {
    public let directory: String

    public init() {
        directory = NSTemporaryDirectory() + "handoff-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    @discardableResult
    public func file(_ name: String, _ text: String) -> String {
        file(name, bytes: Array(text.utf8))
    }

    @discardableResult
    public func file(_ name: String, bytes: [UInt8]) -> String {
        let path = "\(directory)/\(name)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

public let importTime = Timestamp.parse("2026-11-20T10:00:00Z")!

public func importer(
    _ store: any LeadStore, _ kind: ImportKind, mapping: Mapping? = nil, dryRun: Bool = false, strict: Bool = false,
    batchSize: Int = 5_000, themes: [Theme] = DefaultDefinition.load().themes
) -> Importer {
    var options = Importer.Options()
    options.dryRun = dryRun
    options.strict = strict
    options.now = importTime
    options.actor = "tester"
    options.batchSize = batchSize
    return Importer(store: store, kind: kind, mapping: mapping, classifier: ThemeClassifier(themes: themes), options: options)
}

/// The repository's root, for the examples and the shared dataset beside it.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
public let xEducationCSV = "\(repositoryRoot)/../shared/data/x-education/Leads.csv"
