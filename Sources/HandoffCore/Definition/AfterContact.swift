/// Fields that sales fills in once it has talked to a lead (its notes, its rating of the lead) know
/// the outcome in part: a definition that scores them looks better than any can be before the first
/// call, and decides nothing marketing could have decided. An import's mapping marks them
/// (`after_contact:`); these are the rules of a definition that read one.
extension Definition {
    public struct AfterContactRule: Sendable, Equatable {
        /// "fit criterion" or "disqualifier", as messages name it.
        public var kind: String
        public var id: String
        public var label: String
        public var field: String
        /// The mapping that marked the field.
        public var mapping: String
        /// Where the rule's field is written in the definition file, when it came from one.
        public var line: Int?
    }

    /// The rules that read a field in `marked` (field → the mapping that marked it), in file order.
    public func rules(readingAfterContact marked: [String: String]) -> [AfterContactRule] {
        let fitRules = fit.compactMap { rule in
            marked[rule.field.description].map {
                AfterContactRule(kind: "fit criterion", id: rule.id, label: rule.label, field: rule.field.description, mapping: $0, line: lines["fit.\(rule.id)"])
            }
        }
        let disqualifying = disqualifiers.compactMap { rule in
            marked[rule.field.description].map {
                AfterContactRule(kind: "disqualifier", id: rule.id, label: rule.label, field: rule.field.description, mapping: $0, line: lines["disqualifiers.\(rule.id)"])
            }
        }
        return fitRules + disqualifying
    }

    /// Refuses a definition with a rule on a field filled in after contact, pointing at the first.
    public func refuseRulesReadingAfterContact(_ marked: [String: String]) throws {
        let rules = rules(readingAfterContact: marked)
        guard let first = rules.first else { return }
        let others = rules.dropFirst().map { "'\($0.id)' (\($0.field))" }
        throw FileError(
            code: DefinitionParser.errorCode, file: origin, line: first.line ?? 1,
            problem: "\(first.kind) '\(first.id)' reads \(first.field), which sales fills in after the first contact (so says the mapping \(first.mapping))"
                + (others.isEmpty ? "" : "; so do \(others.joined(separator: ", "))"),
            hint: "an MQL must be decidable by marketing alone: score what marketing knows before sales calls, or drop the rule")
    }
}
