"""`manage.py funnel --days N [--json]`: the contract of the JSON, and a readable text."""

import io
import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from advisor.funnel.counting import add
from advisor.funnel.sources import Source
from advisor.models import FunnelEvent as E
from tests.conftest import STEP_NAMES

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ROOT = Path(__file__).resolve().parents[2]
TOTALS = ["started", "submitted", "result_viewed", "pdf_downloaded", "shared", "cta_clicked"]
LINKEDIN = Source("linkedin", "social", "voorjaar", "")


def count(event, n=1, *, days_ago=0, detail="", language="nl", source=None):
    for _ in range(n):
        add(day=TODAY - timedelta(days=days_ago), language=language, event=event,
            detail=detail, source=source)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("funnel", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def counted():
    count(E.STARTED, 4, source=LINKEDIN)
    count(E.STARTED, 2, days_ago=2, language="en")
    count(E.STEP_REACHED, 6, detail="business")
    count(E.STEP_COMPLETED, 5, detail="business")
    count(E.STEP_REACHED, 5, detail="email")
    count(E.SUBMITTED, 3, source=LINKEDIN)
    count(E.RESULT_VIEWED, 3)
    count(E.PDF_DOWNLOADED, 2)
    count(E.SHARED)
    count(E.CTA_CLICKED, detail="book")
    count(E.STARTED, 9, days_ago=3)  # outside a three-day period


def test_the_json_has_the_totals_steps_sources_and_days_of_the_contract(counted):
    report = json.loads(run("--days", "3", "--json"))
    assert {key: report[key] for key in TOTALS} == {
        "started": 6, "submitted": 3, "result_viewed": 3, "pdf_downloaded": 2, "shared": 1,
        "cta_clicked": 1}
    assert report["period"] == {"first_day": (TODAY - timedelta(days=2)).isoformat(),
                                "last_day": TODAY.isoformat()}
    # Every step of the questionnaire, in order, also those nobody reached.
    assert [step["step"] for step in report["steps"]] == STEP_NAMES
    assert report["steps"][0] == {"step": "business", "reached": 6, "completed": 5}
    assert report["steps"][1] == {"step": "email", "reached": 5, "completed": 0}
    assert report["sources"] == [
        {"source": "linkedin", "medium": "social", "campaign": "voorjaar", "referrer": "",
         "started": 4, "submitted": 3, "conversion": 0.75},
        {"source": "", "medium": "", "campaign": "", "referrer": "", "started": 2,
         "submitted": 0, "conversion": 0.0},
    ]
    # Every day of the period, oldest first, with the same totals and steps.
    assert [day["date"] for day in report["days"]] == [
        (TODAY - timedelta(days=n)).isoformat() for n in (2, 1, 0)]
    assert set(report["days"][0]) == {"date", *TOTALS, "steps"}
    assert [day["started"] for day in report["days"]] == [2, 0, 4]
    assert report["days"][2]["steps"][0] == {"step": "business", "reached": 6, "completed": 5}
    assert report["completion_rate"] == 0.5
    assert report["languages"] == {
        "en": {"started": 2, "submitted": 0, "result_viewed": 0, "pdf_downloaded": 0,
               "shared": 0, "cta_clicked": 0},
        "nl": {"started": 4, "submitted": 3, "result_viewed": 3, "pdf_downloaded": 2,
               "shared": 1, "cta_clicked": 1}}
    assert report["cta_by_button"] == {"book": 1, "call": 0, "mail": 0}


def test_without_counts_the_json_has_every_key_with_zeros():
    report = json.loads(run("--days", "1", "--json"))
    assert all(report[key] == 0 for key in TOTALS)
    assert report["completion_rate"] is None
    assert report["sources"] == []
    assert len(report["days"]) == 1
    assert all(step == {"step": step["step"], "reached": 0, "completed": 0}
               for step in report["steps"])


def test_the_text_says_per_step_how_many_left(counted):
    text = run("--days", "3", "--lang", "en")
    assert "Started" in text
    business = next(line for line in text.splitlines() if "Your business" in line)
    assert business.split()[-3:] == ["6", "5", "1"]
    assert "linkedin / social / voorjaar" in text
    assert "75.0%" in text
    dutch = run("--days", "3")
    assert "Jouw bedrijf" in dutch and "75,0%" in dutch


@pytest.mark.parametrize("days", ["0", "-3", "99999"])
def test_a_period_out_of_range_is_refused_with_a_message(days):
    with pytest.raises(CommandError, match="--days must be between 1 and"):
        run("--days", days)


def test_from_the_shell_a_wrong_period_exits_non_zero():
    result = subprocess.run([sys.executable, "manage.py", "funnel", "--days", "zero"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "--days" in result.stderr
