/// An error a user can see and act on: a stable code for scripts, a message that says what and
/// where, and an optional hint that says what to do. The shell renders these in one place.
public protocol HandoffError: Error, CustomStringConvertible, Sendable {
    /// A short stable identifier for scripts and JSON (`usage`, `not_found`, `bad_definition`…).
    var code: String { get }
    var message: String { get }
    var hint: String? { get }
}

extension HandoffError {
    public var hint: String? { nil }
    public var description: String { message }
}

/// The command line or its arguments are not what the command takes.
public struct UsageError: HandoffError {
    public let message: String
    public let hint: String?
    public var code: String { "usage" }

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// A named thing (lead, account, file, theme) does not exist.
public struct NotFoundError: HandoffError {
    public let message: String
    public let hint: String?
    public var code: String { "not_found" }

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// The store refused or failed an operation; the message names what was being done.
public struct StoreError: HandoffError {
    public let message: String
    public let hint: String?
    public var code: String { "store" }

    public init(_ message: String, hint: String? = nil) {
        self.message = message
        self.hint = hint
    }
}

/// Someone else changed the thing first (another rep moved the lead a moment ago): nothing was
/// written, and looking again shows what they did.
public struct ConflictError: HandoffError {
    /// What someone else did first, for whoever shows the error to say what to look at.
    public enum Kind: Sendable {
        /// The lead was moved to another stage.
        case moved
        /// The lead was rejected.
        case rejected
        case other
    }

    public let message: String
    public let hint: String?
    public let kind: Kind
    public var code: String { "conflict" }

    public init(_ message: String, hint: String? = nil, kind: Kind = .other) {
        self.message = message
        self.hint = hint
        self.kind = kind
    }
}
