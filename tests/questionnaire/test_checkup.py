"""The yearly check-up: the opt-in at the contact step, one reminder at the right time (with
time-machine), its links, stopping it, and what the retention purge, erasure and the export do
with it. Mail goes to a real SMTP server on loopback."""

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from advisor.advice import table as q
from advisor.models import (
    CheckupReminder,
    IndexedSession,
    MailKind,
    MailStatus,
    OutgoingMail,
    Submission,
)
from advisor.privacy.consent import (
    CHECKUP_AFTER_MONTHS,
    CHECKUP_CONSENT_VERSION,
    CHECKUP_KEEP_MONTHS,
)
from advisor.privacy.services import (
    erase_personal_data,
    export_personal_data,
    months_after,
    purge_expired,
)
from advisor.questionnaire.checkup import queue_due_reminders
from advisor.questionnaire.tasks import send_due_checkup_reminders
from tests.conftest import (
    ANSWERS,
    CONTACT,
    CONTACT_STEP,
    STEP_NAMES,
    complete_questionnaire,
    post_step,
    step_url,
)
from tests.jobs import run_due_jobs
from tests.privacy.test_privacy import log_output  # noqa: F401 (a fixture)
from tests.smtp_server import LoopbackSmtp, loopback_smtp

pytestmark = pytest.mark.django_db

EVA = CONTACT["email"]
OPTED_IN = {**CONTACT, "checkup": "on"}
CHECKED = re.compile(r'name="(\w+)" value="([^"]+)"[^>]*checked')


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def smtp(settings) -> Iterator[LoopbackSmtp]:
    for server in loopback_smtp(settings):  # stopped by loopback_smtp after the test
        server.start()
        yield server


def opted_in(client: Client, *, language: str = "nl", answers=None) -> Submission:
    complete_questionnaire(client, language, answers=answers, contact=OPTED_IN)
    return Submission.objects.latest("created_at")


def months_later(submission: Submission, months: int, **extra: float) -> datetime:
    return months_after(submission.created_at, months) + timedelta(**extra)


def reminders_to(smtp: LoopbackSmtp, address: str = EVA) -> list:
    return [m for m in smtp.to(address) if m["List-Unsubscribe"]]


def links_in(message) -> dict[str, str]:
    """The start and stop links of a reminder, from its plain-text part."""
    text = message.get_body(preferencelist=("plain",)).get_content()
    urls = re.findall(r"https?://\S+", text)
    return {"start": next(u for u in urls if not u.endswith("/stoppen/")),
            "stop": next(u for u in urls if u.endswith("/stoppen/"))}


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def remind(submission: Submission) -> int:
    """The periodic job, run twelve months and an hour after the submission."""
    with time_machine.travel(months_later(submission, CHECKUP_AFTER_MONTHS, hours=1), tick=False):
        return send_due_checkup_reminders(0)


# --- The opt-in -------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_opt_in_is_its_own_unticked_optional_checkbox_that_says_what_when_and_how_to_stop(
        client, questionnaire, language):
    for step in STEP_NAMES[:-1]:
        questionnaire.post(client, step, ANSWERS[step], language)
    html = client.get(questionnaire.url(CONTACT_STEP, language)).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="checkup"[^>]*>', html).group(0)
    assert "checked" not in checkbox and "required" not in checkbox
    with translation.override(language):
        words = {"nl": ["12 maanden", "één herinnering", "2 maanden", "één klik"],
                 "en": ["12 months", "one reminder", "2 months", "One click"]}[language]
    assert all(word in html for word in words)
    # The privacy statement's own checkbox is still there, and still required.
    assert re.search(r'<input type="checkbox" name="consent"[^>]*required', html)


def test_without_the_opt_in_no_reminder_is_stored(client, questionnaire):
    questionnaire.complete(client)
    assert Submission.objects.count() == 1
    assert not CheckupReminder.objects.exists()


