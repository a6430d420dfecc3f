extension String {
    /// The text without the spaces and tabs around it: what Foundation's
    /// `trimmingCharacters(in: .whitespaces)` keeps (its set is tab and Unicode's space
    /// separators; on Linux it also trims U+200B ZERO WIDTH SPACE, no space separator since
    /// Unicode 4.0.1, which this keeps), without the trip through NSString, whose first call is
    /// costly in a one-shot run.
    public func trimmingWhitespace() -> String {
        // Nearly every value has nothing to trim, which its first and last bytes tell.
        if let first = utf8.first, let last = utf8.last, Self.isVisibleASCII(first), Self.isVisibleASCII(last) { return self }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isWhitespace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !Self.isWhitespace($0) })!
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return self }
        return String(scalars[first...last])
    }

    private static func isVisibleASCII(_ byte: UInt8) -> Bool { byte < 0x80 && byte != 0x20 && byte != 0x09 }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09: true
        case 0..<0x80: false
        default: scalar.properties.generalCategory == .spaceSeparator
        }
    }

    /// Spaces and line breaks (Unicode's White_Space) off both ends: for free text such as what a
    /// prospect said, which comes typed, imported, from a plugin or over MCP, and is stored the
    /// same way from each, whatever line breaks it came with at either end.
    public func trimmingWhitespaceAndNewlines() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
