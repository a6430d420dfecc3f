import Foundation

/// The user's settings file, `$XDG_CONFIG_HOME/handoff/config.yaml`: defaults for what the
/// command line can also say. The command line and the environment win over it.
///
/// ```yaml
/// user: Dana Reyes          # who is acting, recorded on every change
/// db: ~/work/handoff.sqlite # the database
/// definition: ~/work/definition.yaml
/// ```
public struct Settings: Sendable, Equatable {
    public var user: String?
    public var database: String?
    public var definition: String?

    public init(user: String? = nil, database: String? = nil, definition: String? = nil) {
        self.user = user
        self.database = database
        self.definition = definition
    }

    /// Reads the file at `path`; no file means no settings. A malformed file is refused with its
    /// line, rather than half-read.
    public static func load(path: String, home: String) throws -> Settings {
        guard FileManager.default.fileExists(atPath: path) else { return Settings() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw FileError(code: "bad_config", file: path, line: 1, problem: "cannot read the settings: \(readProblem(path))")
        }
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return Settings() }
        let root = try YAMLReader(file: path, code: "bad_config").root(of: text)
        let fields = try root.fields(allowed: ["user", "db", "definition"])
        func expanded(_ value: String) -> String { value.hasPrefix("~/") ? home + value.dropFirst() : value }
        return Settings(
            user: try fields["user"]?.string(),
            database: try fields["db"].map { expanded(try $0.string()) },
            definition: try fields["definition"].map { expanded(try $0.string()) })
    }
}
