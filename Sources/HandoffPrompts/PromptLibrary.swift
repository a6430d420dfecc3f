import Foundation
public import HandoffCore
public import HandoffPluginAPI
import Mustache

/// The templates in force: the compiled-in ones from Prompts/, each replaced by a file of the
/// same name in the user's prompts folder when there is one.
public struct PromptLibrary: PromptRendering {
    /// Where a user's overrides live: `$XDG_CONFIG_HOME/handoff/prompts`.
    public let overrides: String

    public init(overrides: String) { self.overrides = overrides }

    public init(paths: Paths) { self.init(overrides: "\(paths.config)/prompts") }

    /// The names of the templates Handoff ships.
    public static var names: [String] { BuiltinPrompts.templates.keys.sorted() }

    /// The shipped text of a template, for tests and for users starting an override.
    public static func builtin(_ name: String) -> String? { BuiltinPrompts.templates[name] }

    public func render(_ name: String, _ values: [String: any Sendable]) throws -> String {
        let override = "\(overrides)/\(name).mustache"
        let (text, origin): (String, String)
        if FileManager.default.fileExists(atPath: override) {
            guard let contents = try? String(contentsOfFile: override, encoding: .utf8) else {
                throw FileError(code: "bad_prompt", file: override, line: 1, problem: "cannot read the template (is it UTF-8 text?)")
            }
            (text, origin) = (contents, override)
        } else if let builtin = BuiltinPrompts.templates[name] {
            (text, origin) = (builtin, "built-in \(name).mustache")
        } else {
            throw NotFoundError("no prompt template named '\(name)'", hint: "templates: \(Self.names.joined(separator: ", "))")
        }
        let template: MustacheTemplate
        do {
            template = try Self.parsed.template(for: text)
        } catch let error as MustacheTemplate.ParserError {
            // The parser reads a line Handoff puts first (see `ParsedTemplates`): counted out.
            let line = max(1, error.context.lineNumber - 1)
            throw FileError(
                code: "bad_prompt", file: origin, line: line, column: error.context.columnNumber,
                problem: "the template does not parse: \(Self.describe(error.error))",
                hint: origin.hasPrefix("/") ? "fix it, or delete it to use the built-in \(name).mustache" : nil)
        }
        // Answers and briefs are text and Markdown, not HTML: nothing is escaped.
        return template.render(values as [String: Any]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// What the Mustache parser found wrong, in a template writer's words.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a section is closed with another name than it was opened with ({{#a}}…{{/b}})"
        case .unfinishedName: return "a tag is not finished: {{ without }}, or a name that is not one word"
        case .expectedSectionEnd: return "a section is never closed: {{#name}} or {{^name}} needs its {{/name}}"
        case .invalidSetDelimiter: return "a {{=<% %>=}} delimiter tag is not written right"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: return "a {{% …}} setting is not one the template language knows"
        case .transformAppliedToInheritanceSection, .illegalTokenInsideInheritSection, .textInsideInheritSection:
            return "a {{<partial}} inheritance block holds what it cannot"
        }
    }
}

/// Templates parsed once per text: a script qualifying thousands of leads parsed the same one for
/// each. Keyed by the text itself, so an edited override is parsed again.
private final class ParsedTemplates: @unchecked Sendable {
    private let lock = NSLock()
    private var templates: [String: MustacheTemplate] = [:]

    func template(for text: String) throws -> MustacheTemplate {
        if let known = lock.withLock({ templates[text] }) { return known }
        let template = try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}\n" + text)
        lock.withLock {
            if templates.count > 64 { templates.removeAll() }
            templates[text] = template
        }
        return template
    }
}

extension PromptLibrary {
    fileprivate static let parsed = ParsedTemplates()
}
