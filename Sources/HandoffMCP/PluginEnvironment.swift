/// What an outside plugin finds in its environment: the few variables a program needs to run as
/// the user (find programs, its home, the user's name, language and time zone, a scratch folder),
/// and nothing else. Handoff's own settings, database passwords (`PGPASSWORD`), API keys and
/// whatever else the user's shell holds stay out: a plugin gets its data through the protocol,
/// limited to what its manifest declares.
enum PluginEnvironment {
    static let allowed: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "TZ", "TMPDIR", "LANG", "LANGUAGE",
        "LC_ALL", "LC_CTYPE", "LC_COLLATE", "LC_MESSAGES", "LC_MONETARY", "LC_NUMERIC", "LC_TIME",
        "LC_ADDRESS", "LC_IDENTIFICATION", "LC_MEASUREMENT", "LC_NAME", "LC_PAPER", "LC_TELEPHONE",
    ]

    static func of(_ environment: [String: String]) -> [String: String] {
        environment.filter { allowed.contains($0.key) }
    }
}
