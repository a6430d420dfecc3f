#!/usr/bin/env python3
"""Writes a deterministic synthetic company spread over two years (2024-01-01 to 2025-12-31):
accounts, leads, engagement events and objections as CSV files Handoff imports, and optionally the
same company straight into a Handoff SQLite database, with stage transitions and rejections too.

    generate.py OUT_DIR LEADS EVENTS_PER_LEAD [SEED] [--objections N] [--db FILE] [--no-csv]

- OUT_DIR gets leads.csv (12 columns, one account per ten leads), events.csv and objections.csv
  (LEADS objections unless --objections says otherwise), in the formats the README documents.
- --db FILE fills an existing, empty Handoff database: create it by running the binary once
  (`handoff --db FILE -c help` runs the migrations), then call this. Rows are bulk-inserted with the
  schema's secondary indexes dropped and rebuilt at the end, which is how 1M leads and 10M events
  land in a few minutes. Transitions and rejections have no CSV import, so they exist only here:
  each lead walks inquiry → mql → sal → sql → opportunity → won/lost as far as its outcome says, a
  share of the others is rejected by a rep or by a rule, and the lead's stage is where it stopped.
- The same SEED gives the same bytes. The CSV streams draw from one generator in a fixed order
  (leads, events, objections), so adding the database path or more kinds later does not move them;
  transitions and rejections draw from a second generator seeded from the first.
"""
import argparse, csv, datetime, os, random, sqlite3, sys

import objection_tally

parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
parser.add_argument("out")
parser.add_argument("leads", type=int)
parser.add_argument("per_lead", type=float)
parser.add_argument("seed", type=int, nargs="?", default=20261122)
parser.add_argument("--objections", type=int, default=None, help="how many objections (default: one per lead)")
parser.add_argument("--db", help="an existing, empty Handoff database to fill as well")
parser.add_argument("--no-csv", action="store_true", help="write only the database")
args = parser.parse_args()
out, leads, per_lead, seed = args.out, args.leads, args.per_lead, args.seed
objection_count = leads if args.objections is None else args.objections
rng = random.Random(seed)
flow = random.Random(seed * 7919 + 1)  # transitions and rejections: a stream of their own
os.makedirs(out, exist_ok=True)

first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Radia", "Linus",
         "Sophie", "Tim", "Hedy", "Katherine", "Dennis", "Guido", "Bjarne", "Anita"]
last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton", "Thompson",
        "Perlman", "Torvalds", "Wilson", "Berners-Lee", "Lamarr", "Johnson", "Ritchie", "Rossum", "Stroustrup", "Borg"]
titles = ["VP Engineering", "Director of IT", "IT Manager", "Software Engineer", "CFO", "Head of Operations",
          "Marketing Coordinator", "Student", "Procurement Specialist", "Chief Executive Officer"]
# What Handoff's Seniority.guess(fromTitle:) makes of each title above.
seniority = {"VP Engineering": "vp", "Director of IT": "director", "IT Manager": "manager",
             "Software Engineer": "individual", "CFO": "c-level", "Head of Operations": "director",
             "Marketing Coordinator": "individual", "Student": "student", "Procurement Specialist": "individual",
             "Chief Executive Officer": "c-level"}
industries = ["software", "financial services", "healthcare", "manufacturing", "retail", "logistics", "education", "energy"]
countries = ["US", "UK", "Germany", "France", "Canada", "India", "Brazil", "Netherlands"]
sources = ["webinar", "whitepaper", "web form", "trade show", "referral", "paid", "outbound"]
kinds = ["web_visit", "email_open", "email_click", "whitepaper_download", "webinar_registered", "webinar_attended",
         "web_form", "pricing_page_visit", "demo_request", "free_trial"]
said = {
    "price": ["too expensive for us", "no budget this year", "the price is double what we pay"],
    "timing": ["not now, maybe next quarter", "call me back in january", "bad timing, we are mid-reorg"],
    "authority": ["need sign off from my boss", "procurement has to approve", "not my call"],
    "need": ["we do not really need this", "spreadsheets work fine", "not a priority"],
    "competition": ["we are going with RivalSoft", "CompeteCo quoted less", "already using a competitor"],
    "risk": ["are you SOC 2 certified?", "we need a HIPAA BAA", "worried about a data breach"],
    "integration": ["does it integrate with Salesforce?", "no SSO, IT will say no", "our legacy system will not connect"],
    "contract": ["cannot commit to three years", "legal rejects the liability clause", "need monthly terms"],
}
themes = sorted(said)
reps = ["Dana Reyes", "Sam Okafor", "Priya Natarajan", "Lee Chen", "Maria Garcia"]
accounts = max(1, leads // 10)

# Two years of days: the ISO date of each and its start in unix seconds, computed once.
START = datetime.date(2024, 1, 1)
SPAN = 730
day_iso = [(START + datetime.timedelta(days=d)).isoformat() for d in range(SPAN)]
day_seconds = [int(datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc).timestamp()) + d * 86_400 for d in range(SPAN)]
END = day_seconds[-1] + 86_399


