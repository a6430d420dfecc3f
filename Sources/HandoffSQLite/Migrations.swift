import GRDB

/// The schema, as named migrations. A released migration is never edited: change the schema by
/// appending a new one. Nor does one interpolate a helper the import also uses (the fills below):
/// its SQL is written out as it was released, so a later change to a helper changes no migration.
/// `MigrationHistoryTests` holds what each migration makes to what it made when released.
enum Migrations {
    /// Fills the empty objection_days tally from the objections: when it is made, and after a big
    /// import that set its triggers aside.
    static let objectionDaysFill: String = {
        let day = { (at: String) in "(CASE WHEN \(at) >= 0 THEN \(at) / 86400 ELSE (\(at) - 86399) / 86400 END)" }
        let key = { (value: String) in "coalesce('=' || \(value), '')" }
        return """
            INSERT INTO objection_days (segment, day, theme, industry, value, n)
                SELECT 'all', \(day("at")), theme, \(key("industry")), '', count(*) FROM objections GROUP BY 2, 3, 4;
            INSERT INTO objection_days (segment, day, theme, industry, value, n)
                SELECT 'stage', \(day("at")), theme, \(key("industry")), \(key("deal_stage")), count(*) FROM objections GROUP BY 2, 3, 4, 5;
            INSERT INTO objection_days (segment, day, theme, industry, value, n)
                SELECT 'rep', \(day("at")), theme, \(key("industry")), \(key("logged_by")), count(*) FROM objections GROUP BY 2, 3, 4, 5;
            """
    }()

    /// Fills the empty lead_sources tally from the leads: when it is made, and after a big import
    /// that set its triggers aside.
    static let leadSourcesFill =
        "INSERT INTO lead_sources (source, leads) SELECT source, count(*) FROM leads WHERE source IS NOT NULL GROUP BY source"

    /// Fills the empty word index `words` from `column` of `table`, in the table's row order. FTS5's
    /// own 'rebuild' reads the table through whatever index covers the column (for lead names, in
    /// name order), and rows out of order make FTS5 flush a segment for each: about twice the time.
    static func nameWordsFill(_ words: String, column: String, table: String) -> String {
        "INSERT INTO \(words) (rowid, \(column)) SELECT id, \(column) FROM \(table) ORDER BY id"
    }

    /// Fills lead_activity from the events: each lead's events in one row, one line per kind,
    /// "<bytes of the kind> <kind> <time>,<time>…" (read through events_unique, so oldest first,
    /// though SQLite does not promise the order: the reader sorts when it is not). Times are cast
    /// as reading a row as an integer does, so that a value another program stored as text cannot
    /// read as more than one time. `leads` limits it to the leads a query picks. The definition
    /// report reads a million of these rows, not ten million events.
    static func leadActivityFill(leads: String? = nil) -> String {
        """
        INSERT INTO lead_activity (lead_id, events)
            SELECT lead_id, group_concat(length(CAST(kind AS BLOB)) || ' ' || kind || ' ' || times, char(10)) FROM (
                SELECT lead_id, kind, group_concat(CAST(occurred_at AS INTEGER), ',') AS times
                FROM events WHERE typeof(lead_id) = 'integer'\(leads.map { " AND lead_id IN (\($0))" } ?? "")
                GROUP BY lead_id, kind)
            GROUP BY lead_id
        """
    }

    /// Whether lead_activity is being kept: its triggers are in place. A big events import sets
    /// them aside (the table is then filled again when it ends), and meanwhile the rows hold
    /// nothing of what it writes.
    static let leadActivityIsKept = "EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'lead_activity_insert')"

    /// Whether `leadActivityRefresh` has work to do: some lead is marked, and the table is kept.
    /// While a big events import has set the triggers aside, the events have no index to find a
    /// lead's by (each refresh read the whole table: a 10M-event import ran for minutes).
    static let leadActivityNeedsRefresh = "SELECT EXISTS (SELECT 1 FROM lead_activity_stale) AND \(leadActivityIsKept)"

