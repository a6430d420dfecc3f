public import Foundation

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
        /// The event kinds the definition in force gives points, so an events file can be told of
        /// the kinds it holds that count for nothing; nil leaves that unsaid.
        public var scoredKinds: Set<String>?

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
            throw MappingKindMismatch(mapping: mapping.name, mappingKind: mapping.kind, kind: kind)
        }
        if options.strict && !options.dryRun {
            // Read the whole file once without writing; only a clean file is written.
            var checked = try pass(path: path, dryRun: true, reportProgress: false)
            if checked.rejectedCount > 0 || checked.cancelled {
                checked.inserted = 0
                checked.updated = 0
                checked.unchanged = 0
                checked.dryRun = false
                checked.strict = true
                checked.refused = checked.rejectedCount > 0
                return checked
            }
        }
        var summary = try pass(path: path, dryRun: options.dryRun, reportProgress: true)
        summary.strict = options.strict
        return summary
    }

    /// A lead row with no external id updates the stored lead with its email, whatever that lead's
    /// external id: the row takes it as its key. (Without one stored, the email stays the key.)
    /// A row without an id whose email another row of the file gives with an id is refused, named
    /// with that row: the two are one person, written as two leads (or one lead twice) otherwise.
    static func matchingByEmail(
        _ records: [ImportRecord], stored: [String: String], inFile: [String: (line: Int, externalId: String)] = [:]
    ) -> (records: [ImportRecord], refused: [RowProblem]) {
        guard !stored.isEmpty || !inFile.isEmpty else { return (records, []) }
        var refused: [RowProblem] = []
        let matched = records.compactMap { record -> ImportRecord? in
            guard case .lead(var lead) = record, lead.keyedByEmail else { return record }
            if let row = inFile[lead.externalId] {
                refused.append(RowProblem(
                    line: lead.line,
                    reason: "no external id, and its email is that of line \(row.line)'s lead \(row.externalId): give the row that id to update it, or leave one of the two rows out"))
                return nil
            }
            guard let externalId = stored[lead.externalId] else { return record }
            lead.externalId = externalId
            return .lead(lead)
        }
        return (matched, refused)
    }

    /// Two columns of one name would each be read for the same field or attribute, and only one
    /// of them would be kept, without a word: the file is refused instead. Columns with no name
    /// (a trailing comma, as spreadsheets save) read nothing and may repeat.
    static func refuseRepeatedColumns(_ header: CSVRecord, file: String) throws {
        var seen: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let key = name.trimmingWhitespace().lowercased()
            guard !key.isEmpty else { continue }
            if let earlier = seen[key] {
                throw FileError(
                    code: "bad_csv", file: file, line: header.line,
                    problem: "the header names '\(name.trimmingWhitespace())' twice (columns \(earlier + 1) and \(position + 1))",
                    hint: "rename or remove one of the two columns")
            }
            seen[key] = position
        }
    }

    /// What the file at `path` holds, by its header; nil when the header does not say.
    public static func guessKind(path: String) throws -> ImportKind? {
        let reader = try CSVReader(path: path, delimiter: Delimiter.sniff(path: path))
        guard let header = reader.next(), header.problem == nil else { return nil }
        return ImportKind.guess(header: header.fields)
    }

    private func pass(path: String, dryRun: Bool, reportProgress: Bool) throws -> ImportSummary {
        // A mapping that names another delimiter than the comma is followed; otherwise the header
        // says which it is (a semicolon export is a comma export saved in another locale).
        let named = mapping?.delimiter ?? ","
        let delimiter = named == "," ? Delimiter.sniff(path: path) : named
        let reader = try CSVReader(path: path, delimiter: delimiter)
        guard let header = reader.next() else {
            throw FileError(code: "bad_csv", file: path, line: 1, problem: "the file is empty: expected a header line")
        }
        if let problem = header.problem {
            throw FileError(code: "bad_csv", file: path, line: header.line, problem: "the header is unreadable: \(problem)")
        }
        try Self.refuseRepeatedColumns(header, file: path)
        let chosen = mapping ?? Mapping.detect(kind: kind, header: header.fields)
        let converter = try RowConverter(
            mapping: chosen, header: header.fields, file: path, now: options.now, classifier: classifier, actor: options.actor)

        var summary = ImportSummary(file: path, kind: kind, mapping: chosen.name, dryRun: dryRun)
        if !converter.filledAfterContact.isEmpty {
            // What the file holds says so whatever becomes of its rows, so the mark comes first.
            if !dryRun { try store.markFilledAfterContact(converter.filledAfterContact, mapping: chosen.name, at: options.now) }
            summary.notes.append(
                "filled in by sales after contact, so no definition may score them: \(converter.filledAfterContact.joined(separator: ", "))")
        }
        var repeated: RepeatedLeads?
        if kind == .leads {
            repeated = try RepeatedLeads.scan(path: path, delimiter: delimiter, converter: converter, isCancelled: isCancelled)
            if repeated == nil {
                summary.cancelled = true
                return summary
            }
        }
        // The stored leads the rows without an external id update, found by their emails at once,
        // before a big import sets the email index aside.
        let byEmail = try repeated.map { $0.emailKeys.isEmpty ? [:] : try store.externalIds(ofLeadsWithEmails: $0.emailKeys) } ?? [:]
        var undated = 0
        // Events a score will not count (yet): dated after the clock, or of a kind nobody scores;
        // leads created after it (a typo in a year, say).
        var future = 0
        /// The leads whose notes the mapping files as objections, by theme.
        var notedObjections: [String: Int] = [:]
        var unscored: [String: Int] = [:]
        let pass = ImportPass()
        defer { store.endImportPass(pass) }
        // Reading and converting run on a thread of their own while this one writes: the two
        // halves cost about the same, and a machine has more than one core.
        let chunks = ChunkQueue(capacity: 2)
        let producer = ChunkProducer(
            reader: reader, converter: converter, folder: repeated.map { RepeatedLeads.Folder($0) }, batchSize: options.batchSize, queue: chunks)
        producer.start()
        defer { chunks.abandon() }

        // A big file into a small store: let the store set index upkeep aside (see prepareImport).
        var prepared = false
        defer { if prepared { _ = try? store.finishImport(of: kind) } }
        while let chunk = chunks.take() {
            if !prepared && !dryRun && chunk.bytesConsumed > 0 {
                let expected = Int(Double(chunk.read) * Double(reader.totalBytes) / Double(chunk.bytesConsumed))
                try store.prepareImport(of: kind, expectedRows: expected)
                prepared = true
            }
            summary.read += chunk.read
            summary.reject(chunk.rejected, among: chunk.rejectedCount)
            undated += chunk.undated
            if !chunk.records.isEmpty {
                let (records, refused) = Self.matchingByEmail(chunk.records, stored: byEmail, inFile: repeated?.emailsOfIdRows ?? [:])
                summary.reject(refused, among: refused.count)
                let batch = ImportBatch(records: records, actor: options.actor, at: options.now, sourceName: path, pass: pass)
                let outcome = try store.apply(batch, dryRun: dryRun)
                let refusedLines = Set(outcome.rejected.map(\.line))
                if kind == .events {
                    for case .event(let event) in records where refusedLines.isEmpty || !refusedLines.contains(event.line) {
                        if event.occurredAt > options.now { future += 1 }
                        if let scored = options.scoredKinds, !scored.contains(event.kind) { unscored[event.kind, default: 0] += 1 }
                    }
                }
                if kind == .leads {
                    for case .lead(let lead) in records where refusedLines.isEmpty || !refusedLines.contains(lead.line) {
                        if let created = lead.createdAt, created > options.now { future += 1 }
                        if let (_, theme) = lead.notedObjection { notedObjections[theme, default: 0] += 1 }
                    }
                }
                summary.inserted += outcome.inserted
                summary.updated += outcome.updated
                summary.unchanged += outcome.unchanged
                summary.reject(outcome.rejected, among: outcome.rejected.count)
                if reportProgress { progress?(chunk.bytesRead, reader.totalBytes) }
            }
            if chunk.full && isCancelled() {
                summary.cancelled = true
                break
            }
        }
        chunks.abandon()
        if prepared {
            prepared = false
            let repeated = try store.finishImport(of: kind)
            summary.inserted -= repeated
            // A repeated event is the same event; a repeated lead or objection's later row won.
            if kind == .events { summary.unchanged += repeated } else { summary.updated += repeated }
        }
        summary.rejected.sort { $0.line < $1.line }
        if summary.read == 0 { summary.notes.append("the file has a header but no rows") }
        if delimiter != "," { summary.notes.append("fields are separated by \(Delimiter.name(delimiter)), as the header shows") }
        let folded = producer.folded
        if folded.rows > 0 {
            summary.notes.append(
                "\(folded.rows) row\(folded.rows == 1 ? "" : "s") gave a lead that a later row gives again; the rows count as one, the later cells winning")
        }
        if folded.unheld > 0 {
            summary.notes.append(
                "\(folded.unheld) row\(folded.unheld == 1 ? "" : "s") of leads given again were written as they came, since \(RepeatedLeads.Folder.holdLimit.formatted()) leads were already waiting for their last row")
        }
        if future > 0 && kind == .leads {
            summary.notes.append(
                "\(future) lead\(future == 1 ? " is" : "s are") created after \(Timestamp.iso(options.now)), the time of the import: check the dates (a year mistyped?); `leads` lists \(future == 1 ? "it" : "them") by created date")
        }
        if !notedObjections.isEmpty {
            let total = notedObjections.values.reduce(0, +)
            summary.notes.append(
                "\(total) lead\(total == 1 ? "'s notes are an objection" : "s' notes are objections"), kept once per lead under their themes ("
                    + notedObjections.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    + "): `objections` counts them")
        }
        if future > 0 && kind == .events {
            summary.notes.append(
                "\(future) event\(future == 1 ? " is" : "s are") dated after \(Timestamp.iso(options.now)), the time of the import: no score counts \(future == 1 ? "it" : "them") until then")
        }
        if !unscored.isEmpty {
            let kinds = unscored.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            let total = unscored.values.reduce(0, +)
            summary.notes.append(
                "\(total) event\(total == 1 ? " is" : "s are") of \(kinds.count == 1 ? "a kind" : "kinds") the definition in force gives no points: "
                    + kinds.prefix(8).map { "\($0.key) (\($0.value))" }.joined(separator: ", ") + (kinds.count > 8 ? ", …" : "")
                    + "; kept, and worth nothing to a score unless the definition scores \(kinds.count == 1 ? "it" : "them")")
        }
        if undated > 0 {
            summary.notes.append(
                "\(undated) lead\(undated == 1 ? "" : "s") in the file \(undated == 1 ? "has" : "have") no created date; "
                    + "a lead new to the database is placed at the import time, \(Timestamp.iso(options.now)), and a stored one keeps its date")
        }
        return summary
    }
}

