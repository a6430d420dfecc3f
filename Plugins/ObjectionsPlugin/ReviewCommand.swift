import Foundation
import HandoffPluginAPI

/// `objections review`: the objections the classifier filed unsure (under `other`, or below
/// `ThemeClassifier.sure`), newest first, for a marketer to settle one after another: the newest
/// comes with its likely themes, each a number away, and after each answer the review goes on.
enum ReviewCommand {
    static let command = Command(
        name: "objections review",
        summary: "The objections filed unsure (under other or below 0.9), newest first, to settle one after another: a number picks a theme, then the next comes",
        options: [CommandOption("limit", value: "N", help: "list at most N (default 20)")],
        phrasings: ["review objections", "objections to review", "unsure objections", "label objections", "objections need a theme"],
        examples: ["objections review", "objections review --limit 50", "which objections need a theme?"], sayings: ObjectionsSayings.objectionsReview,
        run: run)

    static func run(_ request: Request, _ context: Context) throws -> Reply {
        let limit = try request.options["limit"].map { text -> Int in
            guard let number = Int(text), number > 0 else { throw UsageError("--limit takes a whole number above 0, not '\(text)'") }
            return number
        } ?? 20
        let unsure = try context.store.objectionsToReview(below: ThemeClassifier.sure, limit: limit)
        guard let first = unsure.first, let firstId = first.id else {
            return Reply(
                [.text("Nothing to review: every classified objection was filed with a confidence of \(String(format: "%.1f", ThemeClassifier.sure)) or more, or settled by a person.")],
                result: .object([("objections", .array([])), ("choices", .array([]))]))
        }
        let classifier = try context.classifier()
        let label = { (theme: String) in context.definition.theme(theme)?.label ?? theme }
        var blocks: [Block] = [
            .heading("\(unsure.count == limit ? "The newest \(limit)" : "\(unsure.count)") \(unsure.count == 1 ? "objection" : "objections") filed unsure, newest first"),
            .table(Table(
                columns: ["#", "when", "by", "theme", "confidence", "said"],
                rows: unsure.map { objection in
                    ["\(objection.id ?? 0)", Timestamp.isoDay(objection.at), objection.loggedBy, objection.theme,
                     String(format: "%.2f", objection.confidence ?? 0), "“\(objection.text)”"]
                },
                numeric: [0, 4])),
        ]
        // The newest is asked about now; after an answer, the review runs again with the next.
        let now = classifier.classify(first.text)
        let offered = ObjectionsPlugin.choices(for: firstId, now, context.definition, then: "objections review")
        let options = offered.enumerated().map { "\($0.offset + 1) \($0.element.label)" }.joined(separator: ", ")
        blocks.append(.text("#\(firstId) “\(first.text)” (\(first.loggedBy), \(Timestamp.isoDay(first.at))), filed under \(label(first.theme)):"))
        blocks.append(.note(context.answersByNumber
            ? "Type a number to file it: \(options); or `retheme N THEME` for any of them (the same theme again confirms it)."
            : "Likely: \(offered.map(\.label).joined(separator: ", ")). `retheme \(firstId) THEME` files it (the same theme again confirms it); `retheme N THEME` any of them."))
        return Reply(
            blocks,
            result: .object([
                ("objections", .array(unsure.map { objection in
                    var json = objection.json
                    if case .object(var pairs) = json {
                        let likely = classifier.classify(objection.text).candidates.prefix(3)
                        pairs.append(("likely", .array(likely.map { .object([("theme", .string($0.theme)), ("confidence", .double($0.confidence))]) })))
                        json = .object(pairs)
                    }
                    return json
                })),
                ("choices", .array(offered.map { .object([("theme", .string($0.theme)), ("line", .string($0.choice.line))]) })),
            ]),
            choices: offered.map(\.choice))
    }
}