def test_the_opt_in_is_stored_with_its_time_the_version_of_its_text_and_the_due_date(client):
    submission = opted_in(client)
    reminder = submission.checkup
    assert reminder.consent_at == submission.created_at
    assert reminder.consent_version == CHECKUP_CONSENT_VERSION
    assert reminder.due_at == months_after(submission.created_at, CHECKUP_AFTER_MONTHS)
    assert reminder.sent_at is None and reminder.opted_out_at is None


def test_the_opt_in_alone_does_not_replace_consent_to_the_privacy_statement(client):
    response = complete_questionnaire(client, contact={**OPTED_IN, "consent": ""})
    assert response.status_code == 200
    assert not Submission.objects.exists()


def test_the_advice_mail_says_when_the_reminder_comes_and_links_to_stopping_it(client):
    submission = opted_in(client)
    advice_mail = submission.mails.get(kind=MailKind.ADVICE)
    stop = reverse("advisor:checkup_stop", args=[submission.checkup.token])
    assert stop in advice_mail.body_text and stop in advice_mail.body_html
    assert "Bedacht? Zet de herinnering stop." in advice_mail.body_text


# --- Sending: once, at the right time -----------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_the_reminder_is_not_sent_at_eleven_months_but_once_at_twelve(client, smtp):
    submission = opted_in(client)
    with time_machine.travel(months_later(submission, 11), tick=False):
        assert send_due_checkup_reminders(0) == 0
    with time_machine.travel(months_later(submission, CHECKUP_AFTER_MONTHS, minutes=-1),
                             tick=False):
        assert send_due_checkup_reminders(0) == 0
    assert reminders_to(smtp) == []

    assert remind(submission) == 1
    run_due_jobs()
    assert len(reminders_to(smtp)) == 1
    submission.checkup.refresh_from_db()
    assert submission.checkup.sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_reminder_is_never_sent_twice_however_often_the_job_runs(client, smtp):
    submission = opted_in(client)
    assert remind(submission) == 1
    for days in (0, 1, 30):
        with time_machine.travel(months_later(submission, CHECKUP_AFTER_MONTHS, days=days),
                                 tick=False):
            assert send_due_checkup_reminders(0) == 0
            call_command("send_checkup_reminders")
    run_due_jobs()
    assert len(reminders_to(smtp)) == 1
    assert submission.mails.filter(kind=MailKind.CHECKUP).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_reminder_reaches_a_real_smtp_server_branded_with_one_click_unsubscribe(
        client, smtp, settings):
    settings.SITE_URL = "https://advies.devries-it.example"
    submission = opted_in(client)
    remind(submission)
    run_due_jobs()
    [message] = reminders_to(smtp)
    stop_url = f"{settings.SITE_URL}/controle/{submission.checkup.token}/stoppen/"
    assert message["List-Unsubscribe"] == f"<{stop_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Reply-To"] == settings.BRANDING["email"]
    assert message["Subject"] == (
        f"Je jaarlijkse e-mailcheck-up van {settings.BRANDING['company_name']}")
    html = message.get_body(preferencelist=("html",)).get_content()
    assert settings.BRANDING["company_name"] in html and "Start de check-up" in html
    assert links_in(message) == {
        "start": f"{settings.SITE_URL}/controle/{submission.checkup.token}/",
        "stop": stop_url}
    # Nothing the visitor typed: not their name, company, phone number or question.
    whole = message.as_string()
    for typed in ("Eva Jansen", "Huisartsenpraktijk", "06 12345678", "voor de zomer"):
        assert typed not in whole


@pytest.mark.django_db(transaction=True)
def test_the_reminder_is_in_the_visitors_language(client, smtp):
    submission = opted_in(client, language="en")
    remind(submission)
    run_due_jobs()
    [message] = reminders_to(smtp)
    assert message["Subject"].startswith("Your yearly e-mail check-up from ")
    assert links_in(message)["start"].endswith(f"/en/controle/{submission.checkup.token}/")
    assert "Start the check-up" in message.get_body(preferencelist=("html",)).get_content()


@pytest.mark.django_db(transaction=True)
def test_no_reminder_is_sent_after_the_visitor_stopped_it(client, smtp):
    submission = opted_in(client)
    Client(enforce_csrf_checks=True).post(
        reverse("advisor:checkup_stop", args=[submission.checkup.token]))
    assert remind(submission) == 0
    run_due_jobs()
    assert reminders_to(smtp) == []


