import Foundation

/// Streams records out of a CSV file (RFC 4180: quoted fields, doubled quotes, newlines inside
/// quotes, CRLF or LF), reading a fixed-size buffer at a time so memory does not grow with the
/// file. Every record carries the line it starts on, and problems are reported on the record
/// rather than thrown, so one bad row never stops an import.
public final class CSVReader {
    /// A field longer than this is refused: no CRM field is this long, and a runaway quote would
    /// otherwise swallow the rest of the file into one value.
    public static let fieldLimit = 65_536
    /// A record longer than this is refused, and its fields are no longer kept: enough short
    /// fields cost as much memory as one long one.
    public static let recordLimit = 1 << 20
    /// A refused record still going after this many bytes ends the reading: the file is not CSV
    /// (`/dev/zero` is one endless field), and reading on would never stop.
    public static let endlessLimit = 16 << 20

    public let path: String
    public let totalBytes: Int
    public private(set) var bytesRead = 0
    /// Bytes of the file the records returned so far span (`bytesRead` is ahead by what is buffered).
    public var bytesConsumed: Int { bytesRead - (bufferCount - position) }

    private let file: UnsafeMutablePointer<FILE>
    private let delimiter: UInt8
    private var buffer = [UInt8](repeating: 0, count: 1 << 20)
    private var bufferCount = 0
    private var position = 0
    private var line = 1
    private var atFileStart = true
    /// Set once a record never ended: there are no more records.
    private var stopped = false
    private var field: [UInt8] = []
    /// When set, only these columns' text is made (the others read as ""): reading a file for one
    /// key column need not build a string for every field.
    private let keptColumns: [Bool]?

