/// The moves of a lead that stand. The audit trail keeps a move someone undid and the undo that
/// took it back; counting either would say a lead went where it no longer is (an accept that was
/// undone is no answer to an MQL, and no step to SAL).
public enum Trail {
    /// How an undo's reason starts: `undo of mql → sal (…)`.
    public static let undoReason = "undo of "

    /// Each lead's standing moves, oldest first, from transitions ordered by lead and time (as
    /// the store's `transitions(ofLeads…)` give them).
    public static func standing(_ transitions: [StageTransition]) -> [Int64: [StageTransition]] {
        Dictionary(grouping: transitions, by: \.leadId).mapValues(standing(ofOneLead:))
    }

    /// One lead's moves, oldest first, without the undone ones and the undos: `undo` only ever
    /// takes back a lead's last move, and never its first stage.
    public static func standing(ofOneLead moves: [StageTransition]) -> [StageTransition] {
        var kept: [StageTransition] = []
        for move in moves {
            if move.reason.hasPrefix(undoReason), let last = kept.last, last.from != nil {
                kept.removeLast()
            } else {
                kept.append(move)
            }
        }
        return kept
    }
}