/// One batch's worth of a file: the records converted, the rows refused, and how far it read.
private struct Chunk: Sendable {
    var records: [ImportRecord] = []
    /// The first problems of the chunk, at most `ImportSummary.problemLimit`; the rest are counted.
    var rejected: [RowProblem] = []
    var rejectedCount = 0
    var read = 0
    var undated = 0
    var bytesRead = 0
    /// How far into the file its last record ends: what the size of the rest is judged from.
    var bytesConsumed = 0
    /// A full batch (the last one of a file is usually not).
    var full = false
}

/// Reads and converts a file into chunks on its own thread. It owns the reader and the converter
/// from `start()` on; nothing else touches them.
private final class ChunkProducer: @unchecked Sendable {
    private let reader: CSVReader
    private let converter: RowConverter
    /// Holds back the rows of a lead the file gives again (leads imports only).
    private var folder: RepeatedLeads.Folder?
    private let batchSize: Int
    private let queue: ChunkQueue

    init(reader: CSVReader, converter: RowConverter, folder: RepeatedLeads.Folder?, batchSize: Int, queue: ChunkQueue) {
        self.reader = reader
        self.converter = converter
        self.folder = folder
        self.batchSize = batchSize
        self.queue = queue
    }

    /// Rows folded into a later row of their lead, and rows written as they came: read only once
    /// the producer has exited (`ChunkQueue.abandon` waits for that).
    var folded: (rows: Int, unheld: Int) { (folder?.folded ?? 0, folder?.unheld ?? 0) }

