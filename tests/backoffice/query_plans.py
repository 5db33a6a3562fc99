"""The query plans of the lead list and the dashboard, printed as JSON; run by
test_query_plans.py in a process of its own, against the database in DATABASE_URL (a
throwaway one).

Migrates that database, fills it with demo leads (seed_demo, which also refreshes the
planner's statistics), opens each page of the lead list and the dashboard as a verified
consultant and asks the database how it runs every query on the leads table of that page: the
admin's own SQL, not a copy. On PostgreSQL the planner is pushed off sequential scans (a small
table would rather be read whole), so a plan shows which index it can use, or a Seq Scan when
there is none.
"""

import io
import json
import os
import sys
from datetime import timedelta
from typing import Any

SEARCHES = ("company", "last name", "exact e-mail", "e-mail in capitals", "part of an e-mail")
FILTERS = {
    "overdue": {"follow_up": "overdue"}, "status": {"status__exact": "new"},
    "advice": {"verdict": "m365"}, "plan": {"plan": "business_premium"},
    "sector": {"sector": "healthcare_patient"}, "team size": {"team_size": "2_5"},
    "domain check": {"domain": "at_risk"},
}
SORTS = ("company", "submitted", "status", "follow_up")


def search_terms() -> dict[str, str]:
    """Words of a lead that is really there, so every search finds something."""
    from advisor.models import Submission

    lead = Submission.objects.order_by("pk").first()
    return {
        "company": max(lead.company.split(), key=len),
        "last name": lead.name.split()[-1],
        "exact e-mail": lead.email,
        "e-mail in capitals": lead.email.upper(),
        "part of an e-mail": lead.email.split("@")[1].split(".")[0][:8],
    }


def pages(list_display: list[str]) -> dict[str, dict[str, str]]:
    from django.utils import timezone

    terms = search_terms()
    found = {"list": {}}
    found.update({f"search {name}": {"q": terms[name]} for name in SEARCHES})
    for column in SORTS:
        number = list_display.index(column)
        found[f"sort {column}"] = {"o": str(number)}
        found[f"sort {column} descending"] = {"o": f"-{number}"}
    found.update({f"filter {name}": query for name, query in FILTERS.items()})
    month_ago = timezone.now() - timedelta(days=30)
    found["filter submitted since"] = {"created_at__gte": month_ago.isoformat()}
    return found


def plan(sql: str) -> list[str]:
    """The plan's steps as text: "Index Scan Backward using submission_created_idx",
    "Sort", "Seq Scan on advisor_submission" (PostgreSQL) or SQLite's own lines."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [row[3] for row in cursor.fetchall()]
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        steps: list[str] = []
        pending: list[dict[str, Any]] = [cursor.fetchone()[0][0]["Plan"]]
        while pending:
            node = pending.pop(0)
            where = (f" using {node['Index Name']}" if "Index Name" in node
                     else f" on {node['Relation Name']}" if "Relation Name" in node else "")
            steps.append(node["Node Type"] + (" Backward" if node.get(
                "Scan Direction") == "Backward" else "") + where)
            pending.extend(node.get("Plans", []))
        return steps


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from tests.factories import make_staff, verified_client

    setup_test_environment()  # the test client's host name is allowed
    call_command("migrate", verbosity=0)
    call_command("seed_demo", count=int(os.environ.get("LEADS", "2000")), stdout=io.StringIO())
    client = verified_client(make_staff())
    url = reverse("admin:advisor_submission_changelist")
    list_display = client.get(url).context["cl"].list_display
    plans = {}
    for name, query in pages(list_display).items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, query)
        assert response.status_code == 200, (name, response.status_code)
        statements = [q["sql"] for q in queries if 'FROM "advisor_submission"' in q["sql"]]
        plans[name] = {
            "query": query,
            "count": next(plan(sql) for sql in statements if "COUNT(*)" in sql),
            "page": next(plan(sql) for sql in statements if "COUNT(*)" not in sql),
        }
    # The dashboard's first view with nothing cached: every week of leads counted, and the
    # oldest lead and today's leads, as each view reads them.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:dashboard"))
    assert response.status_code == 200, response.status_code
    plans["dashboard"] = [plan(q["sql"]) for q in queries
                          if 'FROM "advisor_submission"' in q["sql"]]
    json.dump({"vendor": connection.vendor, "plans": plans}, sys.stdout)


if __name__ == "__main__":
    main()
