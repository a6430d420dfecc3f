import Testing
@testable import CommandLineOptions

@Suite struct OptionParserTests {
    let spec = CommandSpec(
        name: "tool", abstract: "Does things to files, carefully and in order.",
        options: [
            .value("--db", "path", help: "The database."),
            .value("--format", "format", help: "Output format.", default: "text"),
            .value("-c", "command", help: "Run this command (repeatable).", repeatable: true),
            .flag("--explain", help: "Say how the line was understood."),
        ])

    func options(_ arguments: [String]) throws -> ParsedOptions {
        guard case .run(let options) = try OptionParser.parse(arguments, for: spec) else {
            Issue.record("asked for help")
            return ParsedOptions()
        }
        return options
    }

    func error(_ arguments: [String], in spec: CommandSpec? = nil) -> String? {
        do {
            _ = try OptionParser.parse(arguments, for: spec ?? self.spec)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func aSubcommandAfterTheOptionsIsShownWhereItGoes() {
        var withSubcommands = spec
        withSubcommands.subcommands = [("serve", "Serves."), ("move", "Moves.")]
        do {
            _ = try OptionParser.parse(["--db", "x.sqlite", "serve"], for: withSubcommands)
            Issue.record("a subcommand after the options was taken")
        } catch {
            #expect(error.message == "'serve' is a subcommand: it comes first, before the options")
            #expect(error.help == "tool serve --db x.sqlite")
        }
        #expect(self.error(["stray"], in: withSubcommands) == "Unexpected argument 'stray'")
    }

    @Test func valuesSeparateOrAfterAnEqualsSign() throws {
        let parsed = try options(["--db", "/tmp/a b.sqlite", "--format=json", "--explain"])
        #expect(parsed.value("--db") == "/tmp/a b.sqlite")
        #expect(parsed.value("--format") == "json")
        #expect(parsed.isSet("--explain"))
        #expect(try options([]).value("--format") == nil)
        #expect(try !options([]).isSet("--explain"))
    }

    /// How `handoff` takes the password out of a URL it hands on: only the option's values change,
    /// read as the parser reads them (a `-c` whose text is `--db` is a command, not the option).
    @Test func replacingAnOptionsValuesLeavesEverythingElseAsItWas() throws {
        let arguments = ["-c", "--db", "--explain", "--db", "a", "--format", "--db", "--db=b", "-c", "leads"]
        let replaced = OptionParser.replacingValues(of: "--db", in: arguments, for: spec) { $0.uppercased() }
        #expect(replaced == ["-c", "--db", "--explain", "--db", "A", "--format", "--db", "--db=B", "-c", "leads"])
        #expect(try options(replaced).all("-c") == ["--db", "leads"])
        #expect(try options(replaced).value("--db") == "B")
        #expect(OptionParser.replacingValues(of: "--db", in: ["--db"], for: spec) { $0 + "!" } == ["--db"])
    }

    @Test func repeatedOptionsKeepEveryValueInOrderAndTheLastWins() throws {
        let parsed = try options(["-c", "demo", "--format", "text", "-c", "leads at acme", "--format", "json"])
        #expect(parsed.all("-c") == ["demo", "leads at acme"])
        #expect(parsed.value("--format") == "json")
    }

    @Test func aValueMayStartWithADashOrBeEmpty() throws {
        let parsed = try options(["-c", "--help", "--db=", "--format", "-x"])
        #expect(parsed.all("-c") == ["--help"])
        #expect(parsed.value("--db") == "")
        #expect(parsed.value("--format") == "-x")
    }

    @Test func helpAnywhereAsksForHelp() throws {
        #expect(try OptionParser.parse(["--db", "x", "-h"], for: spec) == .help)
        #expect(try OptionParser.parse(["--help"], for: spec) == .help)
    }

    @Test func badCommandLinesNameTheOption() {
        #expect(error(["--bogus"]) == "Unknown option '--bogus'")
        #expect(error(["--bogus=1"]) == "Unknown option '--bogus'")
        #expect(error(["--db"]) == "Missing value for '--db <path>'")
        #expect(error(["-c", "demo", "-c"]) == "Missing value for '-c <command>'")
        #expect(error(["--explain=yes"]) == "The flag '--explain' takes no value")
        #expect(error(["demo"]) == "Unexpected argument 'demo'")
        let required = CommandSpec(name: "tool move", abstract: "", options: [.value("--to", "url", help: "Where.", required: true)])
        #expect(error([], in: required) == "Missing expected argument '--to <url>'")
        #expect(error(["--to", "x"], in: required) == nil)
        #expect(throws: CommandLineError("Missing value for '--db <path>'", help: "--db <path>  The database.")) {
            try OptionParser.parse(["--db"], for: spec)
        }
    }

    @Test func helpListsEveryOptionWithItsDescriptionAndDefault() {
        let help = HelpText.full(spec, width: 60)
        #expect(help.hasPrefix("OVERVIEW: Does things to files, carefully and in order.\n"))
        #expect(help.contains("USAGE: tool [--db <path>] [--format <format>] [-c <command> ...] [--explain]\n"))
        #expect(help.contains("  --db <path>             The database.\n"))
        #expect(help.contains("  --format <format>       Output format. (default: text)\n"))
        #expect(help.contains("  -c <command> ...        Run this command (repeatable).\n"))
        #expect(help.contains("  -h, --help              Show help information.\n"))
        #expect(HelpText.errorFooter(spec).hasSuffix("  See 'tool --help' for more information.\n"))
    }

    @Test func aFlagMayHaveAShortSpellingKeptUnderItsLongName() throws {
        let echo = CommandSpec(name: "tool", abstract: "", options: [.flag("--echo-all", short: "-a", help: "Echo each line.")])
        #expect(try OptionParser.parse(["-a"], for: echo) == OptionParser.parse(["--echo-all"], for: echo))
        guard case .run(let parsed) = try OptionParser.parse(["-a"], for: echo) else {
            Issue.record("asked for help")
            return
        }
        #expect(parsed.isSet("--echo-all"))
        #expect(error(["-a=yes"], in: echo) == "Unknown option '-a=yes'")
        #expect(HelpText.full(echo, width: 60).contains("  -a, --echo-all          Echo each line.\n"))
        #expect(HelpText.usage(echo) == "tool [--echo-all]")
    }

    @Test func longDescriptionsWrapUnderTheirColumn() {
        let lines = HelpText.table([("--on-error <stop|continue>", "In a script: stop at the first failed command, or continue.")], width: 60)
            .split(separator: "\n")
        #expect(lines == [
            "  --on-error <stop|continue>",
            "                          In a script: stop at the first",
            "                          failed command, or continue.",
        ])
    }
}
