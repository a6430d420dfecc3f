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
