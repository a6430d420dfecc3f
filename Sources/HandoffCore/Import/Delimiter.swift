import Foundation

/// Which character separates a CSV export's fields, read from its header: Excel in many locales
/// writes semicolons, and some CRMs export tabs.
public enum Delimiter {
    /// The separator the header line uses, of comma, semicolon and tab (outside quotes): the one
    /// that appears when the others do not, else the comma.
    public static func sniff(path: String) -> Character {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "," }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 64 * 1024)) ?? Data()
        return sniff(header: head.prefix { $0 != 0x0A && $0 != 0x0D })
    }

    static func sniff(header: Data) -> Character {
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for byte in header {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\t") { counts[byte, default: 0] += 1 }
        }
        if counts[UInt8(ascii: ",")] == nil {
            if let semicolons = counts[UInt8(ascii: ";")], semicolons >= counts[UInt8(ascii: "\t"), default: 0] { return ";" }
            if counts[UInt8(ascii: "\t")] != nil { return "\t" }
        }
        return ","
    }

    /// How a message names it.
    public static func name(_ delimiter: Character) -> String {
        switch delimiter {
        case ",": "commas"
        case ";": "semicolons"
        case "\t": "tabs"
        default: "'\(delimiter)'"
        }
    }
}
