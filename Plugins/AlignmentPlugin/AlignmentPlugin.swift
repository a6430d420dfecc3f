public import HandoffPluginAPI

/// The check-in the two teams hold on lead quality: one report that gathers what the other
/// plugins answer (the SLA, objections, the definition's health and history) with the week's
/// hand-offs, for the meeting and for the mail after it.
public struct AlignmentPlugin: Plugin {
    public init() {}

    public let name = "alignment"
    public let summary = "The weekly sales–marketing alignment report, in the terminal, Markdown and one HTML page"

    public var commands: [Command] { [WeeklyReport.command] }
}
