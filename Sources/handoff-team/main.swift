import HandoffCLI

// handoff with team databases (PostgreSQL) linked in; `handoff` runs it for postgres:// URLs.
CommandLineMain.main(team: PostgresTeam())