    func start() {
        let thread = Thread { [self] in run() }
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func run() {
        defer { queue.producerExited() }
        var chunk = Chunk()
        chunk.records.reserveCapacity(batchSize)
        while let record = reader.next() {
            chunk.read += 1
            switch converter.convert(record) {
            case .success(.lead(let lead)):
                guard let ready = folder == nil ? lead : folder!.take(lead) else { break }
                if ready.createdAt == nil { chunk.undated += 1 }
                chunk.records.append(.lead(ready))
            case .success(let converted):
                chunk.records.append(converted)
            case .failure(let problem):
                // A file of nothing but bad rows never fills a batch: without the cap, its chunk
                // would hold a problem for every row of the file.
                chunk.rejectedCount += 1
                if chunk.rejected.count < ImportSummary.problemLimit { chunk.rejected.append(problem) }
            }
            if chunk.records.count >= batchSize {
                chunk.bytesRead = reader.bytesRead
                chunk.bytesConsumed = reader.bytesConsumed
                chunk.full = true
                guard queue.put(chunk) else { return }
                chunk = Chunk()
                chunk.records.reserveCapacity(batchSize)
            }
        }
        for lead in folder?.rest() ?? [] {
            if lead.createdAt == nil { chunk.undated += 1 }
            chunk.records.append(.lead(lead))
        }
        chunk.bytesRead = reader.bytesRead
        chunk.bytesConsumed = reader.bytesConsumed
        if chunk.read > 0 || !chunk.records.isEmpty { _ = queue.put(chunk) }
    }
}

/// A bounded hand-over between the producer and the writer: memory holds at most `capacity`
/// chunks waiting, whatever the file's size.
private final class ChunkQueue: @unchecked Sendable {
    private let condition = NSCondition()
    private let capacity: Int
    private var waiting: [Chunk] = []
    private var producerDone = false
    private var abandoned = false

