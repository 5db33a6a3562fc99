"""Counting: one row per day, language, event, detail and source, incremented in place; on
PostgreSQL concurrent requests lose no count and make no second row."""

import os
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import psycopg
import pytest

from advisor.funnel.counting import add
from advisor.funnel.sources import Source
from advisor.models import FunnelCount
from advisor.models import FunnelEvent as E

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 3)
ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
LINKEDIN = Source("linkedin", "social", "voorjaar", "www.linkedin.com")


def test_the_first_count_makes_the_row_and_the_next_ones_add_to_it():
    for _ in range(3):
        add(day=DAY, language="nl", event=E.STARTED, source=LINKEDIN)
    row = FunnelCount.objects.get()
    assert (row.count, row.source, row.referrer) == (3, "linkedin", "www.linkedin.com")


def test_only_started_and_submitted_are_kept_per_source():
    add(day=DAY, language="nl", event=E.STEP_REACHED, detail="email", source=LINKEDIN)
    add(day=DAY, language="nl", event=E.STEP_REACHED, detail="email", source=Source("x"))
    row = FunnelCount.objects.get()
    assert (row.count, row.source, row.medium, row.campaign, row.referrer) == (2, "", "", "", "")


def test_days_languages_and_steps_are_counted_apart():
    add(day=DAY, language="nl", event=E.STEP_REACHED, detail="email")
    add(day=DAY, language="en", event=E.STEP_REACHED, detail="email")
    add(day=DAY, language="nl", event=E.STEP_REACHED, detail="planning")
    add(day=date(2026, 12, 4), language="nl", event=E.STEP_REACHED, detail="email")
    assert FunnelCount.objects.count() == 4
    assert set(FunnelCount.objects.values_list("count", flat=True)) == {1}


def test_a_count_taken_back_never_goes_below_zero():
    add(day=DAY, language="nl", event=E.STARTED)
    add(day=DAY, language="nl", event=E.STARTED, by=-1)
    add(day=DAY, language="nl", event=E.STARTED, by=-1)
    add(day=DAY, language="en", event=E.STARTED, by=-1)  # a row that was never there
    assert list(FunnelCount.objects.values_list("language", "count")) == [("nl", 0)]


CONCURRENT = """
import threading
from datetime import date

import django

django.setup()
from django.db import connection, transaction

from advisor.funnel.counting import add
from advisor.funnel.sources import Source
from advisor.models import FunnelCount

with connection.schema_editor() as editor:
    editor.create_model(FunnelCount)
THREADS, EACH = 8, 25
start = threading.Barrier(THREADS)


def work():
    start.wait()
    for _ in range(EACH):
        with transaction.atomic():  # as in a request that also stores a submission
            add(day=date(2026, 12, 3), language="nl", event="started", source=Source("x"))
    connection.close()


threads = [threading.Thread(target=work) for _ in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(FunnelCount.objects.count(), FunnelCount.objects.get().count)
"""


@pytest.mark.standalone
def test_concurrent_counts_on_postgresql_lose_nothing_and_make_one_row():
    name = f"kh_funnel_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
        result = subprocess.run(
            [sys.executable, "-c", CONCURRENT], cwd=ROOT, capture_output=True, text=True,
            env={**env, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "true",
                 "DATABASE_URL": f"{POSTGRES}/{name}", "DJANGO_LOG_LEVEL": "ERROR"},
            timeout=300)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["1", "200"]  # one row, 8 threads of 25 counts
    finally:
        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