@pytest.mark.django_db(transaction=True)
def test_no_reminder_is_sent_after_erasure(client, smtp):
    submission = opted_in(client)
    erase_personal_data(email=EVA)
    assert remind(submission) == 0
    run_due_jobs()
    assert reminders_to(smtp) == []


def test_a_reminder_stopped_after_it_was_queued_never_leaves(
        client, django_capture_on_commit_callbacks):
    submission = opted_in(client)
    # Queued, but its delivery job has not run yet (the callbacks are held back).
    with django_capture_on_commit_callbacks(execute=False):
        assert remind(submission) == 1
    assert submission.mails.filter(kind=MailKind.CHECKUP, status=MailStatus.QUEUED).exists()
    Client().post(reverse("advisor:checkup_stop", args=[submission.checkup.token]))
    assert not OutgoingMail.objects.filter(kind=MailKind.CHECKUP).exists()


def test_a_reminder_found_too_late_to_be_of_use_is_not_sent(client):
    """After a long outage of the workers: the link would die within days."""
    submission = opted_in(client)
    late = months_after(submission.checkup.due_at, CHECKUP_KEEP_MONTHS) - timedelta(days=3)
    with time_machine.travel(late, tick=False):
        assert queue_due_reminders() == 0


# --- The link: the questionnaire pre-filled, the new submission linked ----------------------------

def checked_answers(html: str) -> dict[str, str]:
    return dict(CHECKED.findall(html))


def walk_prefilled(client: Client, *, language: str = "nl", change: dict[str, str] | None = None,
                   contact: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
    """Click Next through the pre-filled steps as a browser would (sending what is checked,
    with `change` applied), then send the contact step with what it shows plus `contact`;
    returns what the steps showed checked and the address the contact step showed."""
    shown: dict[str, str] = {}
    step = STEP_NAMES[0]
    for _ in STEP_NAMES:
        html = client.get(step_url(step, language)).content.decode()
        if step == CONTACT_STEP:
            address = re.search(r'name="email" value="([^"]*)"', html).group(1)
            post_step(client, step, {"email": address, **(contact or {}), "consent": "on"},
                      language)
            return shown, address
        answers = checked_answers(html)
        shown.update(answers)
        response = post_step(client, step, {**answers, **(change or {})}, language)
        assert response.status_code == 302, f"step {step} refused what it showed"
        step = next(name for name in STEP_NAMES if response["Location"] == step_url(name, language))
    raise AssertionError("never reached the contact step")


def reminder_link(submission: Submission, language: str = "nl") -> str:
    with translation.override(language):
        return reverse("advisor:checkup", args=[submission.checkup.token])


def test_the_link_opens_the_first_step_with_the_earlier_answers_and_links_the_new_advice():
    old = opted_in(Client())
    remind(old)
    returning = Client()  # another browser, a year later: nothing in its session
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=2), tick=False):
        response = returning.get(reminder_link(old))
        assert response.status_code == 302
        assert response["Location"] == step_url(STEP_NAMES[0])
        shown, address = walk_prefilled(
            returning, change={"team_size": "16_50"},
            contact={"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen"})
    asked = {key: value for key, value in old.answers.items() if key in shown}
    assert shown == asked and len(shown) >= len(q.question_steps())
    assert address == EVA
    new = Submission.objects.latest("created_at")
    assert new.pk != old.pk and new.previous == old
    assert new.answers["team_size"] == "16_50"
    assert list(old.continued_by.all()) == [new]


def test_the_contact_step_prefills_only_the_address_the_reminder_went_to():
    old = opted_in(Client())
    remind(old)
    returning = Client()
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=1), tick=False):
        returning.get(reminder_link(old))
        for step in STEP_NAMES[:-1]:
            html = returning.get(step_url(step)).content.decode()
            post_step(returning, step, checked_answers(html))
        html = returning.get(step_url(CONTACT_STEP)).content.decode()
    assert f'value="{EVA}"' in html
    for typed in ("Eva Jansen", "Huisartsenpraktijk Jansen", "06 12345678", "voor de zomer"):
        assert typed not in html
    assert not re.search(r'name="checkup"[^>]*checked', html)


