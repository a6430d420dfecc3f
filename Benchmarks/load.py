#!/usr/bin/env python3
"""Writes generate.py's events and objections straight into a Handoff database whose leads were
imported by `handoff import leads`: what `import events` and `import objections` would store, but
through one bulk transaction, so a 10M-event benchmark does not wait on the importer.
Usage: load.py DB OUT_DIR (OUT_DIR holds generate.py's events.csv and objections.csv)"""
import calendar, csv, os, sqlite3, sys

import objection_tally

db_path, out = sys.argv[1], sys.argv[2]
db = sqlite3.connect(db_path, isolation_level=None)
db.execute("PRAGMA journal_mode = DELETE")  # one big transaction without a WAL the size of the file
db.execute("PRAGMA synchronous = OFF")
db.execute("PRAGMA cache_size = -4000000")  # 4 GB: the random index inserts stay in memory

lead_ids = dict(db.execute("SELECT external_id, id FROM leads"))
lead_accounts = dict(db.execute("SELECT id, account_id FROM leads"))
industries = dict(db.execute("SELECT id, lower(industry) FROM accounts"))


def seconds(text):
    return calendar.timegm((int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), int(text[14:16]),
                            int(text[17:19]) if len(text) > 17 and text[16] == ":" else 0))


def rows(name):
    with open(os.path.join(out, name), newline="") as f:
        reader = csv.reader(f)
        next(reader)
        yield from reader


db.execute("BEGIN")
events = ((lead_ids[lead], kind, seconds(at), detail) for lead, kind, at, detail in rows("events.csv"))
db.executemany("INSERT OR IGNORE INTO events (lead_id, kind, occurred_at, detail) VALUES (?, ?, ?, ?)", events)


def objections():
    for external_id, lead, text, theme, logged_by, at in rows("objections.csv"):
        lead_id = lead_ids[lead]
        account = lead_accounts[lead_id]
        yield external_id, lead_id, account, text, theme, logged_by, seconds(at), industries.get(account)


# The objection tally's triggers are set aside for the load and the tally filled once after it.
triggers = objection_tally.set_aside(db)
db.executemany("""INSERT OR IGNORE INTO objections (external_id, lead_id, account_id, text, theme, logged_by, at, industry)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", objections())
objection_tally.refill(db, triggers)
# The events went in through the triggers, which only mark their leads as changed: make those
# leads' lead_activity rows, as Handoff does at the end of an import batch (a copy of
# Migrations.leadActivityRefresh: keep the two alike).
db.execute("DELETE FROM lead_activity WHERE lead_id IN (SELECT lead_id FROM lead_activity_stale)")
db.execute("""INSERT INTO lead_activity (lead_id, events)
    SELECT lead_id, group_concat(length(CAST(kind AS BLOB)) || ' ' || kind || ' ' || times, char(10)) FROM (
        SELECT lead_id, kind, group_concat(CAST(occurred_at AS INTEGER), ',') AS times
        FROM events WHERE typeof(lead_id) = 'integer' AND lead_id IN (SELECT lead_id FROM lead_activity_stale)
        GROUP BY lead_id, kind)
    GROUP BY lead_id""")
db.execute("DELETE FROM lead_activity_stale")
db.execute("COMMIT")
db.execute("PRAGMA journal_mode = WAL")
print("events:", db.execute("SELECT count(*) FROM events").fetchone()[0],
      "objections:", db.execute("SELECT count(*) FROM objections").fetchone()[0])
