public import Foundation

/// Where Handoff keeps its files, following the XDG base directories.
public struct Paths: Sendable {
    public var config: String
    public var data: String
    public var state: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let home = environment["HOME"] ?? NSHomeDirectory()
        func dir(_ variable: String, _ fallback: String) -> String {
            let base = environment[variable].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "\(home)/\(fallback)"
            return "\(base)/handoff"
        }
        config = dir("XDG_CONFIG_HOME", ".config")
        data = dir("XDG_DATA_HOME", ".local/share")
        state = dir("XDG_STATE_HOME", ".local/state")
    }

    public var defaultDatabase: String { "\(data)/handoff.sqlite" }
    public var definitionFile: String { "\(config)/definition.yaml" }
    public var settingsFile: String { "\(config)/config.yaml" }
}
