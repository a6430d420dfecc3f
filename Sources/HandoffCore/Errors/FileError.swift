/// Something wrong at a place in a file: `definition.yaml:12:5: fit[2].points must be a number`.
public struct FileError: HandoffError {
    public let code: String
    public let file: String
    public let line: Int
    public let column: Int?
    public let problem: String
    public let hint: String?

    public init(code: String, file: String, line: Int, column: Int? = nil, problem: String, hint: String? = nil) {
        self.code = code
        self.file = file
        self.line = line
        self.column = column
        self.problem = problem
        self.hint = hint
    }

    public var message: String {
        "\(file):\(line)\(column.map { ":\($0)" } ?? ""): \(problem)"
    }
}
