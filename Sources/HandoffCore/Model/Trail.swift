/// The moves of a lead that stand. The audit trail keeps a move someone undid and the undo that
/// took it back; counting either would say a lead went where it no longer is (an accept that was
/// undone is no answer to an MQL, and no step to SAL).
public enum Trail {
    /// How an undo's reason starts: `undo of mql → sal (…)`.
    public static let undoReason = "undo of "

    /// Each lead's standing moves, oldest first, from transitions ordered by lead and time (as
    /// the store's `moves(ofLeadsCreatedFrom:to:)` and `transitions(ofLeadsMovedFrom:to:)` give them).
    public static func standing<Step: TrailStep>(_ steps: [Step]) -> [Int64: [Step]] {
        var trails: [Int64: [Step]] = [:]
        forEachLead(steps) { lead, moves in trails[lead] = Array(moves) }
        return trails
    }

    /// Calls `body` with each lead's standing moves, oldest first, lead by lead, from transitions
    /// ordered by lead and time: over a million leads, without a dictionary or an array each.
    @inlinable
    public static func forEachLead<Step: TrailStep>(_ steps: [Step], _ body: (Int64, ArraySlice<Step>) throws -> Void) rethrows {
        var start = steps.startIndex
        while start < steps.endIndex {
            let lead = steps[start].leadId
            var end = start + 1
            while end < steps.endIndex, steps[end].leadId == lead { end += 1 }
            try body(lead, standing(ofRun: steps[start..<end]))
            start = end
        }
    }

    /// One lead's moves as they stand, without the undone ones and the undos (`undo` only ever
    /// takes back a lead's last move, and never its first stage): the same slice when none is an
    /// undo, as for most leads.
    @inlinable
    public static func standing<Step: TrailStep>(ofRun moves: ArraySlice<Step>) -> ArraySlice<Step> {
        guard moves.contains(where: \.isUndo) else { return moves }
        var kept: [Step] = []
        for move in moves {
            if move.isUndo, let last = kept.last, last.from != nil {
                kept.removeLast()
            } else {
                kept.append(move)
            }
        }
        return kept[...]
    }
}
