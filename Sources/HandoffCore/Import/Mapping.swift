import Foundation
import Yams

/// What a CSV file holds.
public enum ImportKind: String, Sendable, CaseIterable {
    case leads, events, objections

    /// The fields a mapping may fill for this kind, and the ones a row must have.
    public var fields: [String] {
        switch self {
        case .leads:
            ["external_id", "name", "email", "title", "seniority", "source", "owner", "created_at", "stage",
             "outcome", "budget", "authority", "need", "timing", "notes",
             "company", "domain", "industry", "employees", "revenue_band", "country"]
        case .events: ["lead", "email", "kind", "occurred_at", "detail"]
        case .objections: ["external_id", "lead", "email", "account", "text", "theme", "logged_by", "at", "stage"]
        }
    }

    /// What a file holds, by its header (`import contacts.csv` names no kind): a CRM preset's
    /// columns, or the most columns named after one kind's own fields (those no other kind has).
    /// Nil when the header does not say.
    public static func guess(header: [String]) -> ImportKind? {
        let columns = Set(header.map { $0.trimmingWhitespace().lowercased() })
        if MappingPreset.allCases.contains(where: { $0.signature.allSatisfy { columns.contains($0.lowercased()) } }) { return .leads }
        let scored = allCases.map { kind in
            let others = Set(allCases.filter { $0 != kind }.flatMap(\.fields))
            return (kind, kind.fields.filter { !others.contains($0) && columns.contains($0) }.count)
        }.sorted { $0.1 > $1.1 }
        guard let best = scored.first, best.1 > 0, best.1 > scored[1].1 else { return nil }
        return best.0
    }
}

/// How a CSV export's columns map onto the lead model: read from a mapping file or a preset.
///
/// A field is filled from a column (`email: Email Address`), from a template of columns
/// (`name: "{First Name} {Last Name}"`), or from a constant default. `values` translates what a
/// column says before it is read (`outcome: {"1": won, "0": lost}`), and `empty` lists values that
/// mean "not given" (`Select` in a form export).
public struct Mapping: Sendable {
    public var name: String
    public var kind: ImportKind
    public var delimiter: Character = ","
    public var slashDates: Timestamp.SlashOrder = .monthFirst
    public var empty: Set<String> = [""]
    public var fields: [String: FieldSource] = [:]
    public var defaults: [String: String] = [:]
    public var values: [String: [String: String]] = [:]
    /// Attribute name → source, kept on the lead as CRM properties.
    public var attributes: [String: FieldSource] = [:]
    /// Keep every column no field or attribute names as an attribute of the same name.
    public var keepOtherColumns = false
    /// Skip a field whose column the file lacks, instead of refusing the file. True for presets,
    /// since exports include the properties the user picked; false for a mapping file, which
    /// names its columns on purpose.
    public var columnsOptional = false
    /// For leads: a column whose values, when they are objections, become objections too (the
    /// sales notes of an export), with the theme each value files under.
    public var objectionsFrom: (column: String, themes: [String: String])?
    /// Columns that sales fills in once it has talked to the lead (its notes, its rating of the
    /// lead): imported like the others, but what they feed is marked in the store, so no
    /// definition scores them (`definition check` refuses it) and the outcome cannot leak into
    /// the score.
    public var afterContact: [String] = []
    /// Where each setting was written, for errors that point back at the mapping file.
    var lines: [String: Int] = [:]

    public init(name: String, kind: ImportKind) {
        self.name = name
        self.kind = kind
    }

    /// A column, or a template naming columns in braces.
    public enum FieldSource: Sendable, Hashable {
        case column(String)
        case template([TemplatePart])

        public enum TemplatePart: Sendable, Hashable {
            case text(String)
            case column(String)
        }

        public init(_ text: String) {
            guard text.contains("{"), text.contains("}") else {
                self = .column(text)
                return
            }
            var parts: [TemplatePart] = []
            var rest = Substring(text)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                if open > rest.startIndex { parts.append(.text(String(rest[..<open]))) }
                parts.append(.column(String(rest[rest.index(after: open)..<close])))
                rest = rest[rest.index(after: close)...]
            }
            if !rest.isEmpty { parts.append(.text(String(rest))) }
            self = .template(parts)
        }

        var columns: [String] {
            switch self {
            case .column(let name): [name]
            case .template(let parts): parts.compactMap { if case .column(let name) = $0 { name } else { nil } }
            }
        }
    }
}

