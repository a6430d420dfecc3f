import CommandLineOptions

/// Every option Handoff's command line takes, with the words `--help` prints for it.
enum CommandSpecs {
    /// The options every way of running Handoff shares (the shell, `handoff mcp`).
    static let session: [OptionSpec] = [
        .value("--db", "path|url", help: "The database: an SQLite file, or postgres://user@host:5432/name for a team's shared one (also HANDOFF_DB)."),
        .value("--definition", "path", help: "The agreed-definition file (default: definition.yaml in the config dir, else the one in force in the database, else the built-in one); one named here comes into force with the run's first change to the data."),
        .value("--now", "time", help: "Answer as if it were this time (ISO 8601; also HANDOFF_NOW)."),
        .value("--as", "name", help: "Who is acting, recorded on every change (also HANDOFF_USER)."),
    ]

    static let root = CommandSpec(
        name: "handoff",
        abstract: "The marketing–sales hand-off in a terminal: one agreed definition of a qualified lead, one shared lead model.",
        discussion: """
            With no -c or -f, reads commands from standard input: a prompt on a terminal, one command \
            per line in a script. Type `help` for the commands.
            """,
        options: session + [
            .value("--format", "format", help: "text, json, markdown or csv.", default: "text"),
            .value("--on-error", "stop|continue", help: "In a script: stop at the first failed command (saying where, and that the rest did not run), or continue.", default: "continue"),
            .value("-c", "command", help: "Run this command and exit (repeatable).", repeatable: true),
            .value("-f", "file", help: "Run the commands in this file and exit."),
            .flag("--explain", help: "Before each answer, print on stderr how the line was understood."),
            .flag("--echo-all", short: "-a", help: "In a script or with -c: print each command, as 'handoff> LINE', before its answer (not with --format json)."),
            .flag("--version", help: "Print the version and exit."),
        ],
        subcommands: [("mcp", mcp.abstract), ("migrate", migrate.abstract)])

    static let mcp = CommandSpec(
        name: "handoff mcp",
        abstract: "Serve the lead model and the commands as MCP tools over stdio (JSON-RPC 2.0).",
        discussion: """
            Read-only unless --allow-writes: find_leads, lead, qualify, why_rejected, objections, brief, \
            definition_report; with --allow-writes also log_objection, accept, reject, and brief keeps its \
            draft. Each argument fills one field of the command's request, never a command line, and each tool \
            answers with the JSON `handoff --format json` prints for the same command.
            """,
        options: session + [
            .flag("--allow-writes", help: "Also offer the tools that change the lead model: log_objection, accept, reject; and keep each brief.")
        ])

    static let migrate = CommandSpec(
        name: "handoff migrate",
        abstract: "Move an SQLite database into an empty PostgreSQL database (team mode), checking every table's count.",
        options: [
            .value("--from", "path", help: "The SQLite file to move (default: the one --db, HANDOFF_DB or the settings file names)."),
            .value("--to", "url", help: "The PostgreSQL database to move it into; the password is best kept in ~/.pgpass or PGPASSWORD.", required: true),
        ])
}
