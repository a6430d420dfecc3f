import GRDB

/// The schema, as named migrations. A released migration is never edited: change the schema by
/// appending a new one.
enum Migrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-lead-model") { db in
            try db.execute(sql: """
                CREATE TABLE accounts (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL UNIQUE,
                    domain TEXT,
                    industry TEXT,
                    employees INTEGER,
                    revenue_band TEXT,
                    country TEXT
                );
                CREATE INDEX accounts_domain ON accounts(domain);

                CREATE TABLE leads (
                    id INTEGER PRIMARY KEY,
                    external_id TEXT NOT NULL UNIQUE,
                    account_id INTEGER REFERENCES accounts(id),
                    name TEXT NOT NULL,
                    email TEXT,
                    title TEXT,
                    seniority TEXT,
                    source TEXT,
                    owner TEXT,
                    created_at INTEGER NOT NULL,
                    stage TEXT NOT NULL,
                    outcome TEXT NOT NULL DEFAULT 'open',
                    budget INTEGER,
                    authority INTEGER,
                    need INTEGER,
                    timing INTEGER,
                    notes TEXT,
                    attributes TEXT NOT NULL DEFAULT '{}'
                );
                CREATE INDEX leads_name ON leads(name COLLATE NOCASE);
                CREATE INDEX leads_email ON leads(email COLLATE NOCASE);
                CREATE INDEX leads_account ON leads(account_id);
                CREATE INDEX leads_created ON leads(created_at);
                CREATE INDEX leads_stage ON leads(stage, created_at);
                CREATE INDEX leads_source ON leads(source COLLATE NOCASE, created_at);

                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    detail TEXT NOT NULL DEFAULT '',
                    UNIQUE (lead_id, kind, occurred_at, detail)
                );
                CREATE INDEX events_lead_time ON events(lead_id, occurred_at);
                CREATE INDEX events_time ON events(occurred_at);

                CREATE TABLE transitions (
                    id INTEGER PRIMARY KEY,
                    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
                    from_stage TEXT,
                    to_stage TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    by TEXT NOT NULL,
                    reason TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX transitions_lead_time ON transitions(lead_id, at);
                CREATE INDEX transitions_time ON transitions(at);

                CREATE TABLE rejections (
                    id INTEGER PRIMARY KEY,
                    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
                    at INTEGER NOT NULL,
                    by TEXT NOT NULL,
                    by_rule INTEGER NOT NULL DEFAULT 0,
                    reason_code TEXT NOT NULL,
                    note TEXT NOT NULL DEFAULT '',
                    definition_version TEXT NOT NULL
                );
                CREATE INDEX rejections_lead_time ON rejections(lead_id, at);

                CREATE TABLE objections (
                    id INTEGER PRIMARY KEY,
                    external_id TEXT UNIQUE,
                    lead_id INTEGER REFERENCES leads(id) ON DELETE SET NULL,
                    account_id INTEGER REFERENCES accounts(id) ON DELETE SET NULL,
                    text TEXT NOT NULL,
                    theme TEXT NOT NULL,
                    logged_by TEXT NOT NULL,
                    at INTEGER NOT NULL,
                    deal_stage TEXT
                );
                CREATE INDEX objections_time_theme ON objections(at, theme);
                CREATE INDEX objections_theme_time ON objections(theme, at);
                CREATE INDEX objections_lead ON objections(lead_id);

                CREATE TABLE briefs (
                    id INTEGER PRIMARY KEY,
                    theme TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    period_start INTEGER NOT NULL,
                    period_end INTEGER NOT NULL,
                    markdown TEXT NOT NULL
                );
                CREATE TABLE brief_objections (
                    brief_id INTEGER NOT NULL REFERENCES briefs(id) ON DELETE CASCADE,
                    objection_id INTEGER NOT NULL REFERENCES objections(id) ON DELETE CASCADE,
                    PRIMARY KEY (brief_id, objection_id)
                );

                CREATE TABLE definitions (
                    id INTEGER PRIMARY KEY,
                    version TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    text TEXT NOT NULL,
                    loaded_at INTEGER NOT NULL,
                    UNIQUE (version, text)
                );
                """)
        }
        migrator.registerMigration("v2-objection-tally-index") { db in
            // Objection summaries count by period, theme and segment: this index answers them
            // without reading the rows themselves.
            try db.execute(sql: """
                CREATE INDEX objections_tally ON objections(at, theme, account_id, deal_stage, logged_by)
                """)
        }
        migrator.registerMigration("v3-objection-industry") { db in
            // The industry an objection came from, kept on it as it was when heard, so summaries
            // by industry count from one index instead of joining every objection to its account.
            try db.execute(sql: """
                ALTER TABLE objections ADD COLUMN industry TEXT;
                UPDATE objections SET industry = (SELECT lower(accounts.industry) FROM accounts WHERE accounts.id = objections.account_id);
                DROP INDEX objections_tally;
                CREATE INDEX objections_tally ON objections(at, theme, industry, deal_stage, logged_by);
                """)
        }
        migrator.registerMigration("v5-deferred-indexes") { db in
            // A large import drops the secondary indexes of the tables it fills and rebuilds them
            // once at the end (sorted, instead of one random insertion per row). Their definitions
            // wait here meanwhile, with the importing process and, for a unique index, the
            // statement that removes rows repeating a key first, so that an import that is killed
            // leaves them to be rebuilt by the next process that opens the database.
            try db.execute(sql: """
                CREATE TABLE deferred_indexes (
                    name TEXT PRIMARY KEY,
                    sql TEXT NOT NULL,
                    dedupe TEXT,
                    owner INTEGER NOT NULL
                )
                """)
            // Events are unique by lead, kind, time and detail. As a table constraint that index
            // could never be set aside, and at ten million events inserting into it in random
            // order is most of an import's time; as a named unique index it can be rebuilt.
            try db.execute(sql: """
                CREATE TABLE events_v5 (
                    id INTEGER PRIMARY KEY,
                    lead_id INTEGER NOT NULL REFERENCES leads(id) ON DELETE CASCADE,
                    kind TEXT NOT NULL,
                    occurred_at INTEGER NOT NULL,
                    detail TEXT NOT NULL DEFAULT ''
                );
                INSERT INTO events_v5 (id, lead_id, kind, occurred_at, detail) SELECT id, lead_id, kind, occurred_at, detail FROM events;
                DROP TABLE events;
                ALTER TABLE events_v5 RENAME TO events;
                CREATE UNIQUE INDEX events_unique ON events(lead_id, kind, occurred_at, detail);
                CREATE INDEX events_lead_time ON events(lead_id, occurred_at);
                CREATE INDEX events_time ON events(occurred_at);
                """)
        }
        return migrator
    }
}