extension Mapping {
    public static let errorCode = "bad_mapping"

    /// Reads a mapping file.
    public static func load(path: String) throws -> Mapping {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(code: errorCode, file: path, line: 1, problem: "cannot read the mapping: \(readProblem(path))")
        }
        return try parse(text, name: path)
    }

    public static func parse(_ text: String, name: String) throws -> Mapping {
        let root = try YAMLReader(file: name, code: errorCode).root(of: text)
        let top = try root.fields(
            allowed: ["kind", "delimiter", "dates", "empty", "fields", "defaults", "values", "attributes", "keep_other_columns", "objections_from",
                      "after_contact"],
            required: ["kind"])
        let kindText = try top["kind"]!.string()
        guard let kind = ImportKind(rawValue: kindText) else {
            throw top["kind"]!.fail("unknown kind '\(kindText)'", hint: "kinds are: leads, events, objections")
        }
        var mapping = Mapping(name: name, kind: kind)
        if let delimiter = top["delimiter"] {
            let text = try delimiter.string()
            let value = text == "\\t" || text == "tab" ? "\t" : text
            guard value.count == 1, let character = value.first, character.isASCII else {
                throw delimiter.fail("delimiter must be one character, such as ',' ';' or tab")
            }
            mapping.delimiter = character
        }
        if let dates = top["dates"] {
            let text = try dates.string()
            guard let order = Timestamp.SlashOrder(rawValue: text) else {
                throw dates.fail("dates must be mdy (01/31/2026) or dmy (31/01/2026), found '\(text)'")
            }
            mapping.slashDates = order
        }
        if let empty = top["empty"] { mapping.empty.formUnion(try empty.strings()) }
        for (field, value) in try top["fields"]?.mapping(allowed: kind.fields) ?? [] {
            if case .sequence = value.node {
                // A list of columns: their values joined by spaces (`[First Name, Last Name]`).
                let columns = try value.strings()
                mapping.fields[field] = .template(columns.enumerated().flatMap { index, name -> [FieldSource.TemplatePart] in
                    index == 0 ? [.column(name)] : [.text(" "), .column(name)]
                })
            } else {
                mapping.fields[field] = FieldSource(try value.string())
            }
            mapping.lines[field] = value.line
        }
        for (field, value) in try top["defaults"]?.mapping(allowed: kind.fields) ?? [] {
            mapping.defaults[field] = try value.string()
        }
        for (field, table) in try top["values"]?.mapping(allowed: kind.fields) ?? [] {
            var translations: [String: String] = [:]
            for (from, to) in try table.mapping() { translations[from.lowercased()] = try to.string() }
            mapping.values[field] = translations
        }
        for (attribute, value) in try top["attributes"]?.mapping() ?? [] {
            mapping.attributes[attribute] = FieldSource(try value.string())
            mapping.lines["attribute.\(attribute)"] = value.line
        }
        mapping.keepOtherColumns = try top["keep_other_columns"]?.bool() ?? false
        if let section = top["after_contact"] {
            guard kind == .leads else { throw section.fail("after_contact is for leads files") }
            mapping.afterContact = try section.strings()
            mapping.lines["after_contact"] = section.line
        }
        if let section = top["objections_from"] {
            guard kind == .leads else { throw section.fail("objections_from is for leads files") }
            let fields = try section.fields(allowed: ["column", "themes"], required: ["column", "themes"])
            var themes: [String: String] = [:]
            for (value, theme) in try fields["themes"]!.mapping() { themes[value.lowercased()] = try theme.string() }
            mapping.objectionsFrom = (try fields["column"]!.string(), themes)
            mapping.lines["objections_from"] = section.line
        }
        return mapping
    }

    /// The mapping a file needs when none is named: the preset whose columns the header has, or
    /// the native one whose columns are the field names themselves.
    public static func detect(kind: ImportKind, header: [String]) -> Mapping {
        let columns = Set(header.map { $0.trimmingWhitespace().lowercased() })
        if kind == .leads {
            for preset in MappingPreset.allCases where preset.signature.allSatisfy({ columns.contains($0.lowercased()) }) {
                return preset.mapping
            }
        }
        var mapping = Mapping(name: "native (columns named after fields)", kind: kind)
        for field in kind.fields where columns.contains(field) { mapping.fields[field] = .column(field) }
        mapping.columnsOptional = true
        mapping.keepOtherColumns = kind == .leads
        return mapping
    }
}
