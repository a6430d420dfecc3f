import Foundation
import HandoffCore
import Testing

/// `Definition.changes(to:)`: what `definition diff` lists between two versions.
@Suite struct DefinitionDiffTests {
    static func edited(_ edits: [(String, String)]) throws -> Definition {
        var text = DefaultDefinition.yaml
        for (old, new) in edits {
            #expect(text.contains(old), "\(old)")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return try DefinitionParser.parse(text, origin: "edited.yaml")
    }

    @Test func aVersionComparedWithItselfHasNoChanges() throws {
        #expect(DefaultDefinition.load().changes(to: try DefinitionParser.parse(DefaultDefinition.yaml, origin: "copy.yaml")).isEmpty)
    }

    @Test func eachChangeIsNamedByPartRuleAndWhatItWasAndIs() throws {
        let old = DefaultDefinition.load()
        let new = try Self.edited([
            ("    label: Manager\n", "    label: Manager or team lead\n"),
            ("  - id: target_country\n    label: Sells where we do\n    field: account.country\n    in: [US, USA, United States, Canada, UK, United Kingdom, Germany, France, Netherlands, Ireland]\n    points: 5\n", ""),
            ("    min: 50\n    max: 5000\n    points: 15", "    min: 100\n    max: 5000\n    points: 20"),
            ("    trade_show_visit: { points: 10, cap: 10 }\n", "    trade_show_visit: { points: 10, cap: 10 }\n    podcast_listen: 2\n"),
            ("  mql: 60\n", "  mql: 55\n"),
            ("  mql_response: 2 business days", "  mql_response: 24 hours"),
        ])
        let changes = old.changes(to: new)
        let shown = changes.map { "\($0.part) | \($0.id) | \($0.kind) | \($0.before ?? "—") | \($0.after ?? "—")" }
        #expect(shown == [
            "fit | manager_role label | changed | Manager | Manager or team lead",
            "fit | company_size test | changed | account.employees is between 50 and 5000 | account.employees is between 100 and 5000",
            "fit | company_size points | changed | 15 | 20",
            "fit | target_country | removed | Sells where we do: account.country is one of US, USA, United States, Canada, UK, United Kingdom, Germany, France, Netherlands, Ireland, 5 points | —",
            "engagement | podcast_listen | added | — | 2 points",
            "thresholds | mql | changed | 60 | 55",
            "sla | mql_response | changed | 2 business days | 24 hours",
        ], "\(shown.joined(separator: "\n"))")
    }

    @Test func aThemeWhoseWordsChangedButNotTheirNumberIsStillNamed() throws {
        let old = DefaultDefinition.load()
        let price = try #require(old.theme("price"))
        let new = try Self.edited([("\"\(price.examples[0])\"", "\"We simply cannot pay that much.\"")])
        let changes = old.changes(to: new)
        #expect(changes.map(\.id) == ["price"])
        #expect(changes.first?.after?.hasSuffix("(its words changed)") == true)
    }
}
