/// The checks every store makes inside its write transaction, so two sessions acting on one lead
/// at once cannot both move it from the same stage. The errors say what happened; the command
/// that made the move says which command shows more (`history`, `why rejected`).
public enum StageConflict {
    public static func checkMove(_ transition: StageTransition, current: String) throws {
        guard let from = transition.from, from.rawValue != current else { return }
        throw ConflictError(
            "the lead is now at \(current), not \(from.rawValue): someone else moved it a moment ago; nothing was changed", kind: .moved)
    }

    public static func checkRejection(leadId: Int64, current: String) throws {
        guard current == Stage.disqualified.rawValue else { return }
        throw ConflictError(
            "the lead is already disqualified: someone else rejected it a moment ago; nothing was changed", kind: .rejected)
    }
}
