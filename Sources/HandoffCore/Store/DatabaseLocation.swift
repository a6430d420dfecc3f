/// Where a database is: a postgres:// URL names a team's shared database, anything else an
/// SQLite file.
public enum DatabaseLocation {
    public static func isTeam(_ location: String) -> Bool {
        location.hasPrefix("postgres://") || location.hasPrefix("postgresql://")
    }
}
