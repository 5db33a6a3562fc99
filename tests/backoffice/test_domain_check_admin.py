"""The domain check in the back office: a panel per lead, the level in the list, a filter
with "at risk" first, and "check again"; plus the PDF, export and erasure of the findings."""

import json

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from advisor.models import ConsultantProfile, DomainCheckState, Submission
from advisor.privacy.services import erase_personal_data, export_personal_data
from advisor.questionnaire.domain_check import store_domain_check_of
from advisor.reports.report import store_report_of
from tests.factories import make_lead, make_staff, verified_client

pytestmark = pytest.mark.django_db

LIST = "admin:advisor_submission_changelist"
ON_IMAP = {"team_size": "6_15", "sector": "healthcare", "sensitive_data": "lots",
           "current_setup": "imap"}


@pytest.fixture
def consultant():
    return verified_client(make_staff())


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def checked_lead(email: str, company: str) -> Submission:
    lead = make_lead(email=email, company=company, answers=ON_IMAP)
    store_domain_check_of(submission_id=lead.pk)
    lead.refresh_from_db()
    return lead


def test_the_lead_list_shows_the_level_and_filters_at_risk_first(consultant):
    checked_lead("info@bouwbedrijf-open.nl", "Bouwbedrijf Open")
    checked_lead("eva@praktijkjansen.nl", "Praktijk Jansen")
    with translation.override("en"):
        html = consultant.get(reverse(LIST)).content.decode()
        at_risk = consultant.get(reverse(LIST), {"domain": "at_risk"}).content.decode()
    assert "at risk" in html
    # The filter's options, "at risk" first: the best prospects.
    options = [html.index(f"?domain={state}") for state in ("at_risk", "improve", "good")]
    assert options == sorted(options)
    assert "Bouwbedrijf Open" in at_risk
    assert "Praktijk Jansen" not in at_risk


def test_the_lead_page_shows_the_findings_and_talking_points_with_their_time(consultant):
    lead = checked_lead("eva@praktijkjansen.nl", "Praktijk Jansen")
    with translation.override("en"):
        html = consultant.get(reverse("admin:advisor_submission_change",
                                      args=[lead.pk])).content.decode()
    assert "E-mail domain" in html
    assert "praktijkjansen.nl" in html
    assert "ask who manages that tenant" in html
    assert "checked " in html
    assert "Check again" in html


def test_check_again_asks_a_new_check_and_refreshes_the_result_with_its_time(
    consultant, django_capture_on_commit_callbacks, monkeypatch
):
    lead = checked_lead("eva@praktijkjansen.nl", "Praktijk Jansen")
    first = lead.domain_checked_at
    deferred = []
    monkeypatch.setattr("advisor.queue.jobs.defer_now",
                        lambda task, **kwargs: deferred.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        response = consultant.post(reverse("admin:advisor_submission_check_domain",
                                           args=[lead.pk]))
    assert response.status_code == 302
    # Under the report's lock: a render asked for later waits for the findings it shows.
    assert deferred == [{"queueing_lock": f"domain-check-{lead.pk}",
                         "lock": f"report-content-{lead.pk}", "submission_id": lead.pk}]
    lead.refresh_from_db()
    assert lead.domain_check_level == DomainCheckState.PENDING
    store_domain_check_of(submission_id=lead.pk)  # as the worker does
    lead.refresh_from_db()
    assert lead.domain_checked_at > first
    assert lead.domain_check_level == lead.domain_check["level"]


def test_check_again_as_a_list_action_and_refused_while_switched_off(
    consultant, django_capture_on_commit_callbacks, monkeypatch
):
    lead = checked_lead("eva@praktijkjansen.nl", "Praktijk Jansen")
    deferred = []
    monkeypatch.setattr("advisor.queue.jobs.defer_now",
                        lambda task, **kwargs: deferred.append(kwargs["queueing_lock"]))
    profile = ConsultantProfile.load()
    profile.pk = ConsultantProfile.SINGLETON_ID
    profile.domain_check_enabled = False
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        consultant.post(reverse(LIST), {"action": "check_domain_again",
                                        "_selected_action": [lead.pk]})
    assert deferred == []
    profile.domain_check_enabled = True
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        consultant.post(reverse(LIST), {"action": "check_domain_again",
                                        "_selected_action": [lead.pk]})
    assert deferred == [f"domain-check-{lead.pk}"]


def test_the_pdf_report_has_the_findings(media):
    lead = checked_lead("eva@praktijkjansen.nl", "Praktijk Jansen")
    store_report_of(submission_id=lead.pk)
    lead.refresh_from_db()
    with lead.report_pdf.open("rb") as handle:
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(handle).pages).split())
    assert "Je e-maildomein" in text
    assert "praktijkjansen.nl" in text
    assert "komt al binnen bij Microsoft 365" in text


def test_the_privacy_export_holds_the_findings_and_erasure_removes_them():
    lead = checked_lead("eva@praktijkjansen.nl", "Praktijk Jansen")
    exported = json.loads(json.dumps(export_personal_data(email="eva@praktijkjansen.nl"),
                                     default=str))
    (submission,) = exported["submissions"]
    assert submission["domain_check"]["provider"]["key"] == "microsoft_365"
    assert submission["domain_check_level"] == lead.domain_check_level
    erase_personal_data(email="eva@praktijkjansen.nl")
    assert not Submission.objects.filter(domain_check__isnull=False).exists()
