import Foundation
import Synchronization

/// What every store hands over in bulk for a pass over all leads (the definition report): just
/// the fields and events a scorer reads, in parts of the id range that can be read at once.
public protocol LeadScanning: Sendable {
    /// Calls `body` for every account, in no particular order.
    func scanAccounts(_ body: (Account) throws -> Void) throws

    /// Calls `body` for every lead with one of `outcomes` in part `part` of `parts` (split by id,
    /// so parts can be read at the same time, each on a connection of its own), with the events
    /// of `eventKinds` (each kind oldest first). The lead holds its id, account id, creation
    /// time, outcome, facts and the `fields` asked for (its attributes only when `attributes`);
    /// nothing else is read.
    func scanLeads(
        outcomes: [Outcome], fields: Set<FieldPath.LeadField>, attributes: Bool, eventKinds: [String],
        part: Int, of parts: Int,
        _ body: (Lead, UnsafeBufferPointer<ScannedEvent>) throws -> Void) throws
}

extension LeadScanning {
    /// Every lead with one of `outcomes`, read in parts at the same time on up to four cores, four
    /// parts per core so that no core idles while another finishes a dense part. Each part starts
    /// from `start()`, `body` adds each lead to it, and `finish` (a sort, say) runs on the part's
    /// thread once its leads are read; the parts come back in part order (by id). `isCancelled` is
    /// asked every few thousand leads.
    public func scanLeadsInParallel<Part: Sendable>(
        outcomes: [Outcome], fields: Set<FieldPath.LeadField>, attributes: Bool, eventKinds: [String],
        isCancelled: @escaping @Sendable () -> Bool = { false },
        start: @escaping @Sendable () -> Part,
        finish: @escaping @Sendable (inout Part) -> Void = { _ in },
        _ body: @escaping @Sendable (inout Part, Lead, UnsafeBufferPointer<ScannedEvent>) throws -> Void
    ) throws -> [Part] {
        let workers = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
        let slots = PartSlots<Part>(parts: 4 * workers)
        @Sendable func read(_ part: Int) {
            var state = start()
            var seen = 0
            do {
                try scanLeads(
                    outcomes: outcomes, fields: fields, attributes: attributes, eventKinds: eventKinds, part: part, of: slots.count
                ) { lead, events in
                    seen += 1
                    if seen % 4_096 == 0, isCancelled() { throw UsageError("cancelled") }
                    try body(&state, lead, events)
                }
                finish(&state)
                slots.set(part, .success(state))
            } catch {
                slots.set(part, .failure(error))
            }
        }
        // Workers of our own, not `concurrentPerform`: a command may run inside a store's serial
        // queue (a shared read), where concurrentPerform ran the parts one after another.
        let group = DispatchGroup()
        for _ in 0..<workers {
            DispatchQueue.global().async(group: group) {
                while let part = slots.nextPart() { read(part) }
            }
        }
        group.wait()
        return try slots.results()
    }
}

/// The parts of a parallel scan: which one a worker takes next, and what each produced.
private final class PartSlots<Part: Sendable>: Sendable {
    let count: Int
    private let state: Mutex<(next: Int, results: [Result<Part, any Error>?])>

    init(parts: Int) {
        count = parts
        state = Mutex((0, Array(repeating: nil, count: parts)))
    }

    func nextPart() -> Int? {
        state.withLock { state in
            guard state.next < count else { return nil }
            state.next += 1
            return state.next - 1
        }
    }

    func set(_ part: Int, _ result: Result<Part, any Error>) { state.withLock { $0.results[part] = result } }

    func results() throws -> [Part] { try state.withLock { try $0.results.map { try $0!.get() } } }
}