class Sink:
    """One kind of row: to a CSV file, to a table, or both."""

    def __init__(self, name, header, db, sql):
        self.file = None if args.no_csv else open(os.path.join(out, name), "w", newline="")
        self.csv = csv.writer(self.file) if self.file else None
        if self.csv:
            self.csv.writerow(header)
        self.db, self.sql, self.rows = db, sql, []

    def add(self, csv_row, db_row=None):
        if self.csv:
            self.csv.writerow(csv_row)
        if self.db is not None and db_row is not None:
            self.rows.append(db_row)
            if len(self.rows) >= 50_000:
                self.flush()

    def flush(self):
        if self.rows:
            self.db.executemany(self.sql, self.rows)
            self.rows = []

    def close(self):
        self.flush()
        if self.file:
            self.file.close()


db = None
indexes = []
if args.db:
    db = sqlite3.connect(args.db, isolation_level=None)
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "leads" not in tables:
        sys.exit(f"{args.db} has no Handoff schema: create it first with `handoff --db {args.db} -c help`")
    if db.execute("SELECT count(*) FROM leads").fetchone()[0]:
        sys.exit(f"{args.db} already holds leads: give a fresh database")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -1048576")
    # Secondary indexes are rebuilt once at the end, sorted, instead of maintained row by row.
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                         "AND tbl_name IN ('accounts', 'leads', 'events', 'transitions', 'rejections', 'objections')").fetchall()
    for name, _ in indexes:
        db.execute(f"DROP INDEX {name}")
    tally_triggers = objection_tally.set_aside(db)
    db.execute("BEGIN")

# --- accounts and leads -------------------------------------------------------------------------
lead_sink = Sink("leads.csv", ["external_id", "name", "email", "title", "company", "domain", "industry", "employees",
                               "country", "source", "created_at", "outcome"], db, """
    INSERT INTO leads (id, external_id, account_id, name, email, title, seniority, source, created_at, stage, outcome)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
account_ids = {}   # account number → row id, in order of first appearance, as an import makes them
lead_account = []  # lead number → account row id
lead_created = []  # lead number → created_at seconds
transitions, rejections = [], []
ladder = ["inquiry", "mql", "sal", "sql", "opportunity"]
rep_reasons = [("no_authority", "Procurement only; no access to the budget owner"),
               ("unresponsive", "Five calls and three emails, no reply"),
               ("wrong_fit", "Needs the enterprise tier we do not sell yet"),
               ("no_budget", "No budget line for tooling this year"),
               ("bad_timing", "Wants to revisit after their fiscal year starts")]


def walk(lead_id, created, outcome, title):
    """The lead's stage history and any rejection; returns the stage it ends in."""
    if title == "Student" and flow.random() < 0.5:
        transitions.append((lead_id, None, "inquiry", created, "import", "imported"))
        rejections.append((lead_id, created + 3600, "student", 1, "student", "Students are not buyers", "2026.11-1"))
        transitions.append((lead_id, "inquiry", "disqualified", created + 3600, "student", "rule: student"))
        return "disqualified"
    depth = {"won": 5, "lost": flow.randint(1, 5), "open": flow.randint(0, 4)}[outcome]
    at = created
    transitions.append((lead_id, None, "inquiry", at, "import", "imported"))
    stage = "inquiry"
    for step in range(1, min(depth, 4) + 1):
        at = min(END, at + flow.randint(1, 20) * 86_400)
        transitions.append((lead_id, stage, ladder[step], at, flow.choice(reps), f"moved to {ladder[step]}"))
        stage = ladder[step]
        if stage == "sal" and outcome != "won" and flow.random() < 0.15:
            code, note = flow.choice(rep_reasons)
            at = min(END, at + flow.randint(1, 10) * 86_400)
            by = flow.choice(reps)
            rejections.append((lead_id, at, by, 0, code, note, "2026.11-1"))
            transitions.append((lead_id, stage, "nurture", at, by, f"rejected: {code}"))
            return "nurture"
    if outcome in ("won", "lost"):
        at = min(END, at + flow.randint(1, 30) * 86_400)
        transitions.append((lead_id, stage, outcome, at, flow.choice(reps), f"closed {outcome}"))
        return outcome
    return stage


def flush_history():
    db.executemany("INSERT INTO transitions (lead_id, from_stage, to_stage, at, by, reason) VALUES (?, ?, ?, ?, ?, ?)",
                   transitions)
    db.executemany("INSERT INTO rejections (lead_id, at, by, by_rule, reason_code, note, definition_version) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", rejections)
    global transition_count, rejection_count
    transition_count += len(transitions)
    rejection_count += len(rejections)
    transitions.clear()
    rejections.clear()


transition_count = rejection_count = 0
for n in range(leads):
    a = rng.randrange(accounts)
    day = rng.randrange(SPAN)
    name = f"{rng.choice(first)} {rng.choice(last)} {n}"
    title = rng.choice(titles)
    source = rng.choice(sources)
    hour = rng.randrange(24)
    outcome = rng.choice(["won", "lost", "lost", "open"])
    created = day_seconds[day] + hour * 3600
    row = [f"L{n}", name, f"lead{n}@company{a}.com", title, f"Company {a}", f"company{a}.com",
           industries[a % len(industries)], 10 + (a * 37) % 9000, countries[a % len(countries)], source,
           f"{day_iso[day]}T{hour:02d}:00:00Z", outcome]
    db_row = None
    if db is not None:
        if a not in account_ids:
            account_ids[a] = len(account_ids) + 1
        account = account_ids[a]
        lead_account.append(account)
        lead_created.append(created)
        stage = walk(n + 1, created, outcome, title)
        if len(transitions) >= 100_000:  # a few hundred MB of tuples otherwise
            flush_history()
        db_row = (n + 1, f"L{n}", account, name, f"lead{n}@company{a}.com", title, seniority[title], source,
                  created, stage, outcome)
    lead_sink.add(row, db_row)
lead_sink.close()
if db is not None:
    db.executemany("INSERT INTO accounts (id, name, name_key, domain, industry, employees, country) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ((i, f"Company {a}", f"company {a}", f"company{a}.com", industries[a % len(industries)],
                     10 + (a * 37) % 9000, countries[a % len(countries)]) for a, i in account_ids.items()))
    flush_history()
    print(f"{len(account_ids)} accounts, {leads} leads, {transition_count} transitions, {rejection_count} rejections",
          file=sys.stderr)

