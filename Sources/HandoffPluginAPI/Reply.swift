/// A command's answer: blocks for people to read, and a `result` for programs.
public struct Reply: Sendable {
    public var blocks: [Block]
    /// The machine-readable answer: what JSON output puts under `result`.
    public var result: JSONValue
    /// Set when the command ran but the outcome counts as a failure (a strict import refused):
    /// scripts see a non-zero exit status.
    public var failure: Failure?
    /// Lines a person may run next by typing their number alone, at a prompt: the answer says
    /// what each number does (in a script, the lines themselves are typed).
    public var choices: [Choice]

    public init(_ blocks: [Block], result: JSONValue, failure: Failure? = nil, choices: [Choice] = []) {
        self.blocks = blocks
        self.result = result
        self.failure = failure
        self.choices = choices
    }

    /// A line to run when its number is typed, and one to run after it when it succeeds (the
    /// next objection to review).
    public struct Choice: Sendable, Hashable {
        public var line: String
        public var then: String?

        public init(_ line: String, then: String? = nil) {
            self.line = line
            self.then = then
        }
    }

    public struct Failure: Sendable, Hashable {
        public var code: String
        public var message: String

        public init(code: String, message: String) {
            self.code = code
            self.message = message
        }
    }
}

/// A piece of an answer; the shell renders each as text, Markdown or leaves it to JSON.
public enum Block: Sendable {
    case text(String)
    /// A heading line.
    case heading(String)
    case table(Table)
    /// Label: value lines.
    case keyValues([(String, String)])
    case markdown(String)
    case chart(BarChart)
    /// A remark in a quieter voice (warnings go to stderr).
    case note(String)
    /// Words someone said, as they said them: indented in text, a blockquote of its own in Markdown.
    case quote(String)
    case warning(String)
}

public struct Table: Sendable {
    public var columns: [String]
    public var rows: [[String]]
    /// Columns whose values are numbers, aligned right.
    public var numeric: Set<Int>

    public init(columns: [String], rows: [[String]], numeric: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.numeric = numeric
    }
}

public struct BarChart: Sendable {
    public var title: String
    public var bars: [(label: String, value: Double, shown: String)]
    /// The figures the bars are drawn from, each in a column of its own (and what a bar's label
    /// leaves out: a count before, a change), for an answer written as data: CSV, which draws no
    /// bars, writes them as a table.
    public var figures: Table?

    public init(title: String, bars: [(label: String, value: Double, shown: String)], figures: Table? = nil) {
        self.title = title
        self.bars = bars
        self.figures = figures
    }
}
