"""`manage.py seed_demo`: realistic fake leads for demos and benchmarks."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from advisor.advice.engine import advise
from advisor.advice.table import QUESTIONS
from advisor.funnel.report import funnel_report
from advisor.models import FollowUpStatus, Submission
from tests.factories import make_lead

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _development(settings):
    settings.DEBUG = True


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_creates_the_requested_number_of_dutch_leads():
    output = seed("--count", "400")
    assert "Created 400 demo leads" in output
    leads = list(Submission.objects.all())
    assert len(leads) == 400
    assert all(lead.email.endswith(".example") for lead in leads)  # never a real mailbox
    assert len({lead.company for lead in leads}) > 300
    assert any(lead.company.startswith(("Huisartsenpraktijk", "Advocatenkantoor", "Bakkerij"))
               for lead in leads)
    assert len({lead.token for lead in leads}) == 400


def test_demo_leads_carry_the_advice_of_the_real_engine():
    seed("--count", "200")
    for lead in Submission.objects.all()[:50]:
        with translation.override(lead.language):
            expected = advise(lead.answers)
            assert lead.advice == expected.as_dict()  # texts in the visitor's language
        assert (lead.verdict, lead.plan, lead.clear) == (
            expected.verdict, expected.plan, expected.clear)
        assert lead.sector == lead.answers["sector"]


def test_demo_leads_are_varied_and_spread_over_the_last_year():
    seed("--count", "600")
    leads = Submission.objects.all()
    now = timezone.now()
    dates = [lead.created_at for lead in leads]
    assert min(dates) >= now - timedelta(days=366)
    assert max(dates) - min(dates) > timedelta(days=250)
    assert set(Counter(lead.verdict for lead in leads)) == {"imap", "m365"}
    offered = [c for c in QUESTIONS["sector"].choices if c.offered and c.demo_weight]
    assert len({lead.sector for lead in leads}) == len(offered)
    assert len({lead.plan for lead in leads}) == 5
    assert set(lead.status for lead in leads) == set(FollowUpStatus.values)
    assert len({tuple(sorted(lead.answers.items())) for lead in leads}) > 100
    assert all(lead.consent_at == lead.created_at for lead in leads)


def test_the_same_seed_gives_the_same_leads():
    seed("--count", "20", "--seed", "7")
    first = list(Submission.objects.values_list("company", "answers"))
    Submission.objects.all().delete()
    seed("--count", "20", "--seed", "7")
    assert list(Submission.objects.values_list("company", "answers")) == first


def test_clear_removes_earlier_demo_leads_and_nothing_else():
    real = make_lead(email="eva@praktijkjansen.nl")
    seed("--count", "30")
    output = seed("--count", "10", "--clear")
    assert "Deleted 30 earlier demo leads and" in output
    assert Submission.objects.count() == 11
    assert Submission.objects.filter(pk=real.pk).exists()


def test_seed_demo_refuses_a_live_database_unless_told_explicitly(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="live database"):
        seed("--count", "5")
    assert not Submission.objects.exists()
    seed("--count", "5", "--allow-production")
    assert Submission.objects.count() == 5


def test_each_answer_combination_is_advised_once_however_many_leads_share_it(monkeypatch):
    # What keeps 100,000 leads fast (benchmarks/bench_seed_demo.py times it): the engine
    # runs once per answer combination and language, not once per lead.
    calls = []

    def counted(answers):
        calls.append(dict(answers))
        return advise(answers)

    monkeypatch.setattr("advisor.management.commands.seed_demo.advise", counted)
    seed("--count", "500", "--profiles", "20")
    assert Submission.objects.count() == 500
    assert len(calls) <= 20 * 2  # profiles x languages
    assert len({tuple(sorted(answers.items())) for answers in calls}) <= 20


def test_demo_leads_come_from_several_sources_and_the_funnel_counts_their_visits():
    seed("--count", "300")
    leads = list(Submission.objects.all())
    sources = Counter((lead.utm_source, lead.referrer_host) for lead in leads)
    assert len(sources) >= 5
    assert ("linkedin", "") in sources and ("", "www.google.com") in sources
    today = timezone.localdate()
    report = funnel_report(first_day=today - timedelta(days=366), last_day=today)
    # Every demo lead is a submission in the funnel, on its own day, from its own source.
    assert report["submitted"] == 300
    per_day = Counter(timezone.localdate(lead.created_at).isoformat() for lead in leads)
    assert {day["date"]: day["submitted"] for day in report["days"] if day["submitted"]} == \
        dict(per_day)
    # More visits started than sent it, and each step keeps at most what the one before it.
    assert report["started"] > report["submitted"]
    for entry in report["steps"]:
        assert entry["reached"] >= entry["completed"]
    assert report["steps"][-1]["completed"] == 300
    assert all(source["started"] >= source["submitted"] for source in report["sources"])


def test_clear_also_starts_the_funnel_afresh():
    seed("--count", "20")
    seed("--count", "5", "--clear")
    today = timezone.localdate()
    report = funnel_report(first_day=today - timedelta(days=366), last_day=today)
    assert report["submitted"] == 5
