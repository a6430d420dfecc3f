import HandoffCore
import HandoffStoreSQL
import PostgresNIO

/// Collects a statement's parameters and hands out their `$n` placeholders in order.
struct Binds {
    var bindings = PostgresBindings()

    /// Binds `value` (NULL when nil) and returns its placeholder.
    mutating func add<Value: PostgresDynamicTypeEncodable>(_ value: Value?) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    /// Binds a NULL of no stated type, which the server types from where it lands.
    mutating func addNull() -> String {
        bindings.appendNull()
        return "$\(bindings.count)"
    }
}

/// PostgreSQL's words for the shared lead-query builder: numbered placeholders, and comparisons
/// and searches on lower() of both sides (the trigram and expression indexes are built on lower()).
extension Binds: LeadQueryDialect {
    mutating func bind(_ value: String) -> String { add(value) }

    mutating func bind(_ value: Int64) -> String { add(value) }

    func equalIgnoringCase(_ column: String, _ placeholder: String) -> String { "lower(\(column)) = lower(\(placeholder))" }

    mutating func anyContains(_ columns: [String], _ text: String) -> String {
        let pattern = add("%\(SQLText.likeEscaped(Label.asciiLowercased(text)))%")
        return "(" + columns.map { "lower(\($0)) LIKE \(pattern)" }.joined(separator: " OR ") + ")"
    }
}
