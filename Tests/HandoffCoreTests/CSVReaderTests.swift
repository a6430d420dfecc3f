import Foundation
import Testing
@testable import HandoffCore

/// A temporary file that removes itself.
final class TemporaryFile {
    let path: String

    init(_ bytes: [UInt8], suffix: String = ".csv") {
        path = NSTemporaryDirectory() + "handoff-\(UUID().uuidString)\(suffix)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }

    convenience init(_ text: String, suffix: String = ".csv") { self.init(Array(text.utf8), suffix: suffix) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct CSVReaderTests {
    func records(_ text: String) throws -> [CSVRecord] {
        let file = TemporaryFile(text)
        let reader = try CSVReader(path: file.path)
        return Array(sequence(state: reader) { $0.next() })
    }

    @Test func readsQuotedFieldsDoubledQuotesAndNewlinesInside() throws {
        let rows = try records("id,note\n1,\"said \"\"too pricey\"\", then left\"\n2,\"line one\nline two\"\n3,plain\n")
        #expect(rows.map(\.fields) == [
            ["id", "note"], ["1", "said \"too pricey\", then left"], ["2", "line one\nline two"], ["3", "plain"],
        ])
        // A record is reported at the line it starts on, even after a field that spans lines.
        #expect(rows.map(\.line) == [1, 2, 3, 5])
    }

    @Test func handlesCRLFBlankLinesByteOrderMarkAndNoFinalNewline() throws {
        let rows = try records("\u{FEFF}a,b\r\n\r\n1,2\r\n3,\"4\"")
        #expect(rows.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(rows.map(\.line) == [1, 3, 4])
    }

    @Test func aFileOfOnlyAByteOrderMarkHasNoRecords() throws {
        let file = TemporaryFile([0xEF, 0xBB, 0xBF])
        let reader = try CSVReader(path: file.path)
        #expect(reader.next() == nil)
    }

    @Test func keepsEmptyFields() throws {
        #expect(try records("a,b,c\n,,\n").last?.fields == ["", "", ""])
    }

    @Test func flagsInvalidUTF8WithTheField() throws {
        let file = TemporaryFile(Array("a,b\n1,ok\n2,".utf8) + [0xFF, 0xFE] + Array("\n3,fine\n".utf8))
        let reader = try CSVReader(path: file.path)
        let rows = Array(sequence(state: reader) { $0.next() })
        #expect(rows.count == 4)
        #expect(rows[2].line == 3)
        #expect(rows[2].problem == .invalidUTF8(field: 2))
        #expect(rows[3].problem == nil)
    }

    @Test func takesAFieldOfExactlyTheLimitAndRefusesOneByteMore() throws {
        let limit = String(repeating: "y", count: CSVReader.fieldLimit)
        let rows = try records("a,b\n1,\(limit)\n2,\(limit)y\n3,z\n")
        #expect(rows[1].problem == nil)
        #expect(rows[1].fields[1] == limit)
        #expect(rows[2].problem == .fieldTooLong(field: 2))
        #expect(rows[3].fields == ["3", "z"])
    }

    @Test func refusesAFieldLongerThanTheLimitWithoutHoldingIt() throws {
        let long = String(repeating: "x", count: 1 << 20)
        let rows = try records("a,b\n1,\(long)\n2,short\n")
        #expect(rows[1].problem == .fieldTooLong(field: 2))
        #expect(rows[1].fields[1].isEmpty)
        #expect(rows[2].fields == ["2", "short"])
        #expect(rows[2].line == 3)
    }

    @Test func reportsAQuoteThatNeverCloses() throws {
        let rows = try records("a,b\n1,\"open\n2,x\n")
        #expect(rows.count == 2)
        #expect(rows[1].problem == .unterminatedQuote(field: 2, lastLine: 3), "lines 2 to 3 were read as one row")
        #expect(rows[1].line == 2)
        // Without a last line break, the last line is the one the file ends on.
        #expect(try records("a,b\n1,\"open\n2,x\n3,y").last?.problem == .unterminatedQuote(field: 2, lastLine: 4))
    }

    @Test func streamsAcrossBufferBoundaries() throws {
        // Over 3 MB: the 1 MB buffer is refilled inside quoted and unquoted fields alike.
        var text = "id,name,city\n"
        for index in 0..<60_000 { text += "\(index),\"Name, \(index)\",Town \(index)-\(String(repeating: "x", count: index % 37))\n" }
        let rows = try records(text)
        #expect(rows.count == 60_001)
        let wrong = (0..<60_000).first { index in
            rows[index + 1].fields != ["\(index)", "Name, \(index)", "Town \(index)-\(String(repeating: "x", count: index % 37))"]
                || rows[index + 1].line != index + 2 || rows[index + 1].problem != nil
        }
        #expect(wrong == nil)
    }

    /// `work`'s answer, or nil when it is still running after `seconds` (it is left running:
    /// the test fails rather than hangs).
    func finishing<T: Sendable>(within seconds: Double, _ work: @escaping @Sendable () -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var answer: T?
        Thread {
            answer = work()
            done.signal()
        }.start()
        return done.wait(timeout: .now() + seconds) == .success ? answer : nil
    }

    @Test func aFieldThatNeverEndsIsRefusedAndReadingStops() throws {
        // /dev/zero is one field of NUL bytes without end: refused once, then nothing more.
        let records = finishing(within: 60) {
            guard let reader = try? CSVReader(path: "/dev/zero") else { return [CSVRecord]() }
            return Array(sequence(state: reader) { $0.next() })
        }
        let read = try #require(records, "reading /dev/zero never ended")
        #expect(read.count == 1)
        #expect(read.first?.problem == .neverEnds(quoteOpen: false))
        #expect(read.first?.line == 1)
    }

    @Test func aQuoteLeftOpenInABigFileEndsTheReadingAtTheLimit() throws {
        let file = TemporaryFile("a,b\n1,\"open\n" + String(repeating: "2,x\n", count: (CSVReader.endlessLimit / 4) + 1))
        let reader = try CSVReader(path: file.path)
        let rows = Array(sequence(state: reader) { $0.next() })
        #expect(rows.count == 2)
        #expect(rows[1].problem == .neverEnds(quoteOpen: true))
        #expect(rows[1].problem?.description == "the record does not end within 16777216 bytes (a quote is never closed); the rest of the file is not read")
    }

    @Test func aRecordOfManyShortFieldsPastTheLimitIsRefusedWithoutKeepingThem() throws {
        let wide = String(repeating: "a,", count: CSVReader.recordLimit)
        let rows = try records("h1,h2\n\(wide)\n3,z\n")
        #expect(rows.count == 3)
        #expect(rows[1].problem == .recordTooLong)
        #expect(rows[1].fields.count <= CSVReader.recordLimit / 2 + 1, "fields past the limit are not kept")
        #expect(rows[2].fields == ["3", "z"])
        #expect(rows[2].line == 3)
    }

    @Test func aHeaderThatNeverEndsIsRefused() throws {
        // A header of short fields, one line past where any header could end.
        let file = TemporaryFile(String(repeating: "column,", count: CSVReader.endlessLimit / 7 + 1))
        let reader = try CSVReader(path: file.path)
        let header = try #require(reader.next())
        #expect(header.problem == .neverEnds(quoteOpen: false))
        #expect(reader.next() == nil)
    }

    @Test func saysWhyAFileCannotBeOpened() {
        #expect(throws: FileError.self) { try CSVReader(path: "/nonexistent/leads.csv") }
        do {
            _ = try CSVReader(path: NSTemporaryDirectory())
            Issue.record("a folder opened as a CSV file")
        } catch {
            #expect("\(error)".contains("folder"))
        }
    }
}

@Suite struct CSVReaderColumnTests {
    @Test func onlyTheColumnsAskedForAreMadeTheOthersReadEmptyAndLinesStayTrue() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("columns-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "id,name,email\nL1,\"Ada, \"\"the\"\" first\",ada@acme.com\n\nL2,\"two\nlines\",grace@acme.com\n".write(toFile: path, atomically: true, encoding: .utf8)
        let reader = try CSVReader(path: path, onlyColumns: [0, 2])
        _ = reader.next()
        let first = try #require(reader.next())
        #expect((first.line, first.fields) == (2, ["L1", "", "ada@acme.com"]))
        let second = try #require(reader.next())
        #expect((second.line, second.fields) == (4, ["L2", "", "grace@acme.com"]))
        #expect(reader.next() == nil)
    }
}
