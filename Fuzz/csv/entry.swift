import Foundation
import HandoffCore

/// libFuzzer target: any bytes, as a CSV file an import reads. The reader takes a path, so each
/// input is written to one scratch file (in memory, under /dev/shm, where there is one); its
/// delimiter is sniffed from the header, as `import` does. Besides not crashing or hanging, what
/// the reader says about the file must hold together.
let scratch = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "handoff-fuzz-csv-\(getpid()).csv"

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    atexit { unlink(scratch) }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let file = fopen(scratch, "wb"), fwrite(data, 1, size, file) == size, fclose(file) == 0 else {
        fatalError("cannot write \(scratch)")
    }
    let reader: CSVReader
    do { reader = try CSVReader(path: scratch, delimiter: Delimiter.sniff(path: scratch)) } catch {
        fatalError("a file that exists could not be opened: \(error)")
    }
    var lastLine = 0
    while let record = reader.next() {
        // Records come in file order, each starting on a later line than the one before.
        check(record.line > lastLine, "record at line \(record.line) after one at line \(lastLine)")
        lastLine = record.line
        check(!record.fields.isEmpty, "a record with no fields at line \(record.line)")
        // A record without a problem is text cut from the file: it cannot hold more than the file.
        if record.problem == nil {
            check(record.fields.reduce(0) { $0 + $1.utf8.count } <= size, "fields longer than the file at line \(record.line)")
        }
        check(reader.bytesConsumed <= reader.totalBytes, "consumed \(reader.bytesConsumed) of \(reader.totalBytes) bytes")
    }
    check(reader.next() == nil, "a record after the end of the file")
    check(reader.totalBytes == size, "the file is \(size) bytes, the reader says \(reader.totalBytes)")
    return 0
}