    init(capacity: Int) { self.capacity = capacity }

    /// Hands a chunk over, waiting for room; false when the writer has stopped taking them.
    func put(_ chunk: Chunk) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while waiting.count >= capacity && !abandoned { condition.wait() }
        guard !abandoned else { return false }
        waiting.append(chunk)
        condition.broadcast()
        return true
    }

    /// The next chunk, or nil once the producer has read the whole file.
    func take() -> Chunk? {
        condition.lock()
        defer { condition.unlock() }
        while waiting.isEmpty && !producerDone { condition.wait() }
        guard !waiting.isEmpty else { return nil }
        let chunk = waiting.removeFirst()
        condition.broadcast()
        return chunk
    }

    func producerExited() {
        condition.lock()
        producerDone = true
        condition.broadcast()
        condition.unlock()
    }

    /// The writer stops (done, cancelled or failed): lets the producer go and waits until it
    /// has, so the file is closed when the import returns.
    func abandon() {
        condition.lock()
        defer { condition.unlock() }
        abandoned = true
        waiting.removeAll()
        condition.broadcast()
        while !producerDone { condition.wait() }
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
    /// Rows that matched a stored record and changed nothing in it (a re-import of the same file).
    public var unchanged = 0
    /// The rows refused, by line: the first `problemLimit` of them. `rejectedCount` counts them all.
    public var rejected: [RowProblem] = []
    public var rejectedCount = 0
    public var notes: [String] = []

    /// How many problems a summary lists: a file of a million bad rows would otherwise hold a
    /// million messages in memory, and nobody reads past the first screens of them.
    public static let problemLimit = 1_000

    public init(file: String, kind: ImportKind, mapping: String, dryRun: Bool) {
        self.file = file
        self.kind = kind
        self.mapping = mapping
        self.dryRun = dryRun
    }

    /// Counts `count` rejected rows, keeping the problems with the lowest lines up to the limit.
    /// `problems` (some of those rows) come in batches in file order, though a store's refusals
    /// of a batch may precede the reader's in line.
    mutating func reject(_ problems: [RowProblem], among count: Int) {
        rejectedCount += count
        guard !problems.isEmpty else { return }
        if rejected.count >= Self.problemLimit, let last = rejected.last, problems.allSatisfy({ $0.line > last.line }) { return }
        rejected += problems
        rejected.sort { $0.line < $1.line }
        if rejected.count > Self.problemLimit { rejected.removeLast(rejected.count - Self.problemLimit) }
    }
}

/// A mapping made for one kind of file (events) given to an import of another (leads).
public struct MappingKindMismatch: HandoffError {
    public let mapping: String
    public let mappingKind: ImportKind
    public let kind: ImportKind
    public var code: String { "usage" }
    public var message: String { "the mapping \(mapping) is for \(mappingKind.rawValue), not \(kind.rawValue)" }
}
