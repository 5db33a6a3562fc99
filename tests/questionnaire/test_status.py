"""The status the result page's script polls (status.json), the parts it swaps in
(status.html), and the result and "being prepared" pages that no longer reload themselves."""

import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from advisor.models import DomainCheckState, FunnelCount, Submission
from advisor.questionnaire.domain_check import store_domain_check_of
from advisor.questionnaire.services import revoke_link
from advisor.questionnaire.wizard import LAST_RESULT
from advisor.reports import report
from tests.factories import make_lead
from tests.web.test_security import inline_code_without_the_nonce, nonce_of

pytestmark = pytest.mark.django_db

# A Microsoft 365 domain on the loopback DNS server (tests/domaincheck/zones.py).
EMAIL = "eva@praktijkjansen.nl"
COMPANY = "Huisartsenpraktijk Jansen"


@pytest.fixture(autouse=True)
def _fast_renders(settings, tmp_path, monkeypatch):
    """Reports land in a folder of this test, made by a fake renderer (WeasyPrint is slow and
    beside the point here)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(report, "render_pdf", lambda **kwargs: b"%PDF-1.7 fake")


def waiting_lead(**fields) -> Submission:
    """A lead just stored: its PDF not made yet and its domain being checked."""
    return make_lead(**{"email": EMAIL, "company": COMPANY,
                        "domain_check_level": DomainCheckState.PENDING, **fields})


def status_url(submission: Submission, token: str | None = None) -> str:
    return reverse("advisor:report_status", kwargs={"token": token or submission.token})


def parts_url(submission: Submission, token: str | None = None) -> str:
    return reverse("advisor:report_status_parts", kwargs={"token": token or submission.token})


def status(client, submission: Submission) -> dict:
    response = client.get(status_url(submission))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def make_the_pdf(submission: Submission) -> None:
    assert report.store_report_of(submission_id=submission.pk) == report.STORED


def check_the_domain(submission: Submission) -> None:
    store_domain_check_of(submission_id=submission.pk)


# --- What status.json says -------------------------------------------------------------------


def test_a_fresh_advice_is_waiting_for_its_pdf_and_its_domain_check(client):
    lead = waiting_lead()
    assert status(client, lead) == {"pdf": "preparing", "domain_check": "pending",
                                    "waiting": ["pdf", "domain_check"]}


def test_each_part_stops_waiting_once_its_job_has_stored_it(client):
    lead = waiting_lead()
    check_the_domain(lead)
    assert status(client, lead) == {"pdf": "preparing", "domain_check": "done",
                                    "waiting": ["pdf"]}
    make_the_pdf(lead)
    assert status(client, lead) == {"pdf": "ready", "domain_check": "done", "waiting": []}


def test_a_pdf_that_could_not_be_made_is_no_longer_waited_for(client):
    lead = waiting_lead()
    report.mark_report_failed(submission_id=lead.pk)
    assert status(client, lead) == {"pdf": "failed", "domain_check": "pending",
                                    "waiting": ["domain_check"]}


def test_an_advice_without_a_domain_check_waits_for_the_pdf_only(client):
    lead = make_lead(email=EMAIL)
    assert status(client, lead) == {"pdf": "preparing", "domain_check": None,
                                    "waiting": ["pdf"]}


def test_the_status_holds_states_only_and_is_never_stored_by_a_cache(client):
    lead = waiting_lead(name="Eva Jansen", phone="06 12345678")
    response = client.get(status_url(lead))
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex"
    body = response.content.decode()
    assert set(json.loads(body)) == {"pdf", "domain_check", "waiting"}
    for personal in (EMAIL, COMPANY, "Eva Jansen", "06 12345678", lead.token):
        assert personal not in body


def test_asking_for_the_status_queues_nothing_and_counts_nothing(client, monkeypatch):
    deferred = []
    monkeypatch.setattr("advisor.queue.jobs.defer_now",
                        lambda task, **kwargs: deferred.append(task.name))
    lead = waiting_lead()
    session = client.session
    session[LAST_RESULT] = lead.token  # the visitor's own browser, whose page views count
    session.save()
    for _ in range(5):
        status(client, lead)
        assert client.get(parts_url(lead)).status_code == 200
    assert deferred == []
    assert not FunnelCount.objects.exists()


# --- Who may ask: exactly who may open the result page ---------------------------------------


def expired(submission: Submission) -> str:
    Submission.objects.filter(pk=submission.pk).update(
        link_expires_at=timezone.now() - timedelta(minutes=1))
    return submission.token


def revoked(submission: Submission) -> str:
    revoke_link(submission=submission)
    return submission.token


def mistyped(submission: Submission) -> str:
    last = "A" if submission.token[-1] != "A" else "B"
    return submission.token[:-1] + last


def malformed(submission: Submission) -> str:
    return submission.token[:20] + "%00"


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.parametrize("link", [expired, revoked, mistyped, malformed])
def test_a_link_that_does_not_open_the_result_page_gets_the_same_404_for_its_status(
        client, link):
    token = link(waiting_lead())
    result = client.get(f"/advies/{token}/")
    assert result.status_code == 404
    for url in (f"/advies/{token}/status.json", f"/advies/{token}/status.html"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Cache-Control"] == "no-store"
        # The site's own 404 page, as for the result page: nothing says the link once worked.
        assert title(response) == title(result)
        assert "preparing" not in response.content.decode()


def test_another_visitors_session_opens_nothing_without_the_right_link(client):
    """The link is the key, as for the result page: the session of someone who has advice
    of their own gets no other status, whatever it holds."""
    mine, theirs = waiting_lead(), waiting_lead(email="jan@bakkerij.example")
    session = client.session
    session[LAST_RESULT] = mine.token
    session.save()
    expired(theirs)
    assert client.get(status_url(theirs)).status_code == 404
    assert client.get(parts_url(theirs)).status_code == 404
    assert client.get(status_url(theirs, mistyped(mine))).status_code == 404
    # Their own link still answers, like their own result page.
    assert client.get(status_url(mine)).status_code == 200


def test_the_status_only_answers_a_get(client):
    lead = waiting_lead()
    assert client.post(status_url(lead)).status_code == 405
    assert client.post(parts_url(lead)).status_code == 405


# --- status.html: the parts as the result page shows them -----------------------------------


def test_the_parts_are_the_pdf_state_and_the_domain_check_as_the_page_renders_them(client):
    lead = waiting_lead()
    check_the_domain(lead)
    make_the_pdf(lead)
    response = client.get(parts_url(lead))
    assert response["Cache-Control"] == "no-store"
    parts = response.content.decode()
    page = client.get(lead.get_absolute_url()).content.decode()
    pdf_part = re.search(r'<div class="report-status".*?</div>', parts, re.S).group(0)
    domain_part = re.search(r'<section class="report-section domain-check.*?</section>',
                            parts, re.S).group(0)
    assert pdf_part in page and domain_part in page
    assert 'data-state="ready"' in pdf_part and "report-download" in pdf_part
    assert "domain-check-ready" in domain_part
    # Parts only: no page around them, and nothing to type in or post.
    assert "<html" not in parts and "<form" not in parts and "csrfmiddlewaretoken" not in parts


# --- The pages: no <meta> refresh, a link to check again, the script from our own site -------


def test_while_waiting_the_result_page_offers_to_check_again_and_never_reloads_itself(client):
    lead = waiting_lead()
    html = client.get(lead.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert f'<a class="check-again" href="{lead.get_absolute_url()}" data-reload>' in html
    assert f'data-status-url="{status_url(lead)}"' in html
    assert 'data-watch="pdf domain_check"' in html
    assert 'aria-live="polite"' in html


def test_once_everything_is_there_the_result_page_has_no_script_and_no_link_to_check_again(
        client):
    lead = waiting_lead()
    check_the_domain(lead)
    make_the_pdf(lead)
    html = client.get(lead.get_absolute_url()).content.decode()
    assert "data-status-poll" not in html and "<script" not in html
    assert "check-again" not in html and 'http-equiv="refresh"' not in html


def test_the_poll_watches_only_what_is_still_on_its_way(client):
    lead = waiting_lead()
    make_the_pdf(lead)
    html = client.get(lead.get_absolute_url()).content.decode()
    assert 'data-watch="domain_check"' in html
    assert gettext("We are still checking the domain of your e-mail address.") in html


def test_the_pdf_being_prepared_page_offers_to_check_again_on_the_download_itself(client):
    lead = make_lead(email=EMAIL)
    pdf_url = reverse("advisor:report_pdf", kwargs={"token": lead.token})
    response = client.get(pdf_url)
    assert response.status_code == 202
    assert response["Retry-After"] == "5"
    html = response.content.decode()
    assert 'http-equiv="refresh"' not in html
    assert f'<a class="check-again" href="{pdf_url}" data-reload>' in html
    assert 'data-watch="pdf"' in html


def test_the_script_comes_from_our_own_site_under_the_policy(client):
    lead = waiting_lead()
    response = client.get(lead.get_absolute_url())
    html = response.content.decode()
    nonce = nonce_of(response)
    assert f'<script src="/static/js/status-poll.js" defer nonce="{nonce}"></script>' in html
    assert inline_code_without_the_nonce(html, nonce) == []
    script = finders.find("js/status-poll.js")
    assert script is not None
    # Nothing fetched from elsewhere: the only addresses it uses are the page's own.
    assert re.search(r"https?:", Path(script).read_text(encoding="utf-8")) is None