    public init(path: String, delimiter: Character = ",", onlyColumns: Set<Int>? = nil) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
              let file = fopen(path, "rb") else {
            throw FileError(code: "bad_csv", file: path, line: 1, problem: "cannot open the file: \(readProblem(path))")
        }
        self.path = path
        self.file = file
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
        self.totalBytes = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        self.keptColumns = onlyColumns.map { columns in (0...(columns.max() ?? 0)).map(columns.contains) }
        field.reserveCapacity(256)
    }

    deinit { fclose(file) }

    /// The next record, or nil at the end of the file. Blank lines are skipped.
    public func next() -> CSVRecord? {
        while !stopped {
            guard let record = readRecord() else { return nil }
            if record.fields.count == 1, record.fields[0].isEmpty, record.problem == nil { continue }
            return record
        }
        return nil
    }

    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    private func readRecord() -> CSVRecord? {
        var state = State.fieldStart
        var fields: [String] = []
        var problem: CSVRecord.Problem?
        var startLine = line
        var started = false
        var fieldTooLong = false
        // Bytes of the record so far; past `recordLimit` its fields are no longer kept.
        var recordBytes = 0

        func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            guard recordBytes <= CSVReader.recordLimit else { return }
            if let kept = keptColumns, fields.count >= kept.count || !kept[fields.count] {
                fields.append("")
                return
            }
            // A NUL byte is valid UTF-8 but no CRM's text: it ends strings in C, so the stored
            // value would read differently in every tool that opens the database.
            if problem == nil, let base = bytes.baseAddress, memchr(base, 0, bytes.count) != nil {
                problem = .nulByte(field: fields.count + 1)
            }
            if let text = String(validating: bytes, as: UTF8.self) {
                fields.append(text)
            } else {
                if problem == nil { problem = .invalidUTF8(field: fields.count + 1) }
                fields.append(String(decoding: bytes, as: UTF8.self))
            }
        }

        func finishField() {
            if fieldTooLong {
                if problem == nil { problem = .fieldTooLong(field: fields.count + 1) }
                fields.append("")
            } else {
                field.withUnsafeBufferPointer(add)
            }
            field.removeAll(keepingCapacity: true)
            fieldTooLong = false
        }

        func append(_ byte: UInt8) {
            if field.count < CSVReader.fieldLimit { field.append(byte) } else { fieldTooLong = true }
        }

        /// Counts `count` more bytes of the record; false when the record never ends.
        func measure(_ count: Int) -> Bool {
            recordBytes += count
            guard recordBytes > CSVReader.recordLimit else { return true }
            if problem == nil, !fieldTooLong { problem = .recordTooLong }
            guard recordBytes > CSVReader.endlessLimit else { return true }
            problem = .neverEnds(quoteOpen: state == .quoted || state == .quoteInQuoted)
            stopped = true
            return false
        }

        while true {
            // Most fields are unquoted and end inside the buffer: they are cut out of it in one
            // pass, not copied into `field` a byte at a time.
            if state == .fieldStart, position < bufferCount, buffer[position] != 0x22,
               let end = unquotedFieldEnd(), end - position <= CSVReader.fieldLimit {
                if !started {
                    started = true
                    startLine = line
                }
                guard measure(end + 1 - position) else {
                    position = end + 1
                    return CSVRecord(line: startLine, fields: fields, problem: problem)
                }
                buffer.withUnsafeBufferPointer { add(UnsafeBufferPointer(rebasing: $0[position..<end])) }
                let terminator = buffer[end]
                position = end + 1
                if terminator == delimiter { continue }
                line += 1
                if terminator == 0x0D { skipLineFeed() }
                return CSVRecord(line: startLine, fields: fields, problem: problem)
            }
            if position == bufferCount {
                guard refill() else {
                    // End of file.
                    if !started { return nil }
                    // The line the file ends on: a last line break is no line of its own.
                    let lastLine = field.last == 0x0A ? line - 1 : line
                    if state == .quoted && problem == nil { problem = .unterminatedQuote(field: fields.count + 1, lastLine: lastLine) }
                    finishField()
                    return CSVRecord(line: startLine, fields: fields, problem: problem)
                }
            }
            let byte = buffer[position]
            position += 1
            if !started {
                started = true
                startLine = line
            }
            guard measure(1) else { return CSVRecord(line: startLine, fields: fields, problem: problem) }
            switch state {
            case .fieldStart, .unquoted:
                if byte == delimiter {
                    finishField()
                    state = .fieldStart
                } else if byte == 0x0A || byte == 0x0D {
                    line += 1
                    if byte == 0x0D { skipLineFeed() }
                    finishField()
                    return CSVRecord(line: startLine, fields: fields, problem: problem)
                } else if byte == 0x22 && state == .fieldStart {
                    state = .quoted
                } else {
                    append(byte)
                    state = .unquoted
                }
            case .quoted:
                if byte == 0x22 {
                    state = .quoteInQuoted
                } else {
                    if byte == 0x0A { line += 1 }
                    append(byte)
                }
            case .quoteInQuoted:
                if byte == 0x22 {
                    append(byte)
                    state = .quoted
                } else if byte == delimiter {
                    finishField()
                    state = .fieldStart
                } else if byte == 0x0A || byte == 0x0D {
                    line += 1
                    if byte == 0x0D { skipLineFeed() }
                    finishField()
                    return CSVRecord(line: startLine, fields: fields, problem: problem)
                } else {
                    // `"abc"def`: not strict CSV, but exports do it; keep the text as written.
                    append(byte)
                    state = .unquoted
                }
            }
        }
    }

    /// Where the unquoted field at `position` ends (its delimiter or line end), if in the buffer.
    private func unquotedFieldEnd() -> Int? {
        let delimiter = self.delimiter, count = bufferCount
        return buffer.withUnsafeBufferPointer { bytes in
            var index = position
            while index < count {
                let byte = bytes[index]
                if byte == delimiter || byte == 0x0A || byte == 0x0D { return index }
                index += 1
            }
            return nil
        }
    }

    private func skipLineFeed() {
        if position == bufferCount, !refill() { return }
        if buffer[position] == 0x0A { position += 1 }
    }

    private func refill() -> Bool {
        let count = buffer.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
        guard count > 0 else { return false }
        bufferCount = count
        position = 0
        bytesRead += count
        if atFileStart {
            atFileStart = false
            // A UTF-8 byte-order mark, as Excel writes it (alone, in an empty file it saves).
            if count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF {
                position = 3
                if position == bufferCount { return refill() }
            }
        }
        return true
    }
}

/// One CSV record: its fields, the line it starts on, and what is wrong with it, if anything.
public struct CSVRecord: Sendable {
    public let line: Int
    public let fields: [String]
    public let problem: Problem?

    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        case invalidUTF8(field: Int)
        case fieldTooLong(field: Int)
        case recordTooLong
        /// The record was still going at `CSVReader.endlessLimit`; nothing after it is read.
        case neverEnds(quoteOpen: Bool)
        /// A quote opened in `field` is never closed: every line to `lastLine` (the file's last)
        /// was read into this one record.
        case unterminatedQuote(field: Int, lastLine: Int)
        case nulByte(field: Int)

        public var description: String {
            switch self {
            case .invalidUTF8(let field): "field \(field) is not valid UTF-8 text"
            case .fieldTooLong(let field): "field \(field) is longer than \(CSVReader.fieldLimit) bytes"
            case .recordTooLong: "the record is longer than \(CSVReader.recordLimit) bytes"
            case .neverEnds(let quoteOpen):
                "the record does not end within \(CSVReader.endlessLimit) bytes\(quoteOpen ? " (a quote is never closed)" : ""); the rest of the file is not read"
            case .unterminatedQuote(let field, let lastLine):
                "the quote that opens field \(field) is never closed, so every line from here to the end of the file (line \(lastLine)) was read as this one row; none of them is imported"
            case .nulByte(let field): "field \(field) holds a NUL byte (\\0), which no text may hold"
            }
        }
    }
}