    /// Brings the lead_activity rows of the leads whose events changed (lead_activity_stale) up to
    /// date: at the end of each import batch, in its transaction.
    static let leadActivityRefresh = """
        DELETE FROM lead_activity WHERE lead_id IN (SELECT lead_id FROM lead_activity_stale);
        \(leadActivityFill(leads: "SELECT lead_id FROM lead_activity_stale"));
        DELETE FROM lead_activity_stale;
        """

    /// Whether every migration this build knows has been applied, read plainly from GRDB's table:
    /// `hasCompletedMigrations` builds a Set of the identifiers, and a one-shot run's first
    /// Set<String> costs a run-time type look-up. False for a new file, without the table.
    /// Throws `WrittenByNewerVersion` when the table names a migration this build does not know:
    /// a later Handoff changed the schema, and this one would misread or damage what it wrote.
    /// The same read answers both, so the check costs start-up no query of its own.
    static func areApplied(_ db: Database) throws -> Bool {
        let applied: [String]
        do {
            applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        } catch let error as DatabaseError where error.message?.hasPrefix("no such table") == true {
            return false
        }
        let known = migrator.steps.map(\.identifier)
        if let unknown = applied.first(where: { !known.contains($0) }) { throw WrittenByNewerVersion(migration: unknown) }
        return known.allSatisfy { applied.contains($0) }
    }

    /// A database whose schema a later Handoff moved on (see `areApplied`).
    struct WrittenByNewerVersion: Error {
        let migration: String
    }

    /// Runs the migrations the database lacks, all in one exclusive transaction. GRDB's migrator
    /// gives each its own transaction, after reading what is applied outside any: processes that
    /// open a new file at the same moment each found it empty and ran the migrations again ("table
    /// accounts already exists"). Here the others wait for the lock (the busy timeout), then find
    /// the migrations applied. The bookkeeping is GRDB's own table, so files it migrated are read
    /// the same way.
    static func apply(to database: DatabaseQueue) throws {
        try database.writeWithoutTransaction { db in
            try db.inTransaction(.exclusive) {
                try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
                let applied = Set(try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations"))
                var checkForeignKeys = false
                for step in migrator.steps where !applied.contains(step.identifier) {
                    try step.migrate(db)
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [step.identifier])
                    if step.foreignKeyChecks == .deferred { checkForeignKeys = true }
                }
                if checkForeignKeys { try db.checkForeignKeys() }
                return .commit
            }
        }
    }

    /// The migrations in order, registered as GRDB's `DatabaseMigrator` takes them, so that
    /// `apply` can run them in a transaction of its own.
    struct List {
        /// `.deferred`: the whole database's foreign keys are checked after the migrations ran, as
        /// GRDB does by default. `.immediate`: each statement is checked as it runs, and nothing
        /// after (see `migrator`). Both run with foreign keys on: a transaction cannot turn them
        /// off, and no migration here rebuilds a table the way that needs them off.
        enum ForeignKeyChecks { case deferred, immediate }

        struct Step {
            let identifier: String
            let foreignKeyChecks: ForeignKeyChecks
            let migrate: (Database) throws -> Void
        }

        private(set) var steps: [Step] = []

        mutating func registerMigration(
            _ identifier: String, foreignKeyChecks: ForeignKeyChecks = .deferred, migrate: @escaping (Database) throws -> Void
        ) {
            steps.append(Step(identifier: identifier, foreignKeyChecks: foreignKeyChecks, migrate: migrate))
        }
    }

