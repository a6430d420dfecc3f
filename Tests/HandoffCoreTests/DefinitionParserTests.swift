import Foundation
import Testing
@testable import HandoffCore

@Suite struct DefinitionParserTests {
    @Test func theShippedDefaultParsesWithEveryPart() throws {
        let definition = try DefinitionParser.parse(DefaultDefinition.yaml, origin: "built-in")
        #expect(definition.version == "2026.11-1")
        #expect(definition.fit.count >= 4)
        #expect(definition.engagement.halfLifeDays == 30)
        #expect(definition.engagement.kinds["demo_request"]?.points == 30)
        #expect(Set(definition.disqualifiers.map(\.id)) == ["competitor", "student", "personal_email", "do_not_contact", "no_email"])
        #expect(definition.thresholds.mql == 60)
        #expect(definition.thresholds.sqlConfirmed == [.budget, .authority, .need, .timing])
        #expect(Set(definition.themes.map(\.id)) == ["price", "timing", "authority", "need", "competition", "risk", "integration", "contract"])
        #expect(definition.themes.allSatisfy { !$0.answer.isEmpty })
    }

    /// The error a broken definition gets, as the user sees it.
    func problem(_ yaml: String) -> String {
        do {
            _ = try DefinitionParser.parse(yaml, origin: "team.yaml")
            return "parsed"
        } catch {
            return "\(error)"
        }
    }

    static let valid = """
        name: Test
        version: "1"
        fit:
          - id: senior
            field: lead.seniority
            in: [vp]
            points: 20
        engagement:
          half_life_days: 14
          events:
            demo_request: 30
        thresholds:
          mql: 20
        """

    @Test func aSmallValidFileParses() throws {
        let definition = try DefinitionParser.parse(Self.valid, origin: "team.yaml")
        #expect(definition.fit.first?.condition == .oneOf(["vp"]))
        #expect(definition.engagement.kinds["demo_request"]?.points == 30)
        // No `sql:` rule: no lead is sales-ready by its score (the MQL bar is not an SQL rule).
        #expect(definition.thresholds.sqlScore == .infinity)
        #expect(definition.thresholds.sqlRule == "no `sql:` rule: verdicts stop at MQL")
        let withSQL = try DefinitionParser.parse(Self.valid + "\n  sql:\n    confirmed: [budget]", origin: "team.yaml")
        #expect(withSQL.thresholds.sqlScore == 20, "an sql rule without min_score takes the MQL bar")
        #expect(withSQL.thresholds.sqlRule == "SQL at 20 points with budget confirmed")
    }

    @Test func moreFitCriteriaThanAVerdictCanHoldAreRefusedWithTheCount() {
        let criteria = (0...CriterionSet.capacity).map { "  - id: c\($0)\n    field: lead.seniority\n    in: [vp]\n    points: 1\n" }.joined()
        let yaml = Self.valid.replacingOccurrences(of: "fit:\n  - id: senior\n    field: lead.seniority\n    in: [vp]\n    points: 20\n", with: "fit:\n" + criteria)
        #expect(problem(yaml).contains("fit has 257 criteria; a definition holds at most 256"))
        #expect(problem(yaml).hasPrefix("team.yaml:4:"))
    }

    @Test func aYAMLSyntaxErrorNamesFileAndLine() {
        let broken = Self.valid.replacingOccurrences(of: "    in: [vp]", with: "    in: [vp")
        let message = problem(broken)
        #expect(message.hasPrefix("team.yaml:"))
        #expect(message.contains("not valid YAML"))
    }

    @Test func aWordWhereANumberBelongsNamesTheLineAndKey() {
        let message = problem(Self.valid.replacingOccurrences(of: "points: 20", with: "points: twenty"))
        #expect(message == "team.yaml:7:13: fit[0].points must be a number, found 'twenty'")
    }

    @Test func aMisspelledKeyIsRefusedNotIgnored() {
        let message = problem(Self.valid.replacingOccurrences(of: "points: 20", with: "pionts: 20"))
        #expect(message.hasPrefix("team.yaml:7:"))
        #expect(message.contains("unknown key 'pionts' under fit[0]"))
    }

    @Test func anUnknownFieldIsRefused() {
        let message = problem(Self.valid.replacingOccurrences(of: "lead.seniority", with: "lead.shoe_size"))
        #expect(message.hasPrefix("team.yaml:5:"))
        #expect(message.contains("unknown field 'lead.shoe_size'"))
    }

    @Test func aMissingVersionIsRefused() {
        let message = problem(Self.valid.replacingOccurrences(of: "version: \"1\"\n", with: ""))
        #expect(message.contains("the document is missing 'version'"))
    }

    @Test func twoTestsInOneCriterionAreRefused() {
        let message = problem(Self.valid.replacingOccurrences(of: "    in: [vp]", with: "    in: [vp]\n    contains: [head]"))
        #expect(message.contains("more than one test"))
    }

    @Test func anSQLThresholdBelowTheMQLOneIsRefused() {
        let message = problem(Self.valid + "\n  sql:\n    min_score: 10")
        #expect(message.contains("below the MQL threshold"))
    }

