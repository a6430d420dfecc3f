// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Handoff",
    products: [
        .executable(name: "handoff", targets: ["handoff"]),
        .executable(name: "handoff-team", targets: ["handoff-team"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        // What postgres-nio is built on, imported by the PostgreSQL store itself: the versions postgres-nio resolves to.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
    ],
    targets: [
        // What differs between operating systems: the C library, passed on, and the calls that differ.
        .target(name: "Platform"),

        // Core: the lead model, the agreed definition, import, time; knows no SQL dialect and no terminal.
        .target(name: "HandoffCore", dependencies: [.product(name: "Yams", package: "Yams")]),

        // Stores, and the SQL they share: the tables `migrate` copies, the lead-query builder, LIKE escaping.
        .target(name: "HandoffStoreSQL", dependencies: ["HandoffCore"]),
        .target(
            name: "HandoffSQLite",
            dependencies: [
                "HandoffCore", "HandoffStoreSQL", .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C API, for the import's statements (FastStatement).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        .target(
            name: "HandoffPostgres",
            dependencies: [
                "HandoffCore", "HandoffStoreSQL", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // Moving an SQLite database into an empty PostgreSQL one (`handoff migrate`), apart from both
        // stores so neither knows the other; handoff-team runs it, and so does the contract suite.
        .target(name: "HandoffMigrate", dependencies: ["HandoffCore", "HandoffStoreSQL", "HandoffSQLite", "HandoffPostgres"]),

        // The one module a plugin imports (it passes on, by name, what a plugin needs of HandoffCore).
        .target(name: "HandoffPluginAPI", dependencies: ["HandoffCore"]),

        // Polishing drafts through an OpenAI-compatible endpoint. HTTP goes through libcurl, loaded
        // only when a draft is polished (CHTTPPost): linking it made every start-up load ~30 libraries.
        .target(name: "CHTTPPost", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "HandoffLLM", dependencies: ["HandoffCore", "HandoffPluginAPI", "CHTTPPost"]),

        // The templates in Prompts/ (compiled in by scripts/generate-prompts) and the user's overrides.
        .target(name: "HandoffPrompts", dependencies: ["HandoffCore", "HandoffPluginAPI", .product(name: "Mustache", package: "swift-mustache")]),

        // Built-in plugins, one target each (explicit paths: a top-level Plugins/ folder would
        // otherwise be taken for SwiftPM package plugins).
        .target(name: "ImportPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/ImportPlugin"),
        .target(name: "DemoPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/DemoPlugin"),
        .target(name: "DefinitionPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/DefinitionPlugin"),
        .target(name: "HelpPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/HelpPlugin"),
        .target(name: "LeadsPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/LeadsPlugin"),
        .target(name: "QualificationPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/QualificationPlugin"),
        .target(name: "ObjectionsPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/ObjectionsPlugin"),
        .target(name: "AlignmentPlugin", dependencies: ["HandoffPluginAPI"], path: "Plugins/AlignmentPlugin"),

        // libedit, for line editing and history, as a system library.
        // No pkgConfig: its -L/usr/lib/x86_64-linux-gnu would come before Linking/static on the
        // library path (see scripts/release-flags). histedit.h is in /usr/include; scripts/install-dependencies
        // installs libedit-dev.
        .systemLibrary(name: "CLibEdit"),

        // The shell: parsing a command line, running it, rendering the reply.
        .target(name: "HandoffShell", dependencies: ["HandoffCore", "HandoffPluginAPI", "CLibEdit", "Platform"]),

        // Outside plugins: MCP servers run as child processes, their tools commands like a built-in
        // plugin's (at the plugin API's level: no shell). CPluginGroups: the signal handler that ends
        // running plugins when a signal ends Handoff (it must be C).
        .target(name: "CPluginGroups"),
        .target(name: "HandoffMCP", dependencies: ["HandoffCore", "HandoffPluginAPI", "CPluginGroups", "Platform", .product(name: "Yams", package: "Yams")]),
        // `handoff mcp`: Handoff as an MCP server, each tool a built-in command run as the shell runs
        // it. From HandoffMCP it takes the JSON parser and the MCP revisions both sides speak (`package`).
        .target(name: "HandoffMCPServer", dependencies: ["HandoffCore", "HandoffPluginAPI", "HandoffShell", "HandoffMCP"]),

        // Reading a command line against a list of options, and the help it prints.
        .target(name: "CommandLineOptions"),

        // The command line: flags, wiring, and the one list of built-in plugins, for both executables.
        .target(
            name: "HandoffCLI",
            dependencies: [
                "HandoffCore", "HandoffPluginAPI", "HandoffShell", "HandoffSQLite", "HandoffPrompts", "HandoffLLM", "HandoffMCP", "HandoffMCPServer",
                "ImportPlugin", "DemoPlugin", "DefinitionPlugin", "HelpPlugin", "LeadsPlugin", "QualificationPlugin", "ObjectionsPlugin",
                "AlignmentPlugin", "CommandLineOptions", "Platform",
            ]),

        // The executables: `handoff` (SQLite files) and `handoff-team`, the same with PostgreSQL
        // linked in, which `handoff` hands postgres:// command lines to.
        .executableTarget(name: "handoff", dependencies: ["HandoffCLI"]),
        .executableTarget(
            name: "handoff-team", dependencies: ["HandoffCore", "HandoffShell", "HandoffSQLite", "HandoffPostgres", "HandoffMigrate", "HandoffCLI"]),

        // Tests.
        .testTarget(name: "HandoffCoreTests", dependencies: ["HandoffCore", "HandoffTestSupport"]),
        // What the store suites share: scratch folders and an importer on a fixed clock.
        .target(name: "HandoffTestSupport", dependencies: ["HandoffCore"], path: "Tests/TestSupport"),
        .testTarget(
            name: "HandoffSQLiteTests", dependencies: ["HandoffCore", "HandoffSQLite", "HandoffTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "HandoffShellTests",
            dependencies: [
                "HandoffCore", "HandoffPluginAPI", "HandoffShell", "HandoffSQLite", "DemoPlugin", "HelpPlugin", "LeadsPlugin", "ImportPlugin", "DefinitionPlugin",
                "QualificationPlugin", "ObjectionsPlugin", "AlignmentPlugin", "HandoffPrompts",
            ]),
        .testTarget(name: "HandoffPromptsTests", dependencies: ["HandoffCore", "HandoffPrompts"]),
        // One suite every store must pass, run against SQLite and a real PostgreSQL server.
        .testTarget(
            name: "StoreContractTests",
            dependencies: [
                "HandoffCore", "HandoffSQLite", "HandoffPostgres", "HandoffStoreSQL", "HandoffMigrate", "DemoPlugin", "HandoffTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .testTarget(name: "EndToEndTests", dependencies: ["HandoffCore"], exclude: ["Fixtures"]),
        // What the plugin host's and `handoff mcp`'s suites read: the demo data in a scratch SQLite file.
        .target(
            name: "HandoffDemoWorld",
            dependencies: [
                "HandoffCore", "HandoffPluginAPI", "HandoffShell", "HandoffMCP", "HandoffSQLite", "HandoffPrompts", "DemoPlugin", "LeadsPlugin", "QualificationPlugin", "ObjectionsPlugin"],
            path: "Tests/DemoWorld"),
        .testTarget(name: "HandoffMCPTests", dependencies: ["HandoffCore", "HandoffPluginAPI", "HandoffMCP", "HandoffSQLite", "HandoffDemoWorld"]),
        .testTarget(
            name: "HandoffMCPServerTests",
            dependencies: ["HandoffCore", "HandoffPluginAPI", "HandoffShell", "HandoffMCP", "HandoffMCPServer", "HandoffSQLite", "HandoffDemoWorld"]),
        .testTarget(name: "CommandLineOptionsTests", dependencies: ["CommandLineOptions"]),
    ]
)

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    // What a module uses of another is what it imports (MemberImportVisibility), and an import is
    // internal unless marked public (InternalImportsByDefault): a module's dependencies are not
    // handed on to those that import it unless it says so, as in Hummingbird.
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
