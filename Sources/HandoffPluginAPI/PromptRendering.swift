/// Renders the text templates in Prompts/ (or the user's overrides) with values a command gives.
public protocol PromptRendering: Sendable {
    /// Renders template `name` with `values`; throws when the template is missing or does not parse.
    func render(_ name: String, _ values: [String: any Sendable]) throws -> String
}
