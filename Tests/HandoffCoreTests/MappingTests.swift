import Foundation
import Testing
@testable import HandoffCore

@Suite struct MappingTests {
    @Test(arguments: MappingPreset.allCases)
    func presetsParse(preset: MappingPreset) {
        let mapping = preset.mapping
        #expect(mapping.kind == .leads)
        #expect(mapping.fields["external_id"] != nil)
        #expect(mapping.fields["email"] != nil)
    }

    @Test func detectsAHubSpotExportFromItsHeader() {
        let header = ["Record ID", "First Name", "Last Name", "Email", "Lifecycle Stage", "Company Name"]
        #expect(Mapping.detect(kind: .leads, header: header).name == "hubspot preset")
        #expect(Mapping.detect(kind: .leads, header: ["external_id", "name"]).name.hasPrefix("native"))
    }

    @Test func templatesAndListsJoinColumns() throws {
        let mapping = try Mapping.parse("""
            kind: leads
            fields:
              external_id: ID
              name: [First, Last]
              title: "{Role} at {Dept}"
            """, name: "m.yaml")
        let converter = try RowConverter(
            mapping: mapping, header: ["ID", "First", "Last", "Role", "Dept"], file: "f.csv", now: Date(),
            classifier: ThemeClassifier(themes: []), actor: "test")
        let record = CSVRecord(line: 2, fields: ["7", "Ada", "", "CTO", "R&D"], problem: nil)
        guard case .success(.lead(let lead)) = converter.convert(record) else {
            Issue.record("the row did not convert")
            return
        }
        #expect(lead.name == "Ada")
        #expect(lead.title == "CTO at R&D")
        #expect(lead.seniority == .cLevel)
    }

    @Test func aColumnTheFileLacksIsNamedWithTheMappingLine() throws {
        let mapping = try Mapping.parse("kind: leads\nfields:\n  external_id: ID\n  email: E-mail\n", name: "m.yaml")
        do {
            _ = try RowConverter(mapping: mapping, header: ["ID", "Email"], file: "f.csv", now: Date(), classifier: ThemeClassifier(themes: []), actor: "t")
            Issue.record("bound a missing column")
        } catch {
            #expect("\(error)" == "m.yaml:4: email reads column 'E-mail', which f.csv does not have")
        }
    }

    @Test func afterContactColumnsNameTheFieldsTheyFeedInTheDefinitionsWords() throws {
        let mapping = try Mapping.parse("""
            kind: leads
            fields:
              external_id: ID
              notes: Tags
              title: Role
              company: "{Firm} ({Sales Region})"
            attributes:
              quality: Lead Quality
            keep_other_columns: true
            after_contact: [Tags, Role, Lead Quality, Lead Profile, Sales Region]
            """, name: "m.yaml")
        let converter = try RowConverter(
            mapping: mapping, header: ["ID", "Tags", "Role", "Firm", "Sales Region", "Lead Quality", "Lead Profile", "City"], file: "f.csv",
            now: Date(), classifier: ThemeClassifier(themes: []), actor: "test")
        // A template reading one such column makes its field one too, and so is what is worked out
        // of one (the seniority a title gives); the other columns stay.
        #expect(converter.filledAfterContact == [
            "account.name", "attribute.Lead Profile", "attribute.quality", "lead.notes", "lead.seniority", "lead.title",
        ])
    }

    @Test func anAfterContactColumnTheFileLacksIsNamedWithItsLine() throws {
        let mapping = try Mapping.parse("kind: leads\nfields:\n  external_id: ID\nafter_contact:\n  - Tags\n", name: "m.yaml")
        do {
            _ = try RowConverter(mapping: mapping, header: ["ID"], file: "f.csv", now: Date(), classifier: ThemeClassifier(themes: []), actor: "t")
            Issue.record("bound a missing column")
        } catch {
            #expect("\(error)" == "m.yaml:5: after_contact reads column 'Tags', which f.csv does not have")
        }
        #expect(throws: FileError.self) { try Mapping.parse("kind: events\nafter_contact: [Tags]\n", name: "m.yaml") }
    }

    @Test func aFieldTheKindDoesNotHaveIsRefused() {
        #expect(throws: FileError.self) {
            try Mapping.parse("kind: events\nfields:\n  outcome: Converted\n", name: "m.yaml")
        }
    }

    @Test func anUnknownKindIsRefused() {
        do {
            _ = try Mapping.parse("kind: deals\n", name: "m.yaml")
            Issue.record("parsed")
        } catch {
            #expect("\(error)".hasPrefix("m.yaml:1:7: unknown kind 'deals'"))
        }
    }
}

@Suite struct ObjectionsFromNotesTests {
    @Test func aNoteListedAsAnObjectionRidesAlongWithItsLead() throws {
        let mapping = try Mapping.parse("""
            kind: leads
            fields:
              external_id: ID
              notes: Tags
            objections_from:
              column: Tags
              themes:
                Lost to EINS: competition
            """, name: "m.yaml")
        let converter = try RowConverter(
            mapping: mapping, header: ["ID", "Tags"], file: "f.csv", now: .init(), classifier: ThemeClassifier(themes: DefaultDefinition.load().themes), actor: "t")
        guard case .success(.lead(let lost)) = converter.convert(CSVRecord(line: 2, fields: ["1", "lost to eins"], problem: nil)),
              case .success(.lead(let ringing)) = converter.convert(CSVRecord(line: 3, fields: ["2", "Ringing"], problem: nil)) else {
            Issue.record("rows did not convert")
            return
        }
        #expect(lost.notedObjection?.theme == "competition")
        #expect(lost.notedObjection?.text == "lost to eins")
        #expect(ringing.notedObjection == nil, "a note that is not listed is only a note")
        // A theme the taxonomy lacks is refused before any row, at the mapping's line.
        #expect(throws: FileError.self) {
            try RowConverter(mapping: mapping, header: ["ID", "Tags"], file: "f.csv", now: .init(), classifier: ThemeClassifier(themes: []), actor: "t")
        }
    }

    @Test func onlyALeadsMappingMayDeriveObjections() {
        #expect(throws: FileError.self) {
            try Mapping.parse("kind: events\nobjections_from:\n  column: Tags\n  themes: {}\n", name: "m.yaml")
        }
    }
}