def test_answers_the_table_no_longer_asks_or_offers_are_dropped(edit_table):
    old = opted_in(Client())
    remind(old)
    # A year later the table changed: "heavy" e-mail use is no longer offered, a question
    # was removed and a new one added to the first step.
    removed = q.STEPS[1].questions[-1].key
    new_question = replace(q.QUESTIONS["growth"], key="new_question")
    steps = []
    for step in q.STEPS:
        questions = []
        for question in step.questions:
            if question.key == removed:
                continue
            if question.key == "email_intensity":
                question = replace(question, choices=tuple(
                    replace(choice, offered=choice.value != "heavy")
                    for choice in question.choices))
            questions.append(question)
        if step.name == STEP_NAMES[0]:
            questions.append(new_question)
        steps.append(replace(step, questions=tuple(questions)))
    edit_table(steps)
    returning = Client()
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=1), tick=False):
        returning.get(reminder_link(old))
        first = returning.get(step_url(STEP_NAMES[0])).content.decode()
        email_step = next(step.name for step in q.STEPS
                          if any(x.key == "email_intensity" for x in step.questions))
        html = returning.get(step_url(email_step)).content.decode()
    shown_first = checked_answers(first)
    assert "new_question" not in shown_first and shown_first["team_size"] == "6_15"
    assert "email_intensity" not in checked_answers(html)
    assert removed not in checked_answers(html)


def test_a_link_that_is_stopped_expired_or_never_sent_opens_nothing(client):
    old = opted_in(client)
    link = reminder_link(old)
    assert Client().get(link).status_code == 404  # not sent yet
    remind(old)
    after_window = months_after(old.checkup.due_at, CHECKUP_KEEP_MONTHS) + timedelta(hours=1)
    with time_machine.travel(after_window, tick=False):
        assert Client().get(link).status_code == 404
    Client().post(reverse("advisor:checkup_stop", args=[old.checkup.token]))
    assert Client().get(link).status_code == 404
    assert Client().get("/controle/not-a-token%00/").status_code == 404


def test_the_links_tokens_never_reach_the_log(client, log_output):  # noqa: F811
    old = opted_in(client)
    remind(old)
    token = old.checkup.token
    Client().post(reverse("advisor:checkup_stop", args=[token]))
    assert Client().get(reverse("advisor:checkup", args=[token])).status_code == 404
    assert Client().get(f"/en/controle/{token}/stoppen/").status_code == 200
    logged = log_output.getvalue()
    assert "Not Found" in logged and token not in logged


# --- Stopping: one click, never by a GET ------------------------------------------------------

