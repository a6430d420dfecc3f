import Foundation

/// Streams a CSV export into the store: reads a batch of rows, converts them through the mapping,
/// and writes each batch in one transaction. Bad rows are reported by line while good rows land;
/// with `strict`, one bad row refuses the whole file. Because leads upsert by external id and each
/// batch commits whole, an import that is killed can simply be run again.
public struct Importer {
    public struct Options: Sendable {
        public var dryRun = false
        public var strict = false
        public var batchSize = 5_000
        public var actor = "import"
        public var now = Date()

        public init() {}
    }

    public let store: any LeadStore
    public let kind: ImportKind
    /// The mapping to use; nil detects a preset from the header, or reads columns named after fields.
    public let mapping: Mapping?
    public let classifier: ThemeClassifier
    public let options: Options
    /// Called after each batch with bytes read and the file's size.
    public var progress: ((Int, Int) -> Void)?
    /// Checked between batches: a cancelled import stops after the batch it was writing.
    public var isCancelled: () -> Bool = { false }

    public init(store: any LeadStore, kind: ImportKind, mapping: Mapping?, classifier: ThemeClassifier, options: Options) {
        self.store = store
        self.kind = kind
        self.mapping = mapping
        self.classifier = classifier
        self.options = options
    }

    public func run(path: String) throws -> ImportSummary {
        if let mapping, mapping.kind != kind {
            throw UsageError(
                "the mapping \(mapping.name) is for \(mapping.kind.rawValue), not \(kind.rawValue)",
                hint: "run `import \(mapping.kind.rawValue) \(path) --mapping \(mapping.name)`")
        }
        if options.strict && !options.dryRun {
            // Read the whole file once without writing; only a clean file is written.
            var checked = try pass(path: path, dryRun: true, reportProgress: false)
            if !checked.rejected.isEmpty || checked.cancelled {
                checked.inserted = 0
                checked.updated = 0
                checked.dryRun = false
                checked.strict = true
                checked.refused = !checked.rejected.isEmpty
                return checked
            }
        }
        var summary = try pass(path: path, dryRun: options.dryRun, reportProgress: true)
        summary.strict = options.strict
        return summary
    }

    private func pass(path: String, dryRun: Bool, reportProgress: Bool) throws -> ImportSummary {
        let reader = try CSVReader(path: path, delimiter: mapping?.delimiter ?? ",")
        guard let header = reader.next() else {
            throw FileError(code: "bad_csv", file: path, line: 1, problem: "the file is empty: expected a header line")
        }
        if let problem = header.problem {
            throw FileError(code: "bad_csv", file: path, line: header.line, problem: "the header is unreadable: \(problem)")
        }
        let chosen = mapping ?? Mapping.detect(kind: kind, header: header.fields)
        let converter = try RowConverter(
            mapping: chosen, header: header.fields, file: path, now: options.now, classifier: classifier, actor: options.actor)

        var summary = ImportSummary(file: path, kind: kind, mapping: chosen.name, dryRun: dryRun)
        var records: [ImportRecord] = []
        records.reserveCapacity(options.batchSize)
        var undated = 0

        func flush() throws {
            guard !records.isEmpty else { return }
            let batch = ImportBatch(records: records, actor: options.actor, at: options.now, sourceName: path)
            let outcome = try store.apply(batch, dryRun: dryRun)
            summary.inserted += outcome.inserted
            summary.updated += outcome.updated
            summary.rejected += outcome.rejected
            records.removeAll(keepingCapacity: true)
            if reportProgress { progress?(reader.bytesRead, reader.totalBytes) }
        }

        while let record = reader.next() {
            summary.read += 1
            switch converter.convert(record) {
            case .success(let converted):
                if case .lead(let lead) = converted, lead.createdAt == nil { undated += 1 }
                records.append(converted)
            case .failure(let problem):
                summary.rejected.append(problem)
            }
            if records.count >= options.batchSize {
                try flush()
                if isCancelled() {
                    summary.cancelled = true
                    break
                }
            }
        }
        if !summary.cancelled { try flush() }
        summary.rejected.sort { $0.line < $1.line }
        if summary.read == 0 { summary.notes.append("the file has a header but no rows") }
        if undated > 0 {
            summary.notes.append(
                "\(undated) lead\(undated == 1 ? " has" : "s have") no created date; new ones are placed at the import time, \(Timestamp.iso(options.now))")
        }
        return summary
    }
}

/// What an import did: the figures the summary line shows and the rows it refused.
public struct ImportSummary: Sendable {
    public var file: String
    public var kind: ImportKind
    public var mapping: String
    public var dryRun: Bool
    public var strict = false
    /// True when `strict` refused the file because of bad rows: nothing was written.
    public var refused = false
    /// True when the import was interrupted: the batches before it landed, the rest did not.
    public var cancelled = false
    public var read = 0
    public var inserted = 0
    public var updated = 0
    public var rejected: [RowProblem] = []
    public var notes: [String] = []

    public init(file: String, kind: ImportKind, mapping: String, dryRun: Bool) {
        self.file = file
        self.kind = kind
        self.mapping = mapping
        self.dryRun = dryRun
    }
}
