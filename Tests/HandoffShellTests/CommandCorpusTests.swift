import Foundation
import HandoffCore
import HandoffPluginAPI
import Testing
@testable import HandoffShell

/// The labelled command lines of Tests/Language/commands.tsv (862 lines in users' words, over every
/// command, with the demo data's names), written apart from the commands' own phrasings and
/// examples, split once into a training part and a held-out part. A line counts as right when it
/// goes to the right command and, where it names a lead or an account, to that one.
@Suite struct CommandCorpusTests {
    struct Labelled {
        let split: String
        let command: String
        let subject: String
        let line: String
    }

    static func corpus() throws -> [Labelled] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Language/commands.tsv").path
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { row in
            let fields = row.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
            return Labelled(split: fields[0], command: fields[1], subject: fields[2], line: fields[3])
        }
    }

    /// Each line routed in a fresh conversation, as a first line would be.
    static func accuracy(_ part: [Labelled]) throws -> (share: Double, misses: [String]) {
        let fixture = try Fixture()
        var right = 0
        var misses: [String] = []
        for item in part {
            let outcome: Router.Outcome?
            var got = "(error)"
            do { outcome = try fixture.router.route(item.line, conversation: Conversation()) } catch {
                outcome = nil
                got = "(error: \(error))"
            }
            if case .run(let routed)? = outcome {
                got = routed.command.name
                let subject = routed.request.subject?.name ?? ""
                if got == item.command && (item.subject.isEmpty || subject == item.subject) {
                    right += 1
                    continue
                }
                got += subject.isEmpty ? "" : " \(subject)"
            } else if case .choose? = outcome {
                got = "(asked which)"
            } else if case .chooseCommand(let question, _)? = outcome {
                got = "(asked: \(question))"
            }
            misses.append("\(item.command) \(item.subject) → \(got): \(item.line)")
        }
        return (Double(right) / Double(part.count), misses)
    }

    /// The issue's target: 95% of the held-out part (168 lines), met since the thinner commands got
    /// as many sayings as the others (BENCHMARKS.md, "Understanding people's words"). The training
    /// part grew by two sets of lines (154 and 163) colleagues wrote fresh, without the corpus or the
    /// sayings, to find where the router failed; what they taught went into the sayings, so they
    /// count as training.
    @Test func theHeldOutLinesReachTheirCommand() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count == 862)
        let training = try Self.accuracy(corpus.filter { $0.split == "train" })
        let heldOut = try Self.accuracy(corpus.filter { $0.split == "test" })
        print("command lines, training part: \(training.share)")
        print("command lines, held-out part: \(heldOut.share)")
        if ProcessInfo.processInfo.environment["HANDOFF_SHOW_MISSES"] != nil { training.misses.forEach { print("miss:", $0) } }
        // How the held-out misses went (asked, refused, routed elsewhere), never which lines they were.
        print("held-out misses: \(heldOut.misses.filter { $0.contains("→ (asked") }.count) asked, \(heldOut.misses.filter { $0.contains("→ (error") }.count) refused, \(heldOut.misses.filter { !$0.contains("→ (") }.count) routed elsewhere")
        #expect(heldOut.share >= 0.95)
    }
}
