public import Foundation

/// A stage move as a count over every lead reads it: the lead, the stages, when, and whether it
/// undid the move before it, without who made it and why. At a million leads with four million
/// moves, reading and keeping that text was most of what `sla` and `sources` spent.
public struct Move: Sendable, Hashable {
    public var id: Int64
    public var leadId: Int64
    /// `nil` for the move that created the lead.
    public var from: Stage?
    public var to: Stage
    public var at: Date
    /// An `undo`'s move back, which takes the move before it away with it.
    public var isUndo: Bool

    public init(id: Int64, leadId: Int64, from: Stage?, to: Stage, at: Date, isUndo: Bool) {
        self.id = id
        self.leadId = leadId
        self.from = from
        self.to = to
        self.at = at
        self.isUndo = isUndo
    }
}

extension StageTransition {
    /// Whether this is an `undo`'s move back (its reason says so: `undo of mql → sal (…)`).
    public var isUndo: Bool { reason.hasPrefix(Trail.undoReason) }

    /// The move without who made it and why.
    public var move: Move { Move(id: id ?? 0, leadId: leadId, from: from, to: to, at: at, isUndo: isUndo) }
}

/// What a trail is made of: a `StageTransition` (a lead's whole audit trail) or a `Move` (every
/// lead's, for a count).
public protocol TrailStep {
    var leadId: Int64 { get }
    var from: Stage? { get }
    var isUndo: Bool { get }
}

extension StageTransition: TrailStep {}
extension Move: TrailStep {}
