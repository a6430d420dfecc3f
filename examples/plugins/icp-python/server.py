"""Handoff plugin: an ideal-customer-profile check.

Handoff resolves the lead the user names and passes it as a record (with its account and
events, as plugin.yaml declares); this server only judges it against icp.json.
"""
import json
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer

PROFILE = json.loads((Path(__file__).parent / "icp.json").read_text())
server = MCPServer("icp")


def checks(lead: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """(criterion, passed, what the lead has) for each part of the profile."""
    account = lead.get("account") or {}
    industry = account.get("industry") or "unknown"
    employees = account.get("employees")
    country = account.get("country") or "unknown"
    seniority = lead.get("seniority") or "unknown"
    events = len(lead.get("events") or [])
    size = PROFILE["employees"]
    return [
        ("industry", industry in PROFILE["industries"], industry),
        ("company size", employees is not None and size["min"] <= employees <= size["max"],
         f"{employees} employees" if employees is not None else "unknown"),
        ("country", country in PROFILE["countries"], country),
        ("seniority", seniority in PROFILE["seniority"], seniority),
        ("engagement", events >= PROFILE["engaged_events"], f"{events} events"),
    ]


@server.tool()
def icp_check(lead: dict[str, Any]) -> dict[str, Any]:
    """Check one lead against the ideal customer profile."""
    results = checks(lead)
    passed = sum(1 for _, ok, _ in results if ok)
    fit = "strong" if passed >= 4 else "partial" if passed >= 3 else "weak"
    account = (lead.get("account") or {}).get("name", "no account")
    return {
        "title": f"ICP fit for {lead['name']} ({account}): {fit}",
        "summary": f"{passed} of {len(results)} profile criteria met.",
        "table": {
            "columns": ["criterion", "met", "lead has"],
            "rows": [[name, "yes" if ok else "no", value] for name, ok, value in results],
        },
        "lead": lead["external_id"],
        "fit": fit,
        "passed": passed,
        "criteria": [{"criterion": name, "met": ok, "value": value} for name, ok, value in results],
    }


if __name__ == "__main__":
    server.run()