    @Test func aDuplicateKeyIsRefused() {
        let message = problem(Self.valid.replacingOccurrences(of: "name: Test", with: "name: Test\nname: Again"))
        #expect(message.contains("duplicate key"))
    }

    @Test func anEmptyOrMissingFileIsRefused() {
        #expect(problem("").contains("team.yaml:1: the file is empty"))
        #expect(throws: FileError.self) { try DefinitionParser.load(path: "/nonexistent/definition.yaml") }
    }

    @Test func conditionsReadValuesTheWayTeamsWriteThem() {
        #expect(Condition.oneOf(["VP"]).holds(for: "vp"))
        #expect(!Condition.oneOf(["VP"]).holds(for: nil))
        #expect(Condition.containsAny(["student"]).holds(for: "PhD Student"))
        #expect(Condition.range(min: 50, max: 5000).holds(for: "850"))
        #expect(!Condition.range(min: 50, max: 5000).holds(for: "12000"))
        #expect(!Condition.range(min: 50, max: nil).holds(for: "many"))
        #expect(Condition.present(false).holds(for: "  "))
        #expect(Condition.present(true).holds(for: "x"))
    }

    @Test func idsThatCouldNameAPathOutsideAFolderAreRefusedWithFileAndLine() {
        let theme = Self.valid + "\nthemes:\n  \"../../escape\":\n    phrases: [too expensive]\n"
        #expect(problem(theme) == "team.yaml:15:3: the theme id '../../escape' may hold only letters, digits, _ and -")
        let criterion = Self.valid.replacingOccurrences(of: "- id: senior", with: "- id: senior/vp")
        #expect(problem(criterion) == "team.yaml:4:9: the fit criterion id 'senior/vp' may hold only letters, digits, _ and -")
        let disqualifier = Self.valid + "\ndisqualifiers:\n  - id: student\n    field: lead.title\n    contains: [student]\n    reason: \"a b\"\n"
        #expect(problem(disqualifier) == "team.yaml:18:13: the reason id 'a b' may hold only letters, digits, _ and -")
        let reason = Self.valid + "\nreasons:\n  x.y: Something\n"
        #expect(problem(reason) == "team.yaml:15:3: the reason id 'x.y' may hold only letters, digits, _ and -")
        let fine = Self.valid + "\nthemes:\n  price_too-high2:\n    phrases: [too expensive]\n  préix:\n    phrases: [cher]\n"
        #expect(problem(fine) == "parsed")
    }

    @Test func aThemeLearnsFromExamplesAndNeedsAPhraseOrAnExample() throws {
        let examples = Self.valid + "\nthemes:\n  price:\n    examples:\n      - \"we have no money for this\"\n      - \"Is that the best you can do?\"\n"
        let definition = try DefinitionParser.parse(examples, origin: "team.yaml")
        #expect(definition.themes.first?.examples == ["we have no money for this", "Is that the best you can do?"])
        #expect(definition.themes.first?.phrases == [])
        #expect(ThemeClassifier(themes: definition.themes).classify("no money at all").theme == "price")
        let neither = Self.valid + "\nthemes:\n  price:\n    label: Price\n"
        #expect(problem(neither).hasPrefix("team.yaml:16:5: theme 'price' needs at least one phrase or example"), "\(problem(neither))")
        // One example may be written without a list, as a phrase may.
        let one = try DefinitionParser.parse(Self.valid + "\nthemes:\n  price:\n    examples: too expensive\n", origin: "team.yaml")
        #expect(one.themes.first?.examples == ["too expensive"])
    }

    /// The valid definition with its criterion's `in:` list replaced by `list`.
    static func valid(in list: String) -> String {
        valid.replacingOccurrences(of: "    in: [vp]", with: "    in: \(list)")
    }

    @Test func aDefinitionWithMoreThanAHundredAliasesIsRefused() {
        let many = "[&v vp, " + Array(repeating: "*v", count: 101).joined(separator: ", ") + "]"
        #expect(problem(Self.valid(in: many)).hasPrefix("team.yaml:6:"))
        #expect(problem(Self.valid(in: many)).hasSuffix(": the document uses more than 100 aliases (*v and others)"))
        let hundred = "[&v vp, " + Array(repeating: "*v", count: 100).joined(separator: ", ") + "]"
        #expect(problem(Self.valid(in: hundred)) == "parsed")
    }

    @Test func aFewAliasesThatStandForMegabytesAreRefused() {
        // 64 KiB of text, named once and repeated through aliases: a short file, a huge document.
        let long = String(repeating: "x", count: 65_536)
        let bomb = "[&v \(long), " + Array(repeating: "*v", count: 20).joined(separator: ", ") + "]"
        #expect(problem(Self.valid(in: bomb)).hasPrefix("team.yaml:6:"))
        #expect(problem(Self.valid(in: bomb)).hasSuffix(": the aliases (*v and others) stand for more than 1048576 bytes"))
        // Nested: nine levels of ten aliases each stand for a billion values.
        var nested = "&a0 [vp]"
        for level in 1...9 {
            nested = "&a\(level) [" + ([nested] + Array(repeating: "*a\(level - 1)", count: 9)).joined(separator: ", ") + "]"
        }
        #expect(problem(Self.valid(in: nested)).contains("stand for more than 1048576 bytes"))
    }
}