def test_the_one_click_post_stops_the_reminder_without_a_session_or_csrf_token(client):
    submission = opted_in(client)
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(reverse("advisor:checkup_stop", args=[submission.checkup.token]),
                                 "List-Unsubscribe=One-Click",
                                 content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "Je check-up is stopgezet" in response.content.decode()
    submission.checkup.refresh_from_db()
    assert submission.checkup.opted_out_at is not None


def test_opening_the_stop_link_stops_nothing_and_shows_one_button(client):
    submission = opted_in(client)
    for _scanner in range(3):  # a mail scanner may open every link, more than once
        response = Client().get(reverse("advisor:checkup_stop", args=[submission.checkup.token]))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    stop = reverse("advisor:checkup_stop", args=[submission.checkup.token])
    assert html.count(f'<form method="post" action="{stop}">') == 1
    assert "Zet de check-up stop" in html
    submission.checkup.refresh_from_db()
    assert submission.checkup.opted_out_at is None


def test_an_unknown_stop_link_says_nothing_will_be_sent(client):
    response = client.post(reverse("advisor:checkup_stop", args=["x" * 43]))
    assert response.status_code == 404
    assert "We sturen je er niets over." in response.content.decode()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_result_page_shows_the_reminder_and_stops_it_with_one_button(client, language):
    submission = opted_in(client, language=language)
    with translation.override(language):
        result_url = submission.get_absolute_url()
        stop_url = reverse("advisor:result_checkup_stop", args=[submission.token])
    html = client.get(result_url).content.decode()
    assert stop_url in html and EVA in html
    response = client.post(stop_url)
    assert response.status_code == 302 and response["Location"].endswith("#checkup")
    html = client.get(result_url).content.decode()
    assert stop_url not in html
    assert {"nl": "Je hebt de herinnering stopgezet.",
            "en": "You stopped the reminder."}[language] in html


# --- Retention, erasure and export ----------------------------------------------------------

def with_report(submission: Submission) -> Submission:
    submission.report_pdf.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return submission


def test_purge_keeps_only_what_the_check_up_needs_until_its_period_is_over(client, media):
    old = with_report(opted_in(client))
    Submission.objects.filter(pk=old.pk).update(notes="Belt na de zomer terug")
    report = media / old.report_pdf.name

    with time_machine.travel(months_later(old, 11), tick=False):
        assert purge_expired().submissions == 0
    old.refresh_from_db()
    assert old.name == "Eva Jansen" and report.exists()

    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=1), tick=False):
        removed = purge_expired()
    old.refresh_from_db()
    assert removed.reduced == 1 and removed.submissions == 0
    assert (old.email, old.company, old.language) == (EVA, "Huisartsenpraktijk Jansen", "nl")
    assert old.answers and old.advice
    assert (old.name, old.phone, old.question, old.notes, old.report_pdf.name) == ("",) * 5
    assert old.domain_check is None and old.link_revoked_at is not None
    assert not report.exists()
    assert not old.mails.exclude(kind=MailKind.CHECKUP).exists()
    assert old.checkup.reduced_at is not None

    keep_until = months_after(old.checkup.due_at, CHECKUP_KEEP_MONTHS)
    with time_machine.travel(keep_until - timedelta(hours=1), tick=False):
        assert purge_expired().submissions == 0
    with time_machine.travel(keep_until + timedelta(hours=1), tick=False):
        assert purge_expired().submissions == 1
    assert not Submission.objects.exists() and not CheckupReminder.objects.exists()


def test_purge_deletes_a_submission_whose_check_up_was_stopped_at_the_normal_time(client):
    old = opted_in(client)
    client.post(reverse("advisor:result_checkup_stop", args=[old.token]))
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=1), tick=False):
        assert purge_expired().submissions == 1
    assert not CheckupReminder.objects.exists()


def test_a_longer_retention_period_is_not_shortened_by_the_check_up(client, settings):
    settings.RETENTION_MONTHS = 24
    old = opted_in(client)
    with time_machine.travel(months_later(old, 20), tick=False):
        removed = purge_expired()
    assert (removed.submissions, removed.reduced) == (0, 0)
    old.refresh_from_db()
    assert old.name == "Eva Jansen"


def test_stopping_the_check_up_after_the_normal_retention_deletes_what_was_kept_for_it(client):
    old = opted_in(client)
    remind(old)
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=1), tick=False):
        purge_expired()
        response = Client(enforce_csrf_checks=True).post(
            reverse("advisor:checkup_stop", args=[old.checkup.token]))
    assert response.status_code == 200
    assert "Daarom hebben we ze nu verwijderd." in response.content.decode()
    assert not Submission.objects.exists() and not OutgoingMail.objects.exists()


def test_erasure_removes_the_reminder_and_its_queued_mail_and_leaves_the_later_lead(
        client, django_capture_on_commit_callbacks):
    old = opted_in(client)
    with django_capture_on_commit_callbacks(execute=False):
        remind(old)
    new = opted_in(Client())
    Submission.objects.filter(pk=new.pk).update(previous=old, email="eva@nieuw.example")

    removed = erase_personal_data(email=EVA)

    assert removed.submissions == 1
    assert not CheckupReminder.objects.filter(submission=old.pk).exists()
    assert not OutgoingMail.objects.filter(submission=old.pk).exists()
    new.refresh_from_db()
    assert new.previous is None


