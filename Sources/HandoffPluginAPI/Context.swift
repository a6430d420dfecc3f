import Foundation
import HandoffCore

/// What a command may use while it answers: the store, the definition in force, the clock, who
/// is acting, and ways to report progress and notice cancellation.
public struct Context: Sendable {
    public var store: any LeadStore
    public var definition: Definition
    public var clock: Clock
    /// The person acting (`--as`, config, or the login name): recorded on every change.
    public var actor: String
    public var paths: Paths
    /// Every command that is loaded, for `help` and `plugins`.
    public var catalogue: [PluginInfo]
    /// The templates that shape answers and drafts.
    public var prompts: any PromptRendering
    /// The language model that may polish drafts, when one is configured.
    public var polisher: (any TextPolishing)?
    /// Reports progress of long work (done, total) to whoever shows it.
    public var progress: @Sendable (_ done: Int, _ total: Int, _ label: String) -> Void
    /// True once the user asked to cancel the running command (Ctrl-C).
    public var isCancelled: @Sendable () -> Bool
    /// True when whoever asks may only read (`handoff mcp` without `--allow-writes`): a command
    /// that keeps something as a side effect of answering (a brief keeps its draft) keeps nothing.
    public var readOnly: Bool
    /// True when someone at a prompt can answer a reply's numbered choices by typing the number;
    /// a script cannot, so a reply says what to type instead.
    public var answersByNumber = false
    /// The last command of this session that changed the data, if any: a bare `undo` takes back a
    /// stage move, and should not reach past an objection logged since to an older move.
    public var lastChangeInSession: String?

    public init(
        store: any LeadStore, definition: Definition, clock: Clock, actor: String, paths: Paths, catalogue: [PluginInfo] = [],
        prompts: any PromptRendering, polisher: (any TextPolishing)? = nil,
        progress: @escaping @Sendable (Int, Int, String) -> Void = { _, _, _ in },
        isCancelled: @escaping @Sendable () -> Bool = { false }, readOnly: Bool = false
    ) {
        self.store = store
        self.definition = definition
        self.clock = clock
        self.actor = actor
        self.paths = paths
        self.catalogue = catalogue
        self.prompts = prompts
        self.polisher = polisher
        self.progress = progress
        self.isCancelled = isCancelled
        self.readOnly = readOnly
    }

    /// Another command's answer, as the plugin that declares it gives it: a command that gathers
    /// others' answers (the weekly report) asks for them, so each figure is worked out in one
    /// place. Nil when no loaded plugin has a command of that name.
    public func answer(_ request: Request) throws -> Reply? {
        guard let command = catalogue.lazy.flatMap(\.commands).first(where: { $0.name == request.command }) else { return nil }
        return try command.run(request, self)
    }

    /// The classifier for the definition's objection taxonomy, taught also by the objections the
    /// team filed by hand (the most recent 10,000 of them).
    public func classifier() throws -> ThemeClassifier {
        ThemeClassifier.reusing(themes: definition.themes, corrections: try store.themeCorrections(limit: Self.correctionsLearned))
    }

    /// How many of the team's corrections the classifier learns from: enough for years of
    /// `retheme`, few enough to build in milliseconds.
    public static let correctionsLearned = 10_000
}

/// A loaded plugin as `help` and `plugins` show it.
public struct PluginInfo: Sendable {
    public var name: String
    public var version: String
    public var summary: String
    /// `built-in`, or where an outside plugin was found.
    public var source: String
    public var commands: [Command]
    /// `loaded` for a built-in plugin; for an outside one whether its server is running, has
    /// failed, or could not be loaded at all. Asked when shown, as it changes during a session.
    public var state: @Sendable () -> String

    public init(
        name: String, version: String, summary: String, source: String, commands: [Command],
        state: @escaping @Sendable () -> String = { "loaded" }
    ) {
        self.name = name
        self.version = version
        self.summary = summary
        self.source = source
        self.commands = commands
        self.state = state
    }
}
