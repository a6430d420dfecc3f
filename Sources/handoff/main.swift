import HandoffCLI

// SQLite only: a postgres:// database hands the command line to handoff-team (TeamStores.swift).
CommandLineMain.main(team: nil)
