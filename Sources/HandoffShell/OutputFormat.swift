/// How answers are written: for people (`text`), for documents (`markdown`), for programs (`json`),
/// for spreadsheets (`csv`: an answer's tables, the rest to standard error).
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, markdown, csv
}

/// What the terminal can show: colour, and how wide a line may be.
public struct TerminalStyle: Sendable {
    public var colour: Bool
    public var width: Int

    public init(colour: Bool, width: Int) {
        self.colour = colour
        self.width = width
    }

    public static let plain = TerminalStyle(colour: false, width: 100)

    func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func yellow(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
}
