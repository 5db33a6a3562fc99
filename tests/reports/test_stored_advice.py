"""Advice stored by an earlier engine version still renders as it was given.

The fixture was produced by engine 2026.11.1 (main before issue 10): a law firm with the
old `legal` sector, the old measures `access_control`, `logging_monitoring` and
`demonstrable_settings`, the old norm `nova` (the Bar, cited then for all of "legal") and the old
decisive rule. None of those keys is in today's table except as a frozen legacy entry.
"""

import json
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.html import escape

from advisor.advice import table as q
from advisor.advice.engine import Advice
from advisor.models import Submission
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.reports.brief import render_brief
from advisor.reports.report import render_report
from tests.reports.test_report import pdf_text

STORED = Path(__file__).parent.parent / "advice" / "stored" / "advice-2026.11.1-law-firm.json"


@pytest.fixture
def old_submission(db) -> Submission:
    advice = json.loads(STORED.read_text(encoding="utf-8"))
    submission = Submission.from_advice(
        advice, contact={"name": "Eva Jansen", "company": "Advocaten Jansen",
                         "email": "eva@advocaten.example"},
        language="en", consent_version=PRIVACY_STATEMENT_VERSION)
    submission.save()
    return submission


def test_a_stored_advice_keeps_its_verdict_plan_measures_and_norms_as_given(old_submission):
    advice = Advice.from_dict(old_submission.advice)
    assert advice.engine_version == "2026.11.1" != q.ENGINE_VERSION
    assert (advice.verdict, advice.plan) == ("m365", "business_premium")
    assert [m.key for m in advice.security_measures] == [
        "mfa", "access_control", "logging_monitoring", "demonstrable_settings"]
    assert advice.current_setup_advice is None


def test_the_result_page_of_an_old_advice_shows_its_old_measures_norms_and_rule(
        client, old_submission):
    with translation.override("en"):
        html = client.get(f"/en/advies/{old_submission.token}/").content.decode()
        assert escape(str(q.LEGACY_MEASURES["access_control"].title)) in html
        assert escape(str(q.LEGACY_NORMS["nova"])) in html
        assert escape(str(q.LEGACY_DECISIVE_RULES["regulated_sector_with_sensitive_data"])) \
            in html
        assert escape(str(q.QUESTIONS["sector"].choice("legal").label)) in html


def test_the_pdf_and_the_brief_of_an_old_advice_render(old_submission):
    text = " ".join(pdf_text(render_report(old_submission)).split())
    assert "Advanced access control" in text
    assert render_brief(old_submission).startswith(b"%PDF")
