"""The yearly check-up in the back office: the opt-in on a lead, the link between a lead and
its check-up both ways, and what changed in the advice."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from advisor.advice import labels
from advisor.backoffice.admin import REDUCED_FOR_CHECKUP
from advisor.models import CheckupReminder, Submission
from advisor.privacy.services import months_before, purge_expired
from advisor.questionnaire.checkup import opt_in
from tests.factories import make_lead, make_staff, verified_client

pytestmark = pytest.mark.django_db

SOLO = {"team_size": "solo", "sector": "general", "email_intensity": "light",
        "calendar": "not_needed"}
GROWN = {**SOLO, "team_size": "6_15", "sector": "healthcare_patient", "sensitive_data": "lots",
         "calendar": "shared"}


@pytest.fixture
def consultant() -> Client:
    return verified_client(make_staff())


def change_url(lead: Submission) -> str:
    return reverse("admin:advisor_submission_change", args=[lead.pk])


def a_year_ago() -> timezone.datetime:
    return months_before(timezone.now(), 12) - timedelta(days=3)


@pytest.fixture
def old_and_new() -> tuple[Submission, Submission]:
    old = make_lead(answers=SOLO, created_at=a_year_ago())
    reminder = opt_in(submission=old)
    CheckupReminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    new = make_lead(answers=GROWN, previous=old)
    return old, new


def text(html: str, value) -> bool:
    return escape(str(value)) in html


def test_a_check_up_shows_what_changed_in_the_advice_and_the_answers(consultant, old_and_new):
    old, new = old_and_new
    assert (old.verdict, new.verdict) == ("imap", "m365")
    html = consultant.get(change_url(new)).content.decode()
    assert "Wat er veranderd is sinds de eerdere lead" in html
    assert text(html, labels.verdict_label("imap")) and text(html, labels.verdict_label("m365"))
    assert text(html, labels.plan_label(old.plan)) and text(html, labels.plan_label(new.plan))
    added = {m["key"] for m in new.advice["security_measures"]} - {
        m["key"] for m in old.advice["security_measures"]}
    assert added and all(text(html, labels.measure_label(key)) for key in added)
    for key in ("team_size", "sector", "calendar"):
        assert text(html, labels.question_label(key))
        assert text(html, labels.answer_label(key, old.answers[key]))
        assert text(html, labels.answer_label(key, new.answers[key]))
    # A question answered the same is not among the changed answers.
    changed = html.split("Antwoorden die veranderd zijn", 1)[1].split("</table>", 1)[0]
    assert not text(changed, labels.question_label("email_intensity"))


def test_the_lead_and_its_check_up_link_to_each_other(consultant, old_and_new):
    old, new = old_and_new
    new_page = consultant.get(change_url(new)).content.decode()
    old_page = consultant.get(change_url(old)).content.decode()
    assert f'href="{change_url(old)}"' in new_page
    assert "Dit is een check-up van een eerdere lead" in new_page
    assert f'href="{change_url(new)}"' in old_page and "Later opnieuw ingevuld" in old_page
    assert "Herinnering verstuurd op" in old_page


def test_a_lead_without_the_opt_in_says_so(consultant):
    lead = make_lead()
    html = consultant.get(change_url(lead)).content.decode()
    assert "De bezoeker heeft niet om een herinnering voor een check-up gevraagd." in html


def test_a_lead_kept_only_for_its_check_up_says_so_and_offers_no_documents():
    lead = make_lead(created_at=a_year_ago() + timedelta(days=1))
    opt_in(submission=lead)
    purge_expired(now=timezone.now() + timedelta(days=1))
    # Logged in after the purge: a day later it has removed today's sessions too.
    consultant = verified_client(make_staff())
    html = consultant.get(change_url(lead)).content.decode()
    assert text(html, REDUCED_FOR_CHECKUP)
    assert reverse("admin:advisor_submission_report", args=[lead.pk]) not in html
    response = consultant.get(reverse("admin:advisor_submission_brief", args=[lead.pk]))
    assert response.status_code == 302 and response["Location"] == change_url(lead)
    lead.refresh_from_db()
    assert lead.report_pdf.name == ""


def test_the_consultants_notification_of_a_check_up_says_what_it_continues(old_and_new):
    from advisor.outbox.mail import queue_consultant_notification

    old, new = old_and_new
    mail = queue_consultant_notification(submission=new)
    assert "Vervolg op de aanvraag van" in mail.body_text
    assert old.created_at.strftime("%Y") in mail.body_text


def test_the_lead_page_takes_few_queries_with_a_check_up(consultant, old_and_new,
                                                          django_assert_max_num_queries):
    _old, new = old_and_new
    with django_assert_max_num_queries(40):
        assert consultant.get(change_url(new)).status_code == 200

