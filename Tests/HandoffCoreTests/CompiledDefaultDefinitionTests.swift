import Foundation
import Testing
@testable import HandoffCore

/// The built-in definition is compiled into the binary as Swift (`DefaultDefinition+Compiled.swift`)
/// rather than parsed from its YAML at every start. The file is written from the YAML by this test:
/// `HANDOFF_REGENERATE=1 swift test --filter CompiledDefaultDefinitionTests` after editing the YAML.
@Suite struct CompiledDefaultDefinitionTests {
    static let file = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/HandoffCore/Definition/DefaultDefinition+Compiled.swift").path

    @Test func theCompiledDefinitionIsWhatItsYAMLParsesTo() throws {
        let parsed = try DefinitionParser.parse(DefaultDefinition.yaml, origin: "built-in")
        let source = Self.source(parsed)
        if ProcessInfo.processInfo.environment["HANDOFF_REGENERATE"] != nil {
            try source.write(toFile: Self.file, atomically: true, encoding: .utf8)
        }
        #expect(try String(contentsOfFile: Self.file, encoding: .utf8) == source,
                "DefaultDefinition+Compiled.swift is out of date: run HANDOFF_REGENERATE=1 swift test --filter CompiledDefaultDefinitionTests")
        #expect(DefaultDefinition.compiled == parsed)
        #expect(DefaultDefinition.load() == parsed)
    }

    /// Swift source that builds `definition` (its text is `DefaultDefinition.yaml`).
    static func source(_ definition: Definition) -> String {
        func string(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        func strings(_ texts: [String]) -> String { "[" + texts.map(string).joined(separator: ", ") + "]" }
        func number(_ value: Double) -> String { value == .infinity ? ".infinity" : "\(value)" }
        func optional(_ value: Double?) -> String { value.map(number) ?? "nil" }
        func field(_ path: FieldPath) -> String {
            switch path {
            case .lead(let field): ".lead(.\(field))"
            case .account(let field): ".account(.\(field))"
            case .attribute(let key): ".attribute(\(string(key)))"
            }
        }
        func condition(_ condition: Condition) -> String {
            switch condition {
            case .oneOf(let options): ".oneOf(\(strings(options)))"
            case .containsAny(let needles): ".containsAny(\(strings(needles)))"
            case .range(let min, let max): ".range(min: \(optional(min)), max: \(optional(max)))"
            case .present(let wanted): ".present(\(wanted))"
            }
        }
        let fit = definition.fit.map {
            "            Criterion(id: \(string($0.id)), label: \(string($0.label)), field: \(field($0.field)), condition: \(condition($0.condition)), points: \(number($0.points))),"
        }
        let kinds = definition.engagement.kinds.sorted { $0.key < $1.key }.map {
            "            \(string($0.key)): .init(points: \(number($0.value.points)), cap: \(optional($0.value.cap))),"
        }
        let disqualifiers = definition.disqualifiers.map {
            "            Disqualifier(id: \(string($0.id)), label: \(string($0.label)), field: \(field($0.field)), condition: \(condition($0.condition)), reasonCode: \(string($0.reasonCode))),"
        }
        let lines = definition.lines.sorted { $0.key < $1.key }.map { "\(string($0.key)): \($0.value)" }.joined(separator: ", ")
        let reasons = definition.reasons.map { "            ReasonCode(code: \(string($0.code)), label: \(string($0.label)))," }
        let themes = definition.themes.map {
            "            Theme(id: \(string($0.id)), label: \(string($0.label)), phrases: \(strings($0.phrases)), examples: \(strings($0.examples)), answer: \(string($0.answer)), proof: \(strings($0.proof)), content: \(strings($0.content)), callToAction: \(string($0.callToAction))),"
        }
        let thresholds = definition.thresholds
        return """
            // Generated from the YAML text `DefaultDefinition.yaml` (in DefaultDefinition.swift) by CompiledDefaultDefinitionTests: do not edit.
            // After changing the YAML: HANDOFF_REGENERATE=1 swift test --filter CompiledDefaultDefinitionTests

            extension DefaultDefinition {
                static let compiled = Definition(
                    name: \(string(definition.name)), version: \(string(definition.version)),
                    fit: [
            \(fit.joined(separator: "\n"))
                    ],
                    engagement: EngagementRules(halfLifeDays: \(number(definition.engagement.halfLifeDays)), cap: \(number(definition.engagement.cap)), kinds: [
            \(kinds.joined(separator: "\n"))
                    ]),
                    disqualifiers: [
            \(disqualifiers.joined(separator: "\n"))
                    ],
                    thresholds: Thresholds(mql: \(number(thresholds.mql)), sqlScore: \(number(thresholds.sqlScore)), sqlConfirmed: [\(thresholds.sqlConfirmed.map { ".\($0)" }.joined(separator: ", "))]),
                    reasons: [
            \(reasons.joined(separator: "\n"))
                    ],
                    themes: [
            \(themes.joined(separator: "\n"))
                    ],
                    origin: "built-in", text: yaml,
                    lines: [\(lines)],
                    sla: \(definition.sla.map { "ServiceLevel(mqlResponse: \(number($0.mqlResponse)), businessDays: \($0.businessDays), text: \(string($0.text)))" } ?? "nil"),
                    grid: \(definition.agreedGrid.map { "GridBands(fitA: \(number($0.fitA)), fitB: \(number($0.fitB)), engagement1: \(number($0.engagement1)), engagement2: \(number($0.engagement2)), agreed: true)" } ?? "nil"))
            }

            """
    }
}
