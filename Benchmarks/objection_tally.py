"""The objection_days tally, for the scripts that bulk-load objections into a Handoff database
(load.py, generate.py --db): its triggers set aside during the load and the tally filled once
after it, as a big `import objections` does. Kept through the triggers, each insert deletes
emptied rows by a key the tally's primary key does not lead with, scanning the whole tally: a
million objections would take hours."""

# A copy of Migrations.objectionDaysFill: keep the two alike.
DAY = "(CASE WHEN at >= 0 THEN at / 86400 ELSE (at - 86399) / 86400 END)"
FILL = [
    f"""INSERT INTO objection_days (segment, day, theme, industry, value, n)
        SELECT 'all', {DAY}, theme, coalesce('=' || industry, ''), '', count(*) FROM objections GROUP BY 2, 3, 4""",
    f"""INSERT INTO objection_days (segment, day, theme, industry, value, n)
        SELECT 'stage', {DAY}, theme, coalesce('=' || industry, ''), coalesce('=' || deal_stage, ''), count(*) FROM objections GROUP BY 2, 3, 4, 5""",
    f"""INSERT INTO objection_days (segment, day, theme, industry, value, n)
        SELECT 'rep', {DAY}, theme, coalesce('=' || industry, ''), coalesce('=' || logged_by, ''), count(*) FROM objections GROUP BY 2, 3, 4, 5""",
]


def set_aside(db):
    """Drops the tally's triggers; returns them, for `refill`."""
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'objection_days_%'").fetchall()
    for name, _ in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    return triggers


def refill(db, triggers):
    """Fills the tally from the objections and puts its triggers back."""
    db.execute("DELETE FROM objection_days")
    for sql in FILL:
        db.execute(sql)
    for _, sql in triggers:
        db.execute(sql)
