/// The help a command prints for `--help`, and the usage lines under an error.
public enum HelpText {
    /// "handoff [--db <path>] … [-c <command> ...] [--explain]".
    public static func usage(_ spec: CommandSpec) -> String {
        let options = spec.options.map { option in
            let shown = option.synopsis + (option.repeatable ? " ..." : "")
            return option.required ? shown : "[\(shown)]"
        }
        let subcommand = spec.subcommands.isEmpty ? [] : ["<subcommand>"]
        return ([spec.name] + options + subcommand).joined(separator: " ")
    }

    /// What follows an error message: the usage and where to read more.
    public static func errorFooter(_ spec: CommandSpec) -> String {
        "Usage: \(usage(spec))\n  See '\(spec.name) --help' for more information.\n"
    }

    public static func full(_ spec: CommandSpec, width: Int = 80) -> String {
        var text = ""
        // Prose stops short of the last column, as ArgumentParser's help did; the option table uses it.
        text += wrap("OVERVIEW: " + spec.abstract, width: width - 1).joined(separator: "\n") + "\n\n"
        if !spec.discussion.isEmpty {
            text += wrap(spec.discussion, width: width - 1).joined(separator: "\n") + "\n\n"
        }
        text += "USAGE: \(usage(spec))\n\n"
        text += "OPTIONS:\n"
        var rows = spec.options.map { option -> (String, String) in
            let synopsis = option.spellings + (option.repeatable ? " ..." : "")
            var help = option.help
            if let defaultValue = option.defaultValue { help += " (default: \(defaultValue))" }
            return (synopsis, help)
        }
        rows.append(("-h, --help", "Show help information."))
        text += table(rows, width: width)
        if !spec.subcommands.isEmpty {
            text += "\nSUBCOMMANDS:\n"
            text += table(spec.subcommands.map { ($0.name, $0.abstract) }, width: width)
            text += "\n  See '\(spec.name) <subcommand> --help' for detailed help.\n"
        }
        return text
    }

    /// Two columns: the left indented by 2, the right from column 26, wrapped; a left entry too
    /// long for its column puts its description on the next line.
    static func table(_ rows: [(String, String)], width: Int) -> String {
        let indent = 2, column = 26
        var text = ""
        for (left, right) in rows {
            let lines = wrap(right, width: max(20, width - column))
            let pad = String(repeating: " ", count: column)
            if indent + left.count + 1 <= column {
                text += String(repeating: " ", count: indent) + left
                text += String(repeating: " ", count: column - indent - left.count) + (lines.first ?? "") + "\n"
                for line in lines.dropFirst() { text += pad + line + "\n" }
            } else {
                text += String(repeating: " ", count: indent) + left + "\n"
                for line in lines { text += pad + line + "\n" }
            }
        }
        return text
    }

    /// Words into lines no longer than `width` (a longer word gets a line of its own).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
