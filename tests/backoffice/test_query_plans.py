"""The lead list and the dashboard read indexes: the plans PostgreSQL and SQLite make for the
admin's own queries.

Each database is a throwaway one, migrated and filled with 2,000 demo leads by
tests/backoffice/query_plans.py in a process of its own, whatever database the suite runs on:
both are checked in every run. The assertions are on plans, never on time.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.backoffice.query_plans import FILTERS, SEARCHES, SORTS

# A database and processes of its own: run once, in `make test` (Makefile).
pytestmark = pytest.mark.standalone

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
SORT_INDEXES = {"company": "submission_company_idx", "submitted": "submission_created_idx",
                "status": "submission_status_idx",
                "follow_up": "submission_next_follow_up_idx"}
TRIGRAM_INDEXES = ("submission_company_trgm_idx", "submission_name_trgm_idx",
                   "submission_email_trgm_idx")
LIST_PAGES = ("list", *(f"filter {name}" for name in FILTERS), "filter submitted since")


def plans_of(database_url: str) -> dict[str, dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    result = subprocess.run(
        [sys.executable, "-m", "tests.backoffice.query_plans"], cwd=ROOT, capture_output=True,
        text=True, timeout=300, check=False,
        env={**env, "DATABASE_URL": database_url, "DJANGO_LOG_LEVEL": "WARNING"},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)["plans"]


@pytest.fixture(scope="module")
def postgresql_plans() -> dict[str, dict]:
    name = f"keuzehulp_plans_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield plans_of(f"{POSTGRES}/{name}")
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def sqlite_plans(tmp_path_factory) -> dict[str, dict]:
    return plans_of(f"sqlite:///{tmp_path_factory.mktemp('plans') / 'leads.sqlite3'}")


def test_on_postgresql_every_search_reads_the_three_trigram_indexes(postgresql_plans):
    for search in SEARCHES:
        page = postgresql_plans[f"search {search}"]
        for steps in (page["count"], page["page"]):
            for index in TRIGRAM_INDEXES:
                assert f"Bitmap Index Scan using {index}" in steps, (search, page)
            assert "Seq Scan on advisor_submission" not in steps, (search, page)


def test_on_postgresql_every_sort_reads_its_own_index_both_ways_without_sorting(
    postgresql_plans
):
    for column in SORTS:
        index = SORT_INDEXES[column]
        ascending = postgresql_plans[f"sort {column}"]["page"]
        descending = postgresql_plans[f"sort {column} descending"]["page"]
        assert ascending == ["Limit", f"Index Scan using {index}"], column
        assert descending == ["Limit", f"Index Scan Backward using {index}"], column


def test_on_postgresql_the_list_and_every_filter_count_and_page_through_an_index(
    postgresql_plans
):
    for name in LIST_PAGES:
        page = postgresql_plans[name]
        assert page["count"][0] == "Aggregate" and page["count"][1].startswith(
            "Index Only Scan using "), (name, page)
        assert all(step.startswith(("Limit", "Index Scan")) for step in page["page"]), \
            (name, page)


def test_on_sqlite_every_sort_reads_its_own_index_both_ways_without_sorting(sqlite_plans):
    for column in SORTS:
        for direction in ("", " descending"):
            steps = sqlite_plans[f"sort {column}{direction}"]["page"]
            assert steps == [f"SCAN advisor_submission USING INDEX {SORT_INDEXES[column]}"], \
                (column, direction)


def test_on_sqlite_the_list_and_every_filter_count_and_page_through_an_index(sqlite_plans):
    for name in LIST_PAGES:
        page = sqlite_plans[name]
        assert len(page["count"]) == 1 and "USING COVERING INDEX" in page["count"][0], \
            (name, page)
        # SQLite may find a filter's leads by its index and then order those few itself.
        assert "USING INDEX" in page["page"][0], (name, page)
        assert set(page["page"][1:]) <= {"USE TEMP B-TREE FOR ORDER BY"}, (name, page)


def test_on_postgresql_the_dashboard_reads_only_a_range_of_the_date_index(postgresql_plans):
    # The oldest lead (the first entry), each week's grouped count and today's: all from
    # submission_created_idx alone, each over its own range of dates.
    plans = postgresql_plans["dashboard"]
    assert len(plans) > 50  # a year of demo leads, a count per week
    for steps in plans:
        scans = [step for step in steps if "Scan" in step]
        assert scans == ["Index Only Scan using submission_created_idx"], steps


def test_on_sqlite_the_dashboard_reads_only_a_range_of_the_date_index(sqlite_plans):
    plans = sqlite_plans["dashboard"]
    assert len(plans) > 50
    for steps in plans:
        assert "USING COVERING INDEX submission_created_idx (created_at>? AND created_at<?)" \
            in steps[0] or steps == [
                "SCAN advisor_submission USING COVERING INDEX submission_created_idx"], steps
