public import Foundation
import Synchronization

/// Chooses the definition in force: the file named with `--definition`, else the one in the
/// config dir, else the one the store last saw in force, else the shipped default. A file that
/// does not parse is refused with its error, and the last definition the store saw in force stays
/// in force.
public enum DefinitionInForce {
    public struct Choice: Sendable {
        public var definition: Definition
        /// Set when a file was refused: its error, and what is in force instead.
        public var warning: String?
        /// The definition this run reads but has not recorded as in force: a file named for one run,
        /// recorded once a command of the run has changed the data.
        public var unrecorded = Unrecorded(nil)
    }

    public static func choose(explicit: String?, paths: Paths, store: any LeadStore, now: Date, by actor: String) -> Choice {
        settle(read(explicit: explicit, paths: paths), store: store, now: now, by: actor)
    }

    /// A definition read for one run (`--definition FILE`): trying a file on a report leaves no
    /// trace in `definition log`; it comes into force when a command of the run has changed the
    /// data under it (a move, a rejection, an import), since what changed stands on that version.
    /// A command refused, a dry run, or one that writes a file only (`definition init`) is no change.
    public final class Unrecorded: Sendable {
        private let pending: Mutex<Definition?>

        public init(_ definition: Definition?) { pending = Mutex(definition) }

        /// Records the definition as in force, once, after a command changed the data under it.
        public func recordAfterChanging(_ store: any LeadStore, at now: Date, by actor: String) throws {
            try pending.withLock { pending in
                guard let definition = pending else { return }
                try store.remember(definition, at: now, by: actor)
                pending = nil
            }
        }
    }

    /// What `read` found. (Not a `Result`: instantiating `Result<Definition, any Error>` checks at
    /// run time that `any Error` is an `Error`, a search every one-shot start would pay.)
    public enum Reading: Sendable {
        case parsed(Definition)
        case refused(any Error)
        /// No file named and none in the config dir: the shipped default, unless the store
        /// already has a definition in force.
        case noFile(shipped: Definition)
    }

    /// The first half of `choose`, which needs no store: the file (or the built-in default) read
    /// and parsed, or why it was refused. A caller may run it while the store opens.
    public static func read(explicit: String?, paths: Paths) -> Reading {
        let path = explicit ?? (FileManager.default.fileExists(atPath: paths.definitionFile) ? paths.definitionFile : nil)
        guard let path else { return .noFile(shipped: DefaultDefinition.load()) }
        do { return .parsed(try DefinitionParser.load(path: path)) } catch { return .refused(error) }
    }

    /// The second half of `choose`: records what was read as in force (by `actor`, the one running
    /// Handoff), or falls back when it was refused. A file named for this run alone (`forOneRun`)
    /// is not recorded yet: `Choice.unrecorded` records it once the run has changed the data.
    public static func settle(_ read: Reading, store: any LeadStore, now: Date, by actor: String, forOneRun: Bool = false) -> Choice {
        switch read {
        case .noFile(let shipped):
            // A run that names no file keeps the definition the team put in force (X Education's,
            // say): on a machine with no file of its own, the shipped default had replaced it
            // for everyone, on a mere read.
            // The shipped text in force is the compiled one: parsing it again would cost every run.
            // The text is named as kept, not as its file: that file may have changed since, or be
            // another on this machine (`definition check` then checks the text, not the file).
            if let stored = try? store.lastDefinition(), stored.text != shipped.text {
                do {
                    return Choice(definition: try DefinitionParser.parse(stored.text, origin: "\(stored.origin), as the database keeps it"), warning: nil)
                } catch {
                    // Kept by a Handoff whose parser took it: this run answers under the shipped
                    // one, says so, and puts nothing in force.
                    let problem = (error as? any HandoffError)?.message ?? "\(error)"
                    return Choice(definition: shipped, warning: "the definition in force (as the database keeps it, from \(stored.origin)) no longer reads: \(problem); this run answers under the built-in one, and leaves it in force")
                }
            }
            return remembered(shipped, store: store, now: now, by: actor)
        case .parsed(let definition):
            if forOneRun { return Choice(definition: definition, warning: nil, unrecorded: Unrecorded(definition)) }
            return remembered(definition, store: store, now: now, by: actor)
        case .refused(let error):
            let problem = (error as? any HandoffError)?.message ?? "\(error)"
            let previous = (try? store.lastDefinition()).flatMap { try? DefinitionParser.parse($0.text, origin: $0.origin) }
            let fallback = previous ?? DefaultDefinition.load()
            let which = previous != nil ? "the previous version \(fallback.version) (from \(fallback.origin))" : "the built-in default"
            return Choice(definition: fallback, warning: "definition refused: \(problem); \(which) stays in force")
        }
    }

    private static func remembered(_ definition: Definition, store: any LeadStore, now: Date, by actor: String) -> Choice {
        do {
            try store.remember(definition, at: now, by: actor)
            return Choice(definition: definition, warning: nil)
        } catch {
            return Choice(definition: definition, warning: "could not record definition version \(definition.version): \(error)")
        }
    }
}
