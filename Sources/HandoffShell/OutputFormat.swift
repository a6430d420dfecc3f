/// How answers are written: for people (`text`), for documents (`markdown`), for programs (`json`),
/// for spreadsheets (`csv`: an answer's tables, the rest to standard error).
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, markdown, csv
}

/// What the terminal can show: colour, and how wide a line may be.
public struct TerminalStyle: Sendable {
    public var colour: Bool
    public var width: Width

    /// How many columns a line of an answer may take.
    public enum Width: Sendable, Equatable {
        /// Not a terminal (a pipe, a file): a line is as long as what it holds, and nothing is cut
        /// or wrapped, so a script reads every value whole.
        case unlimited
        case columns(Int)
        /// Standard output's terminal, measured again for every answer so a resized window is
        /// followed (`COLUMNS` first, as the user asked).
        case terminal
    }

    public init(colour: Bool, width: Width) {
        self.colour = colour
        self.width = width
    }

    public init(colour: Bool, width: Int) { self.init(colour: colour, width: .columns(width)) }

    public static let plain = TerminalStyle(colour: false, width: .unlimited)

    /// The columns one answer may use now, or nil when there is no limit.
    func measuredWidth() -> Int? {
        switch width {
        case .unlimited: nil
        case .columns(let columns): columns
        case .terminal: Terminal.width(of: 1)
        }
    }

    func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    func yellow(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }
}
