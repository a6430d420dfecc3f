#!/usr/bin/env python3
"""Writes a deterministic synthetic company: accounts, leads, engagement events and objections as
CSV files Handoff imports. Usage: generate.py OUT_DIR LEADS EVENTS_PER_LEAD [SEED]
(one objection per lead, spread over 2025)."""
import csv, os, random, sys

out, leads, per_lead = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261122
rng = random.Random(seed)
os.makedirs(out, exist_ok=True)

first = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret", "Ken", "Radia", "Linus",
         "Sophie", "Tim", "Hedy", "Katherine", "Dennis", "Guido", "Bjarne", "Anita"]
last = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton", "Thompson",
        "Perlman", "Torvalds", "Wilson", "Berners-Lee", "Lamarr", "Johnson", "Ritchie", "Rossum", "Stroustrup", "Borg"]
titles = ["VP Engineering", "Director of IT", "IT Manager", "Software Engineer", "CFO", "Head of Operations",
          "Marketing Coordinator", "Student", "Procurement Specialist", "Chief Executive Officer"]
industries = ["software", "financial services", "healthcare", "manufacturing", "retail", "logistics", "education", "energy"]
countries = ["US", "UK", "Germany", "France", "Canada", "India", "Brazil", "Netherlands"]
sources = ["webinar", "whitepaper", "web form", "trade show", "referral", "paid", "outbound"]
kinds = ["web_visit", "email_open", "email_click", "whitepaper_download", "webinar_registered", "webinar_attended",
         "web_form", "pricing_page_visit", "demo_request", "free_trial"]
accounts = max(1, leads // 10)

with open(os.path.join(out, "leads.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["external_id", "name", "email", "title", "company", "domain", "industry", "employees", "country",
                "source", "created_at", "outcome"])
    for n in range(leads):
        a = rng.randrange(accounts)
        day = rng.randrange(730)
        w.writerow([f"L{n}", f"{rng.choice(first)} {rng.choice(last)} {n}", f"lead{n}@company{a}.com",
                    rng.choice(titles), f"Company {a}", f"company{a}.com", industries[a % len(industries)],
                    10 + (a * 37) % 9000, countries[a % len(countries)], rng.choice(sources),
                    f"2025-{1 + day // 61 % 12:02d}-{1 + day % 28:02d}T{rng.randrange(24):02d}:00:00Z",
                    rng.choice(["won", "lost", "lost", "open"])])

with open(os.path.join(out, "events.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["lead", "kind", "occurred_at", "detail"])
    for n in range(int(leads * per_lead)):
        day = rng.randrange(730)
        w.writerow([f"L{rng.randrange(leads)}", rng.choice(kinds),
                    f"2025-{1 + day // 61 % 12:02d}-{1 + day % 28:02d}T{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z", ""])

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
with open(os.path.join(out, "objections.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["external_id", "lead", "text", "theme", "logged_by", "at"])
    for n in range(leads):
        theme = rng.choice(themes)
        day = rng.randrange(365)
        w.writerow([f"O{n}", f"L{rng.randrange(leads)}", rng.choice(said[theme]), theme, rng.choice(reps),
                    f"2025-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}T{rng.randrange(24):02d}:00:00Z"])
