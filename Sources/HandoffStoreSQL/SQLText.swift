public import Foundation

/// Text both stores' SQL is made of.
public enum SQLText {
    /// `text` for a LIKE pattern with `ESCAPE '\'`: its own `%`, `_` and `\` match only themselves.
    public static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}

/// A time as both stores keep it: whole seconds since 1970, rounded down (so a time before 1970
/// falls in the second it is in, not the next).
public func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }
