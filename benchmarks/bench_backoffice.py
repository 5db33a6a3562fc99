"""The back office at 1,000 and at 100,000 leads on PostgreSQL, in one run: the ratio is the figure.

Run from the project folder:  .venv/bin/python benchmarks/bench_backoffice.py [--large 100000]

Creates two throwaway PostgreSQL databases, fills one with 1,000 and one with 100,000 leads
(`seed_demo`, which ends with VACUUM ANALYZE, as autovacuum would a while later), and times,
as a verified consultant through Django's test client in this process with production
settings: the lead list, a search by company, by name, by a part of an address and by an exact
address, each sortable column both ways, each filter, and the dashboard (as usually viewed,
its first view after a lead's status changed, and its first view of a day). The requests to
the two databases alternate, each over its own open connection and with a cache key prefix
of its own, so a busy moment on this shared machine slows both sizes alike instead of one.
The issue's target: each page at most twice its time at 1,000 leads. Takes three to ten
minutes, most of it seeding.
"""

import argparse
import contextlib
import io
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.loopback_stack import (
    machine,
    manage_with,
    prepare_site,
    production_environment,
    throwaway_postgres,
)

REPEATS = 7
# Words in seed_demo's names, company patterns and addresses. At 1,000 leads "kantoor" and
# "praktijk" fill a page of 50 and "berg" nearly; "Jansen" (the example) lists 5
# there and a full page at 100,000, so its ratio also holds 45 more rows to render; "van" is
# in half the leads: its count visits 46,000 of them. The exact address is that of each
# database's first lead. The "listed" column shows how many leads each page lists.
SEARCHES = {
    "search company (kantoor)": "kantoor",
    "search name (berg)": "berg",
    "search name (Jansen)": "Jansen",
    "search half the leads (van)": "van",
    "search part of address (praktijk)": "praktijk",
}
SORTS = ("company", "submitted", "status", "follow_up")
FILTERS = {
    "filter follow-up overdue": {"follow_up": "overdue"},
    "filter status new": {"status__exact": "new"},
    "filter advice m365": {"verdict": "m365"},
    "filter plan": {"plan": "business_premium"},
    "filter sector": {"sector": "healthcare_patient"},
    "filter team size": {"team_size": "2_5"},
    "filter domain check": {"domain": "at_risk"},
}


class Size:
    """One of the two databases: its connection, its cache key prefix, its consultant."""

    def __init__(self, name: str, database_url: str) -> None:
        from django.core.cache import caches
        from django.db import connections

        self.name = name
        self.connection = connections.create_connection("default")
        self.connection.settings_dict = {
            **self.connection.settings_dict, "NAME": database_url.rsplit("/", 1)[1]}
        self.cache_prefix = f"{caches['default'].key_prefix}-{name}"
        self.client = None

    @contextlib.contextmanager
    def active(self) -> Iterator["Size"]:
        """Django's default connection and cache prefix are this size's, for a while."""
        from django.core.cache import caches
        from django.db import connections

        connections["default"] = self.connection
        caches["default"].key_prefix = self.cache_prefix
        yield self

    def close(self) -> None:
        with self.active():
            from django.core.cache import cache

            # This size's keys in the shared Redis: some have no expiry, the counts a week's.
            server = cache._cache.get_client(write=True)
            for key in server.scan_iter(f"{self.cache_prefix}:*"):
                server.delete(key)
        self.connection.close()


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


def get(size: Size, url: str, query: dict[str, str]) -> float:
    with size.active():
        started = time.perf_counter()
        response = size.client.get(url, query, secure=True)
        seconds = time.perf_counter() - started
    if response.status_code != 200:
        sys.exit(f"{size.name}: {url} {query}: HTTP {response.status_code}")
    # The admin ignores an ordering it does not allow; its header then shows no sorted column.
    if "o" in query and b"sorted ascending" not in response.content \
            and b"sorted descending" not in response.content:
        sys.exit(f"{size.name}: {url} {query}: the admin ignored the sort")
    return seconds * 1000


def median_ms(sizes: list[Size], url: str, queries: list[dict[str, str]],
              before: Callable[[], None] = lambda: None,
              when: Callable[[int], contextlib.AbstractContextManager] = (
                  lambda _repeat: contextlib.nullcontext())) -> list[float]:
    """The median time of one page on each size, their requests taken in turns; `before`
    runs (untimed) before each request, and each round of requests runs in when(round)."""
    with when(0):
        for size, query in zip(sizes, queries, strict=True):
            with size.active():
                before()
            get(size, url, query)  # warm-up: templates, the query planner's caches
    timings: list[list[float]] = [[] for _ in sizes]
    for repeat in range(REPEATS):
        # Each size goes first as often as the other.
        order = list(range(len(sizes)))[::1 if repeat % 2 == 0 else -1]
        with when(repeat + 1):
            for index in order:
                with sizes[index].active():
                    before()
                timings[index].append(get(sizes[index], url, queries[index]))
    return [statistics.median(times) for times in timings]


def change_a_lead_of_last_week() -> None:
    """As the consultant's status change in the admin: the first lead of last week (the
    busiest full week of seed_demo's leads, which thin out into the past) is contacted, or
    new again, and that week's counts are made again (models.lead_figures_changed)."""
    from datetime import timedelta

    from django.utils import timezone

    from advisor.backoffice.dashboard import leads_between
    from advisor.models import FollowUpStatus, Submission, lead_figures_changed

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    lead = leads_between(monday - timedelta(weeks=1), monday).order_by("pk").first()
    status = (FollowUpStatus.NEW if lead.status == FollowUpStatus.CONTACTED
              else FollowUpStatus.CONTACTED)
    Submission.objects.filter(pk=lead.pk).update(status=status)
    lead_figures_changed(created_at=[lead.created_at])


def days_ago(days: int) -> contextlib.AbstractContextManager:
    """The clock this many days back: a day the dashboard has not been viewed on, with the
    leads of the days before it (those after it are not counted), as seeded."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    return time_machine.travel(timezone.now() - timedelta(days=days), tick=True)


def changelist_of(changelist: str, query: dict[str, str]):
    """The admin's ChangeList of this page, as its view builds it (without rendering)."""
    from django.contrib import admin
    from django.contrib.auth.models import User
    from django.test import RequestFactory

    from advisor.models import Submission

    request = RequestFactory().get(changelist, query)
    request.user = User.objects.get(username="bench")
    return admin.site.get_model_admin(Submission).get_changelist_instance(request)


def listed(changelist: str, query: dict[str, str]) -> int:
    """How many leads the page lists: a page of 5 renders faster than one of 50."""
    cl = changelist_of(changelist, query)
    return min(cl.result_count, cl.list_per_page)


def list_columns(changelist: str) -> list[str]:
    """The lead list's columns as the admin numbers them in ?o= (with the checkbox first)."""
    return list(changelist_of(changelist, {}).list_display)


def lead_list_pages(changelist: str) -> dict[str, dict[str, str]]:
    from datetime import timedelta

    from django.utils import timezone

    from advisor.models import Submission

    first = Submission.objects.order_by("pk").values_list("email", flat=True).first()
    pages = {"lead list": {}}
    pages.update({name: {"q": term} for name, term in SEARCHES.items()})
    pages["search exact address"] = {"q": first}
    columns = list_columns(changelist)
    for column in SORTS:
        pages[f"sort {column}"] = {"o": str(columns.index(column))}
        pages[f"sort {column} descending"] = {"o": f"-{columns.index(column)}"}
    pages.update(FILTERS)
    week_ago = timezone.now() - timedelta(days=7)
    pages["filter submitted past 7 days"] = {"created_at__gte": week_ago.isoformat()}
    return pages


def time_pages(sizes: list[Size]) -> dict[str, list[float]]:
    from django.urls import reverse

    changelist = reverse("admin:advisor_submission_changelist")
    pages, shown = [], []
    for size in sizes:
        with size.active():
            pages.append(lead_list_pages(changelist))
            shown.append({name: listed(changelist, query) for name, query in pages[-1].items()
                          if name.startswith(("search", "filter"))})
    figures = {name: median_ms(sizes, changelist, [page[name] for page in pages])
               for name in pages[0]}
    for name in shown[0]:
        figures[name].extend(counts[name] for counts in shown)
    dashboard = reverse("admin:dashboard")
    figures["dashboard"] = median_ms(sizes, dashboard, [{}, {}])
    # After a status change: that lead's week is counted again.
    figures["dashboard, first view after a change"] = median_ms(
        sizes, dashboard, [{}, {}], before=change_a_lead_of_last_week)
    # A new day: this week until that day is counted again (each round another day).
    figures["dashboard, first view of a day"] = median_ms(
        sizes, dashboard, [{}, {}], when=lambda repeat: days_ago(repeat + 1))
    return figures


def dashboard_plans(size: Size) -> list[str]:
    """EXPLAIN ANALYZE of the queries on the leads of the dashboard's first view after a
    change (the planner's own choice, nothing forced): what each reads, and how long."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    change_a_lead_of_last_week()
    with CaptureQueriesContext(connection) as queries:
        get(size, reverse("admin:dashboard"), {})
    lines = []
    for query in queries:
        if 'FROM "advisor_submission"' not in query["sql"]:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
            found = cursor.fetchone()[0][0]
        steps, pending = [], [found["Plan"]]
        while pending:
            node = pending.pop(0)
            where = f" using {node['Index Name']}" if "Index Name" in node else (
                f" on {node['Relation Name']}" if "Relation Name" in node else "")
            fetches = f", heap fetches {node['Heap Fetches']}" if "Heap Fetches" in node else ""
            steps.append(f"{node['Node Type']}{where} (rows {node['Actual Rows']}{fetches})")
            pending.extend(node.get("Plans", []))
        lines.append(f"{found['Execution Time']:8.3f} ms  " + " <- ".join(steps))
    return lines


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
    parser.add_argument("--small", type=int, default=1_000, help="leads in one (1,000)")
    parser.add_argument("--large", type=int, default=100_000, help="leads in the other (100,000)")
    options = parser.parse_args()

    with (throwaway_postgres("backoffice_small") as small_url,
          throwaway_postgres("backoffice_large") as large_url,
          production_environment("backoffice", database_url=small_url)):
        prepare_site()
        manage_with(DATABASE_URL=large_url)("migrate", "--noinput", "-v0")
        import django

        django.setup()
        sizes = [Size("small", small_url), Size("large", large_url)]
        seconds = {}
        for size, count in zip(sizes, (options.small, options.large), strict=True):
            with size.active():
                size.client = verified_consultant()
                seconds[size.name] = seed(count)
        figures = time_pages(sizes)
        with sizes[1].active():
            size_mb = table_megabytes()
            plans = dashboard_plans(sizes[1])
        for size in sizes:
            size.close()  # before the databases are dropped

    print(f"Back office on PostgreSQL, median of {REPEATS} requests each, the two sizes in "
          f"turns (test client, production settings; {machine()}); seeding "
          f"{options.large:,} leads took {seconds['large']:.0f} s")
    print(f"leads table with indexes at {options.large:,} leads: {size_mb:.0f} MB")
    columns = (f"{options.small:,} leads", f"{options.large:,} leads")
    print(f"{'(ms)':38}{columns[0]:>14}{columns[1]:>14}{'ratio':>8}{'listed':>10}")
    for name, (small, large, *shown) in figures.items():
        ratio = large / small
        rows = f"{shown[0]} / {shown[1]}" if shown else ""
        print(f"{name:38}{small:14.1f}{large:14.1f}{ratio:8.2f}{rows:>10}"
              f"{'' if ratio <= 2 else '  > 2'}")
    print(f"\nThe dashboard's queries on the leads at {options.large:,}, first view after a "
          "change (EXPLAIN ANALYZE):")
    print("\n".join(plans))


if __name__ == "__main__":
    main()