# --- events ---------------------------------------------------------------------------------------
# Unique by lead, kind, time and detail, as an import keeps them: a repeated draw is kept once
# (removed before the indexes are rebuilt).
event_sink = Sink("events.csv", ["lead", "kind", "occurred_at", "detail"], db,
                  "INSERT OR IGNORE INTO events (lead_id, kind, occurred_at, detail) VALUES (?, ?, ?, '')")
for n in range(int(leads * per_lead)):
    day = rng.randrange(SPAN)
    lead = rng.randrange(leads)
    kind = rng.choice(kinds)
    h, m, s = rng.randrange(24), rng.randrange(60), rng.randrange(60)
    event_sink.add([f"L{lead}", kind, f"{day_iso[day]}T{h:02d}:{m:02d}:{s:02d}Z", ""],
                   (lead + 1, kind, day_seconds[day] + h * 3600 + m * 60 + s) if db is not None else None)
event_sink.close()

# --- objections -----------------------------------------------------------------------------------
objection_sink = Sink("objections.csv", ["external_id", "lead", "text", "theme", "logged_by", "at"], db, """
    INSERT INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, industry)
    VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT lower(industry) FROM accounts WHERE id = ?))""")
for n in range(objection_count):
    theme = rng.choice(themes)
    day = rng.randrange(SPAN)
    lead = rng.randrange(leads)
    text = rng.choice(said[theme])
    rep = rng.choice(reps)
    hour = rng.randrange(24)
    at = day_seconds[day] + hour * 3600
    account = lead_account[lead] if db is not None else None
    objection_sink.add([f"O{n}", f"L{lead}", text, theme, rep, f"{day_iso[day]}T{hour:02d}:00:00Z"],
                       (f"O{n}", lead + 1, account, text, theme, rep, at, account) if db is not None else None)
objection_sink.close()

if db is not None:
    db.execute("COMMIT")
    # Events repeat a lead, kind and time now and then: keep the first, as an import does.
    db.execute("""DELETE FROM events WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER
                  (PARTITION BY lead_id, kind, occurred_at, detail ORDER BY id) AS n FROM events) WHERE n > 1)""")
    for name, sql in indexes:
        db.execute(sql)
    objection_tally.refill(db, tally_triggers)
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("accounts", "leads", "events", "transitions", "rejections", "objections")}
    db.close()
    print(", ".join(f"{v} {k}" for k, v in counts.items()), file=sys.stderr)