    /// Migrations from v4 on check foreign keys as they go (`.immediate`): they add derived
    /// tables only, and GRDB's default final `foreign_key_check` reads every row of every table
    /// (minutes at ten million events).
    static var migrator: List {
        var migrator = List()
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
        migrator.registerMigration("v4-lead-name-words", foreignKeyChecks: .immediate) { db in
            // The words of lead names, for finding a lead by any word of its name without scanning
            // every lead. Triggers keep it in step on every path that writes a lead (import
            // included), so no writer has to remember it.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE lead_name_words USING fts5(name, content='leads', content_rowid='id');
                CREATE TRIGGER lead_name_words_insert AFTER INSERT ON leads BEGIN
                    INSERT INTO lead_name_words (rowid, name) VALUES (new.id, new.name);
                END;
                CREATE TRIGGER lead_name_words_delete AFTER DELETE ON leads BEGIN
                    INSERT INTO lead_name_words (lead_name_words, rowid, name) VALUES ('delete', old.id, old.name);
                END;
                CREATE TRIGGER lead_name_words_update AFTER UPDATE OF name ON leads WHEN old.name IS NOT new.name BEGIN
                    INSERT INTO lead_name_words (lead_name_words, rowid, name) VALUES ('delete', old.id, old.name);
                    INSERT INTO lead_name_words (rowid, name) VALUES (new.id, new.name);
                END;
                INSERT INTO lead_name_words (lead_name_words) VALUES ('rebuild');
                """)
        }
        migrator.registerMigration("v4-objection-days", foreignKeyChecks: .immediate) { db in
            // Objections counted per UTC day, theme and industry, and by deal stage and by rep, so
            // a summary over any period reads a few rows per day instead of one per objection.
            // Missing values are kept apart from empty ones: '' is unknown, '=' + value a value.
            // Triggers keep it in step with every write to objections.
            let day = { (at: String) in "(CASE WHEN \(at) >= 0 THEN \(at) / 86400 ELSE (\(at) - 86399) / 86400 END)" }
            let key = { (value: String) in "coalesce('=' || \(value), '')" }
            func rows(_ row: String, _ sign: String) -> String {
                """
                INSERT INTO objection_days (segment, day, theme, industry, value, n) VALUES
                    ('all', \(day("\(row).at")), \(row).theme, \(key("\(row).industry")), '', \(sign)1),
                    ('stage', \(day("\(row).at")), \(row).theme, \(key("\(row).industry")), \(key("\(row).deal_stage")), \(sign)1),
                    ('rep', \(day("\(row).at")), \(row).theme, \(key("\(row).industry")), \(key("\(row).logged_by")), \(sign)1)
                    ON CONFLICT DO UPDATE SET n = n + excluded.n;
                DELETE FROM objection_days WHERE n = 0 AND day = \(day("\(row).at")) AND theme = \(row).theme
                    AND industry = \(key("\(row).industry"));
                """
            }
            try db.execute(sql: """
                CREATE TABLE objection_days (
                    segment TEXT NOT NULL,
                    day INTEGER NOT NULL,
                    theme TEXT NOT NULL,
                    industry TEXT NOT NULL,
                    value TEXT NOT NULL,
                    n INTEGER NOT NULL,
                    PRIMARY KEY (segment, day, theme, industry, value)
                ) WITHOUT ROWID;
                CREATE TRIGGER objection_days_insert AFTER INSERT ON objections BEGIN
                    \(rows("new", "+"))
                END;
                CREATE TRIGGER objection_days_delete AFTER DELETE ON objections BEGIN
                    \(rows("old", "-"))
                END;
                CREATE TRIGGER objection_days_update AFTER UPDATE OF at, theme, industry, deal_stage, logged_by ON objections BEGIN
                    \(rows("old", "-"))
                    \(rows("new", "+"))
                END;
                INSERT INTO objection_days (segment, day, theme, industry, value, n)
                    SELECT 'all', (CASE WHEN at >= 0 THEN at / 86400 ELSE (at - 86399) / 86400 END), theme, coalesce('=' || industry, ''), '', count(*) FROM objections GROUP BY 2, 3, 4;
                INSERT INTO objection_days (segment, day, theme, industry, value, n)
                    SELECT 'stage', (CASE WHEN at >= 0 THEN at / 86400 ELSE (at - 86399) / 86400 END), theme, coalesce('=' || industry, ''), coalesce('=' || deal_stage, ''), count(*) FROM objections GROUP BY 2, 3, 4, 5;
                INSERT INTO objection_days (segment, day, theme, industry, value, n)
                    SELECT 'rep', (CASE WHEN at >= 0 THEN at / 86400 ELSE (at - 86399) / 86400 END), theme, coalesce('=' || industry, ''), coalesce('=' || logged_by, ''), count(*) FROM objections GROUP BY 2, 3, 4, 5;
                """)
        }
        migrator.registerMigration("v4-account-name-words", foreignKeyChecks: .immediate) { db in
            // The same for accounts, on the name key the lookups compare.
            try db.execute(sql: """
                CREATE VIRTUAL TABLE account_name_words USING fts5(name_key, content='accounts', content_rowid='id');
                CREATE TRIGGER account_name_words_insert AFTER INSERT ON accounts BEGIN
                    INSERT INTO account_name_words (rowid, name_key) VALUES (new.id, new.name_key);
                END;
                CREATE TRIGGER account_name_words_delete AFTER DELETE ON accounts BEGIN
                    INSERT INTO account_name_words (account_name_words, rowid, name_key) VALUES ('delete', old.id, old.name_key);
                END;
                CREATE TRIGGER account_name_words_update AFTER UPDATE OF name_key ON accounts WHEN old.name_key IS NOT new.name_key BEGIN
                    INSERT INTO account_name_words (account_name_words, rowid, name_key) VALUES ('delete', old.id, old.name_key);
                    INSERT INTO account_name_words (rowid, name_key) VALUES (new.id, new.name_key);
                END;
                INSERT INTO account_name_words (account_name_words) VALUES ('rebuild');
                """)
        }
        migrator.registerMigration("v4-leads-source-stage", foreignKeyChecks: .immediate) { db in
            // `leads from webinar this month` counts its leads by stage: with the stage in the
            // source index the count reads the index alone, not every matching lead.
            try db.execute(sql: """
                DROP INDEX leads_source;
                CREATE INDEX leads_source ON leads(source COLLATE NOCASE, created_at, stage);
                """)
        }
        migrator.registerMigration("v4-lead-sources", foreignKeyChecks: .immediate) { db in
            // The sources leads came from, with how many leads each: "from webinar" is checked
            // against them on every `leads` command, rather than a DISTINCT over every lead.
            try db.execute(sql: """
                CREATE TABLE lead_sources (source TEXT PRIMARY KEY, leads INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO lead_sources (source, leads) SELECT source, count(*) FROM leads WHERE source IS NOT NULL GROUP BY source;
                CREATE TRIGGER lead_sources_insert AFTER INSERT ON leads WHEN new.source IS NOT NULL BEGIN
                    INSERT INTO lead_sources (source, leads) VALUES (new.source, 1) ON CONFLICT DO UPDATE SET leads = leads + 1;
                END;
                CREATE TRIGGER lead_sources_delete AFTER DELETE ON leads WHEN old.source IS NOT NULL BEGIN
                    UPDATE lead_sources SET leads = leads - 1 WHERE source = old.source;
                    DELETE FROM lead_sources WHERE source = old.source AND leads <= 0;
                END;
                CREATE TRIGGER lead_sources_update AFTER UPDATE OF source ON leads WHEN old.source IS NOT new.source BEGIN
                    UPDATE lead_sources SET leads = leads - 1 WHERE source = old.source;
                    DELETE FROM lead_sources WHERE source = old.source AND leads <= 0;
                    INSERT INTO lead_sources (source, leads) SELECT new.source, 1 WHERE new.source IS NOT NULL
                        ON CONFLICT DO UPDATE SET leads = leads + 1;
                END;
                """)
        }
        migrator.registerMigration("v4-transitions-stage", foreignKeyChecks: .immediate) { db in
            // "MQLs this week" looks for transitions of the period to a stage: with the stage and the
            // lead in the time index, it reads the index alone, not every transition of the week.
            try db.execute(sql: """
                DROP INDEX transitions_time;
                CREATE INDEX transitions_time ON transitions(at, to_stage, lead_id);
                """)
        }
        migrator.registerMigration("v5-deferred-indexes", foreignKeyChecks: .immediate) { db in
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
        migrator.registerMigration("v6-name-words-without-sizes", foreignKeyChecks: .immediate) { db in
            // The word indexes kept each name's length in words (FTS5's docsize table), which only
            // ranking reads; Handoff never ranks by it, and it was half of rebuilding the lead
            // word index after a big import. Made again without it, filled in row order.
            for (words, column, table) in [("lead_name_words", "name", "leads"), ("account_name_words", "name_key", "accounts")] {
                try db.execute(sql: """
                    DROP TABLE \(words);
                    CREATE VIRTUAL TABLE \(words) USING fts5(\(column), content='\(table)', content_rowid='id', columnsize=0);
                    INSERT INTO \(words) (rowid, \(column)) SELECT id, \(column) FROM \(table) ORDER BY id;
                    """)
            }
        }
        migrator.registerMigration("v7-lead-activity", foreignKeyChecks: .immediate) { db in
            // The definition report read every event through the events index: ten million rows
            // were half its time. Each lead's events now also sit in one row (see
            // leadActivityFill). Triggers only mark the leads whose events changed, which is cheap
            // whoever writes; each import batch refreshes their rows as it commits, and until then
            // a scan reads those leads' events themselves.
            try db.execute(sql: """
                CREATE TABLE lead_activity (lead_id INTEGER PRIMARY KEY, events TEXT NOT NULL);
                CREATE TABLE lead_activity_stale (lead_id INTEGER PRIMARY KEY);
                INSERT INTO lead_activity (lead_id, events)
                    SELECT lead_id, group_concat(length(CAST(kind AS BLOB)) || ' ' || kind || ' ' || times, char(10)) FROM (
                        SELECT lead_id, kind, group_concat(CAST(occurred_at AS INTEGER), ',') AS times
                        FROM events WHERE typeof(lead_id) = 'integer'
                        GROUP BY lead_id, kind)
                    GROUP BY lead_id;
                CREATE TRIGGER lead_activity_insert AFTER INSERT ON events BEGIN
                    INSERT OR IGNORE INTO lead_activity_stale (lead_id) VALUES (new.lead_id);
                END;
                CREATE TRIGGER lead_activity_delete AFTER DELETE ON events BEGIN
                    INSERT OR IGNORE INTO lead_activity_stale (lead_id) VALUES (old.lead_id);
                END;
                CREATE TRIGGER lead_activity_update AFTER UPDATE OF lead_id, kind, occurred_at ON events BEGIN
                    INSERT OR IGNORE INTO lead_activity_stale (lead_id) VALUES (old.lead_id), (new.lead_id);
                END;
                -- INSERT OR REPLACE with the id of another lead's event deletes that event without
                -- firing the delete trigger (SQLite fires none for REPLACE unless recursive_triggers).
                CREATE TRIGGER lead_activity_replace BEFORE INSERT ON events WHEN new.id IS NOT NULL BEGIN
                    INSERT OR IGNORE INTO lead_activity_stale (lead_id) SELECT lead_id FROM events WHERE id = new.id;
                END;
                """)
        }
        migrator.registerMigration("v8-objection-changes", foreignKeyChecks: .immediate) { db in
            // A wrongly themed objection is rethemed, a wrongly logged one withdrawn: each change
            // kept with who and when, and a withdrawn objection kept whole here as JSON.
            try db.execute(sql: """
                CREATE TABLE objection_changes (
                    id INTEGER PRIMARY KEY,
                    objection_id INTEGER NOT NULL,
                    at INTEGER NOT NULL,
                    by TEXT NOT NULL,
                    change TEXT NOT NULL,
                    from_value TEXT,
                    to_value TEXT,
                    note TEXT NOT NULL DEFAULT ''
                );
                CREATE INDEX objection_changes_objection ON objection_changes(objection_id, at);
                -- `lead X` and `objections at X` read an account's objections.
                CREATE INDEX objections_account ON objections(account_id, at);
                """)
        }
        migrator.registerMigration("v9-lead-activity-repair", foreignKeyChecks: .immediate) { db in
            // v7 was edited an hour after it was first written (8d9a38f): a file migrated by the
            // first text lacks the trigger that marks the lead of an event INSERT OR REPLACE takes
            // over, and its rows were filled without reading times as integers. Such a file gets
            // both here; one migrated by v7 as it stands has the trigger and is left as it is.
            let hasTrigger = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'lead_activity_replace')") ?? false
            guard !hasTrigger else { return }
            try db.execute(sql: """
                CREATE TRIGGER lead_activity_replace BEFORE INSERT ON events WHEN new.id IS NOT NULL BEGIN
                    INSERT OR IGNORE INTO lead_activity_stale (lead_id) SELECT lead_id FROM events WHERE id = new.id;
                END;
                DELETE FROM lead_activity;
                DELETE FROM lead_activity_stale;
                INSERT INTO lead_activity (lead_id, events)
                    SELECT lead_id, group_concat(length(CAST(kind AS BLOB)) || ' ' || kind || ' ' || times, char(10)) FROM (
                        SELECT lead_id, kind, group_concat(CAST(occurred_at AS INTEGER), ',') AS times
                        FROM events WHERE typeof(lead_id) = 'integer'
                        GROUP BY lead_id, kind)
                    GROUP BY lead_id;
                """)
        }
        migrator.registerMigration("v10-objection-confidence", foreignKeyChecks: .immediate) { db in
            // How sure the classifier was when it chose an objection's theme (null when a person or
            // a file named it): `objections review` lists the unsure ones for a person to settle.
            try db.execute(sql: """
                ALTER TABLE objections ADD COLUMN confidence REAL;
                CREATE INDEX objections_confidence ON objections(confidence) WHERE confidence IS NOT NULL;
                """)
        }
        migrator.registerMigration("v11-theme-answers", foreignKeyChecks: .immediate) { db in
            // A language model's theme for a text the classifier was unsure of, kept so the same
            // words never ask it twice.
            try db.execute(sql: """
                CREATE TABLE theme_answers (
                    text TEXT PRIMARY KEY,
                    theme TEXT NOT NULL,
                    model TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v12-after-contact-fields", foreignKeyChecks: .immediate) { db in
            // The fields an import's mapping says sales fills in after the first contact: no
            // definition may score them, or the outcome leaks into the score.
            try db.execute(sql: """
                CREATE TABLE after_contact_fields (
                    field TEXT NOT NULL PRIMARY KEY,
                    mapping TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v13-definitions-in-force", foreignKeyChecks: .immediate) { db in
            // Each time a definition text came into force, and who ran Handoff then (`definition
            // log`): a text put back after another is in force again, which the definitions
            // table, keeping each text once, cannot say. The texts kept before this came into
            // force when first kept, by someone not recorded.
            try db.execute(sql: """
                CREATE TABLE definitions_in_force (
                    id INTEGER PRIMARY KEY,
                    definition_id INTEGER NOT NULL REFERENCES definitions(id),
                    at INTEGER NOT NULL,
                    by TEXT
                );
                INSERT INTO definitions_in_force (definition_id, at, by) SELECT id, loaded_at, NULL FROM definitions ORDER BY loaded_at, id;
                """)
        }
        return migrator
    }
}
