public import HandoffPluginAPI

/// What the shell remembers between lines: the lead or account being discussed, the last
/// question (so "and last month?" can ask it again), and a pending choice between names.
public final class Conversation {
    /// The lead or account the last command was about.
    public var subject: Subject?
    /// The last command that ran and what it was asked.
    public var last: (command: Command, request: Request)?
    /// When a name matched several leads or accounts: the candidates, and the line to finish.
    public var pendingChoice: PendingChoice?
    /// What the last answer offered to run by number (a theme for an objection it was unsure of).
    public var choices: [Reply.Choice] = []
    /// When a line fitted two commands about equally: each, ready to run by its number.
    public var pendingCommands: [Router.Routed] = []

    public init() {}

    public struct PendingChoice {
        public var candidates: [Subject]
        public var command: Command
        public var request: Request
    }

    /// Remembers what a command that ran was about.
    func remember(_ command: Command, _ request: Request) {
        last = (command, request)
        if let subject = request.subject { self.subject = subject }
        pendingChoice = nil
        choices = []
        pendingCommands = []
    }
}
