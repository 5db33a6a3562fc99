"""The domain check of a submission: run by a job after it is stored, against the real
loopback DNS server of tests/dns_server.py (zones in tests/domaincheck/zones.py)."""

import pytest
from django.utils import translation
from django.utils.html import escape

from advisor.models import ConsultantProfile, DomainCheckState, Submission
from advisor.questionnaire.domain_check import (
    GONE,
    STORED,
    SWITCHED_OFF,
    store_domain_check_of,
)
from advisor.questionnaire.forms import DOMAIN_CHECK_NOTICE
from advisor.reports import domain as presented
from tests.factories import make_lead
from tests.jobs import run_due_jobs

pytestmark = pytest.mark.django_db

# Answers that differ from the defaults; the practice says it uses IMAP today.
ON_IMAP = {"team_size": "6_15", "sector": "healthcare_patient", "sensitive_data": "lots",
           "current_setup": "imap"}


def switch_domain_check(*, on: bool) -> None:
    profile = ConsultantProfile.load()
    profile.pk = ConsultantProfile.SINGLETON_ID
    profile.domain_check_enabled = on
    profile.save()


def submit(client, questionnaire, *, email: str, answers=None,
           language: str = "en") -> Submission:
    """Complete the questionnaire and run its jobs as a worker would (on SQLite they already
    ran in-process once the submission committed; tests that use this commit:
    django_db(transaction=True))."""
    response = questionnaire.complete(client, language, answers=answers or ON_IMAP,
                                      contact={**questionnaire.contact, "email": email})
    assert response.status_code == 302
    run_due_jobs()
    return Submission.objects.get()


def page(client, submission: Submission, language: str = "en") -> str:
    with translation.override(language):
        return client.get(submission.get_absolute_url()).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_microsoft_365_domain_gets_its_findings_stored_by_the_job(
    client, questionnaire, dns_server
):
    dns_server.questions.clear()
    submission = submit(client, questionnaire, email="eva@praktijkjansen.nl")
    assert ("praktijkjansen.nl.", "MX", "udp") in dns_server.questions
    assert submission.domain_check["provider"]["key"] == "microsoft_365"
    assert submission.domain_check["spf"]["code"] == "spf.good"
    assert submission.domain_check_level == submission.domain_check["level"]
    assert submission.domain_checked_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_result_page_shows_the_findings_and_the_friendly_contradiction(
    client, questionnaire
):
    submission = submit(client, questionnaire, email="eva@praktijkjansen.nl")
    html = page(client, submission)
    assert "Your e-mail domain" in html
    assert "praktijkjansen.nl" in html
    assert escape("already arrives at Microsoft 365, while you told us you use "
                  '"IMAP at a hosting provider"') in html
    dutch = page(client, submission, "nl")
    assert "Je e-maildomein" in dutch
    assert "komt al binnen bij Microsoft 365" in dutch


@pytest.mark.django_db(transaction=True)
def test_switched_off_in_the_profile_nothing_is_looked_up(
    client, questionnaire, dns_server
):
    switch_domain_check(on=False)
    dns_server.questions.clear()
    submission = submit(client, questionnaire, email="eva@praktijkjansen.nl")
    assert dns_server.questions == []
    assert submission.domain_check is None
    assert submission.domain_check_level == ""
    assert "Your e-mail domain" not in page(client, submission)


def test_a_check_switched_off_while_it_waited_looks_nothing_up(dns_server):
    lead = make_lead(email="eva@praktijkjansen.nl",
                     domain_check_level=DomainCheckState.PENDING)
    switch_domain_check(on=False)
    dns_server.questions.clear()
    assert store_domain_check_of(submission_id=lead.pk) == SWITCHED_OFF
    assert dns_server.questions == []
    lead.refresh_from_db()
    assert lead.domain_check_level == ""


def test_the_page_says_the_domain_is_being_checked_until_it_is(client):
    lead = make_lead(email="eva@praktijkjansen.nl",
                     domain_check_level=DomainCheckState.PENDING)
    waiting = page(client, lead)
    assert "We are looking up the domain of your e-mail address." in waiting
    assert 'data-watch="pdf domain_check"' in waiting and 'http-equiv="refresh"' not in waiting
    assert store_domain_check_of(submission_id=lead.pk) == STORED
    lead.refresh_from_db()
    assert "We are looking up" not in page(client, lead)


