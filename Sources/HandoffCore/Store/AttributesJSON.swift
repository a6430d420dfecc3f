import Foundation

/// A lead's attributes as a flat JSON object of strings, written by hand because it is on the
/// import's hot path, and sorted so the same attributes always give the same text.
public enum AttributesJSON {
    public static func encode(_ attributes: [String: String]) -> String {
        var out = "{"
        for (index, key) in attributes.keys.sorted().enumerated() {
            if index > 0 { out += "," }
            append(key, to: &out)
            out += ":"
            append(attributes[key]!, to: &out)
        }
        return out + "}"
    }

    public static func decode(_ text: String) -> [String: String] {
        guard text.count > 2, let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
        return object.compactMapValues { $0 as? String }
    }

    private static func append(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
