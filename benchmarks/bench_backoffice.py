"""The back office at 1,000 and at 100,000 leads on PostgreSQL, in one run: the ratio is the figure.

Run from the project folder:  .venv/bin/python benchmarks/bench_backoffice.py [--large 100000]

Creates a throwaway PostgreSQL database, fills it with `seed_demo`, and times the lead list,
a search by company or name, a search by e-mail address, two sorts and the dashboard as a
verified consultant (through Django's test client, in this process, production settings);
then adds leads up to --large and times the same pages again. The issue's target: each page
at most twice its time at 1,000 leads. Takes two to four minutes, most of it seeding.
"""

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loopback_stack import (
    machine,
    prepare_site,
    production_environment,
    throwaway_postgres,
)

REPEATS = 7
# The e-mail search looks for a substring, as the consultant types part of an address.
PAGES = {
    "lead list": {},
    "search company or name": {"q": "Jansen"},
    "search e-mail": {"q": "praktijk"},
    "sort by company": {"o": "1"},
    # Only company and status can be sorted: sortable_by names "created_at" and
    # "next_follow_up", which are fields, not the columns "submitted" and "follow_up".
    "sort by status": {"o": "8"},
}


def verified_consultant():
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = User.objects.create_superuser("bench", "bench@consultant.example", None)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def median_ms(client, url: str, query: dict[str, str]) -> float:
    client.get(url, query, secure=True)  # warm-up: templates, the query planner's caches
    timings = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        response = client.get(url, query, secure=True)
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            sys.exit(f"{url} {query}: HTTP {response.status_code}")
    # The admin ignores an ordering it does not allow; its header then shows no sorted column.
    if "o" in query and b"sorted ascending" not in response.content \
            and b"sorted descending" not in response.content:
        sys.exit(f"{url} {query}: the admin ignored the sort")
    return statistics.median(timings) * 1000


def time_pages(client) -> dict[str, float]:
    from django.urls import reverse

    changelist = reverse("admin:advisor_submission_changelist")
    figures = {name: median_ms(client, changelist, query) for name, query in PAGES.items()}
    figures["dashboard"] = median_ms(client, reverse("admin:dashboard"), {})
    return figures


def table_megabytes() -> float:
    """The leads table with its indexes and TOAST: what 100,000 leads weigh on disk."""
    from django.db import connection

    from advisor.models import Submission

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [Submission._meta.db_table])
        return cursor.fetchone()[0] / 1e6


def seed(count: int) -> float:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("seed_demo", count=count, allow_production=True, stdout=io.StringIO())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000, help="leads first (1,000)")
    parser.add_argument("--large", type=int, default=100_000, help="leads then (100,000)")
    options = parser.parse_args()

    with (throwaway_postgres("backoffice") as database_url,
          production_environment("backoffice", database_url=database_url)):
        prepare_site()
        import django

        django.setup()
        client = verified_consultant()
        seed(options.small)
        small = time_pages(client)
        seconds = seed(options.large - options.small)
        large = time_pages(client)
        size_mb = table_megabytes()
        from django.db import connections

        connections.close_all()  # before the database is dropped

    print(f"Back office on PostgreSQL, median of {REPEATS} requests (test client, production "
          f"settings; {machine()}); seeding {options.large - options.small:,} more leads took "
          f"{seconds:.0f} s")
    print(f"leads table with indexes at {options.large:,} leads: {size_mb:.0f} MB")
    columns = (f"{options.small:,} leads", f"{options.large:,} leads")
    print(f"{'(ms)':26}{columns[0]:>14}{columns[1]:>14}{'ratio':>8}")
    for name in small:
        print(f"{name:26}{small[name]:14.1f}{large[name]:14.1f}{large[name] / small[name]:8.2f}")


if __name__ == "__main__":
    main()