def test_a_dns_server_that_does_not_answer_stores_unknown_findings(client, settings):
    settings.DOMAIN_CHECK_TIMEOUT = 0.3
    settings.DOMAIN_CHECK_BUDGET = 1.0
    lead = make_lead(email="eva@traag.nl", domain_check_level=DomainCheckState.PENDING)
    assert store_domain_check_of(submission_id=lead.pk) == STORED
    lead.refresh_from_db()
    assert lead.domain_check["complete"] is False
    assert lead.domain_check_level != DomainCheckState.PENDING
    html = page(client, lead)
    assert "did not answer in time" in html
    assert "what is marked &quot;Unknown&quot; could not be checked" in html


def test_a_public_mail_address_is_skipped_without_asking_the_dns(client, dns_server):
    lead = make_lead(email="eva@gmail.com", domain_check_level=DomainCheckState.PENDING)
    dns_server.questions.clear()
    store_domain_check_of(submission_id=lead.pk)
    assert dns_server.questions == []
    lead.refresh_from_db()
    assert lead.domain_check_level == DomainCheckState.SKIPPED
    assert "gmail.com is a public mail service" in page(client, lead)


def test_an_address_without_a_public_domain_is_skipped_and_says_so(client, dns_server):
    lead = make_lead(email="eva@praktijk.test", domain_check_level=DomainCheckState.PENDING)
    dns_server.questions.clear()
    store_domain_check_of(submission_id=lead.pk)
    lead.refresh_from_db()
    assert dns_server.questions == []
    assert lead.domain_check_level == DomainCheckState.SKIPPED
    with translation.override("en"):
        expected = escape(str(presented.NO_DOMAIN_TEXT))
    assert expected in page(client, lead)


def test_a_lead_erased_before_its_check_ran_is_left_alone(dns_server):
    lead = make_lead(email="eva@praktijkjansen.nl")
    pk = lead.pk
    lead.delete()
    assert store_domain_check_of(submission_id=pk) == GONE


def test_the_contact_step_tells_the_visitor_about_the_look_up_only_while_it_is_on(
    client, questionnaire
):
    questionnaire.complete(client, "en", answers=ON_IMAP,
                           contact={"name": ""})  # stops at the contact step
    notice = escape(str(DOMAIN_CHECK_NOTICE))
    with translation.override("en"):
        assert notice in client.get(questionnaire.url(questionnaire.contact_step, "en")
                                    ).content.decode()
        switch_domain_check(on=False)
        assert notice not in client.get(questionnaire.url(questionnaire.contact_step, "en")
                                        ).content.decode()


def test_the_brief_lists_the_findings_as_talking_points(dns_server):
    # A Dutch hosting provider without DMARC, for a practice with sensitive data.
    lead = make_lead(email="info@kapsalon-knip.nl", answers=ON_IMAP)
    store_domain_check_of(submission_id=lead.pk)
    lead.refresh_from_db()
    assert lead.domain_check["dmarc"]["code"] == "dmarc.missing"
    points = presented.domain_talking_points(lead)
    assert str(presented.POINT_DMARC_SENSITIVE) in points
    assert lead.domain_check_level == DomainCheckState.AT_RISK  # a missing DMARC is high
    assert points[0] == str(presented.POINT_AT_RISK)


def test_the_brief_asks_about_the_tenant_of_a_microsoft_365_domain_answered_as_imap():
    lead = make_lead(email="eva@praktijkjansen.nl", answers=ON_IMAP)
    store_domain_check_of(submission_id=lead.pk)
    lead.refresh_from_db()
    with translation.override("en"):
        points = presented.domain_talking_points(lead)
    assert any("ask who manages that tenant" in point for point in points)
    assert any('"IMAP at a hosting provider"' in point for point in points)


def test_an_at_risk_domain_opens_the_talking_points():
    # "+all" SPF: anyone may send, a high-severity finding.
    lead = make_lead(email="info@bouwbedrijf-open.nl", answers=ON_IMAP)
    store_domain_check_of(submission_id=lead.pk)
    lead.refresh_from_db()
    assert lead.domain_check_level == DomainCheckState.AT_RISK
    assert presented.domain_talking_points(lead)[0] == str(presented.POINT_AT_RISK)