def test_a_questionnaire_the_link_filled_in_is_found_and_erased_with_the_address():
    old = opted_in(Client())
    remind(old)
    returning = Client()
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=1), tick=False):
        returning.get(reminder_link(old))
        key = returning.session.session_key
        assert export_personal_data(email=EVA)["unfinished_questionnaires"]
        assert erase_personal_data(email=EVA).sessions == 1
    assert not IndexedSession.objects.filter(session_key=key).exists()


def test_the_export_holds_the_opt_in_and_where_it_stands(client):
    old = opted_in(client)
    client.post(reverse("advisor:result_checkup_stop", args=[old.token]))
    exported = json.loads(json.dumps(export_personal_data(email=EVA)))
    [submission] = exported["submissions"]
    reminder = submission["checkup_reminder"]
    assert reminder["consent_version"] == CHECKUP_CONSENT_VERSION
    assert reminder["due_at"] and reminder["opted_out_at"] and reminder["sent_at"] is None
    assert "token" not in reminder


def test_a_submission_without_the_opt_in_exports_no_reminder(client, questionnaire):
    questionnaire.complete(client)
    assert export_personal_data(email=EVA)["submissions"][0]["checkup_reminder"] is None


# --- The privacy statement ----------------------------------------------------------------------

@pytest.mark.parametrize("language, words", [
    ("nl", ["De jaarlijkse check-up", "hooguit 14 maanden", "met één klik stop"]),
    ("en", ["The yearly check-up", "at most 14 months", "with one click"]),
])
def test_the_privacy_statement_describes_the_check_up_what_is_kept_how_long_and_how_to_stop(
        client, language, words):
    with translation.override(language):
        html = client.get(reverse("advisor:privacy")).content.decode()
    assert all(word in html for word in words)



# --- With the mail policy: the address limit, and the confirmation a reminder carries ---------

@pytest.mark.django_db(transaction=True)
def test_a_reminder_to_an_address_that_had_its_mails_today_waits_for_a_later_run(
        client, smtp, settings):
    submission = opted_in(client)
    due = months_later(submission, CHECKUP_AFTER_MONTHS, hours=1)
    with time_machine.travel(due, tick=False):
        # Other mails reached Eva's mailbox today, up to the daily limit.
        for _ in range(settings.MAILS_PER_ADDRESS_PER_DAY):
            OutgoingMail.objects.create(
                kind=MailKind.SHARE_SELF, sender="x@example.nl", recipient=EVA.upper(),
                recipient_key=OutgoingMail.objects.filter(recipient=EVA).first().recipient_key,
                subject="s", body_text="b", message_id=f"<{_}@test>", status=MailStatus.SENT)
        assert send_due_checkup_reminders(0) == 0
    submission.checkup.refresh_from_db()
    assert submission.checkup.sent_at is None
    assert not submission.mails.filter(kind=MailKind.CHECKUP).exists()

    with time_machine.travel(due + timedelta(days=1, hours=1), tick=False):
        assert send_due_checkup_reminders(0) == 1
    run_due_jobs()
    assert len(reminders_to(smtp)) == 1


def test_a_check_up_from_the_reminder_to_the_same_address_needs_no_new_confirmation():
    old = opted_in(Client())
    remind(old)
    returning = Client()
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=2), tick=False):
        returning.get(reminder_link(old))
        walk_prefilled(returning, change={},
                       contact={"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen"})
    new = Submission.objects.latest("created_at")
    assert new.previous == old and new.email_confirmed_at is not None
    advice_mail = new.mails.get(kind=MailKind.ADVICE)
    assert "/bevestigen/" not in advice_mail.body_text


def test_a_check_up_sent_on_to_another_address_still_asks_that_address_to_confirm():
    old = opted_in(Client())
    remind(old)
    returning = Client()
    with time_machine.travel(months_later(old, CHECKUP_AFTER_MONTHS, days=2), tick=False):
        returning.get(reminder_link(old))
        walk_prefilled(returning, change={},
                       contact={"name": "Piet", "company": "Huisartsenpraktijk Jansen",
                                "email": "piet@praktijkjansen.nl"})
    new = Submission.objects.latest("created_at")
    assert new.previous == old and new.email_confirmed_at is None
