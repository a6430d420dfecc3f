/// A language model that rewrites a draft (an OpenAI-compatible endpoint); optional, and off
/// unless the user configures one.
public protocol TextPolishing: Sendable {
    /// A description without secrets, for messages: `model at http://localhost:11434/v1`.
    var description: String { get }
    /// The draft rewritten per `instruction`; throws a user-facing error when the endpoint fails.
    func polish(_ draft: String, instruction: String) throws -> String
}
