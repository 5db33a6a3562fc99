"""The yearly check-up in Chromium: a visitor who asked for it a year ago opens the reminder
(from a real SMTP server), finds the questionnaire filled in with their earlier answers, changes
one, gets the new advice; the consultant sees what changed; the visitor stops the check-up from
the mail. On a phone in Dutch and on a laptop in English."""

import re
from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from advisor.advice import labels
from advisor.models import CheckupReminder, Submission
from advisor.privacy.services import months_before
from advisor.questionnaire.checkup import queue_due_reminders
from advisor.questionnaire.services import create_submission
from tests.conftest import ANSWERS
from tests.e2e.conftest import (
    LAPTOP,
    PHONE,
    SHOTS,
    Visit,
    the_page_updates_itself_until_the_pdf_is_ready,
)
from tests.e2e.test_consultant import WORDS as BACK_OFFICE
from tests.factories import PASSWORD, make_staff
from tests.jobs import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVA = "eva@praktijkjansen.example"
WORDS = {
    "nl": {"start": "Start de check-up", "next": "Volgende", "show": "Bekijk mijn advies",
           "changed": "Wat er veranderd is sinds de eerdere lead", "stop": "Zet de check-up stop",
           "stopped": "Je check-up is stopgezet", "later": "Later opnieuw ingevuld",
           "stop_reminder": "Zet de herinnering stop",
           "stopped_reminder": "Je hebt de herinnering stopgezet."},
    "en": {"start": "Start the check-up", "next": "Next", "show": "Show my advice",
           "changed": "What changed since the earlier lead", "stop": "Stop the check-up",
           "stopped": "Your check-up is stopped", "later": "Checked again later",
           "stop_reminder": "Stop the reminder",
           "stopped_reminder": "You stopped the reminder."},
}


@pytest.fixture(autouse=True)
def _links_to_the_live_server(settings, live_server):
    settings.SITE_URL = live_server.url


def a_year_ago_with_a_reminder(language: str) -> Submission:
    """Eva's questionnaire of a year ago, with the opt-in ticked; its reminder is due now."""
    flat = {key: value for step in ANSWERS.values() for key, value in step.items()}
    old = create_submission(answers=flat, language=language, contact={
        "name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen", "email": EVA,
        "phone": "06 12345678", "question": "", "checkup": True})
    a_year_ago = months_before(timezone.now(), 12) - timedelta(hours=2)
    Submission.objects.filter(pk=old.pk).update(created_at=a_year_ago)
    CheckupReminder.objects.filter(submission=old).update(
        due_at=timezone.now() - timedelta(hours=1))
    old.refresh_from_db()
    return old


def links(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    urls = re.findall(r"https?://\S+", text)
    stop = next(url for url in urls if url.endswith("/stoppen/"))
    return next(url for url in urls if "/controle/" in url and url != stop), stop


@pytest.mark.parametrize("device, language", [
    pytest.param("phone", "nl", id="phone-nl"),
    pytest.param("laptop", "en", id="laptop-en"),
])
def test_a_returning_visitor_checks_the_advice_again_and_the_consultant_sees_what_changed(
        visit, smtp, device, language):
    words, office = WORDS[language], BACK_OFFICE[language]
    old = a_year_ago_with_a_reminder(language)
    assert queue_due_reminders() == 1
    wait_until(lambda: [m for m in smtp.to(EVA) if m["List-Unsubscribe"]], what="the reminder")
    [reminder] = [m for m in smtp.to(EVA) if m["List-Unsubscribe"]]
    start, stop = links(reminder)

    v: Visit = visit(f"checkup-{device}-{language}",
                     viewport=PHONE if device == "phone" else LAPTOP, locale=office["locale"])
    page = v.page
    # The mail as it arrives (a person looks at this screenshot).
    page.set_content(reminder.get_body(preferencelist=("html",)).get_content())
    expect(page.get_by_role("link", name=words["start"])).to_be_visible()
    v.shot("reminder-mail")

    # The link opens the first step with last year's answers checked; one is changed.
    page.goto(start)
    page.wait_for_url(re.compile(r".*/vragen/[\w-]+/$"))
    questions = page.locator("form.questionnaire fieldset")
    expect(page.locator("input[type=radio]:checked")).to_have_count(questions.count())
    expect(page.locator("input[name=team_size][value='6_15']")).to_be_checked()
    v.check("prefilled-step-1")
    page.locator("label[for=" + page.locator("input[name=team_size][value='16_50']")
                 .get_attribute("id") + "]").click()
    page.get_by_role("button", name=words["next"]).click()
    for index in range(2, 9):
        if page.locator("input[name=name]").count():
            break
        questions = page.locator("form.questionnaire fieldset")
        expect(page.locator("input[type=radio]:checked")).to_have_count(questions.count())
        if index == 2:
            v.check("prefilled-step-2")
        page.get_by_role("button", name=words["next"]).click()

    # The contact step knows only the address the reminder went to.
    expect(page.locator("input[name=email]")).to_have_value(EVA)
    expect(page.locator("input[name=name]")).to_have_value("")
    expect(page.locator("input[name=checkup]")).not_to_be_checked()
    page.fill("input[name=name]", "Eva Jansen")
    page.fill("input[name=company]", "Huisartsenpraktijk Jansen")
    page.check("input[name=consent]")
    again = language == "en"  # one visitor asks for next year's check-up too
    if again:
        page.check("input[name=checkup]")
    v.check("prefilled-contact")
    page.get_by_role("button", name=words["show"]).click()
    page.wait_for_url(re.compile(r".*/advies/[\w-]+/$"))
    new = Submission.objects.exclude(pk=old.pk).get()
    assert new.previous_id == old.pk and new.answers["team_size"] == "16_50"
    expect(page.locator("h1")).to_contain_text("Eva Jansen")
    the_page_updates_itself_until_the_pdf_is_ready(page)
    v.check("new-advice")
    section = page.locator("#checkup")
    if again:
        # The result page says when the next reminder comes, with one button to stop it.
        expect(section).to_contain_text(EVA)
        section.scroll_into_view_if_needed()
        v.check("new-advice-checkup")
        section.get_by_role("button", name=words["stop_reminder"]).click()
        expect(page.locator("#checkup")).to_contain_text(words["stopped_reminder"])
        v.check("new-advice-checkup-stopped")
        assert CheckupReminder.objects.get(submission=new).opted_out_at is not None
    else:
        expect(section).to_have_count(0)

    # The consultant opens the new lead: what changed, and the way to the earlier one.
    device_key = TOTPDevice.objects.create(user=make_staff("sanne"), name="telefoon",
                                           confirmed=True)
    admin = f"{office['prefix']}/{settings.ADMIN_URL}"
    v.goto(admin)
    page.fill("input[name=username]", "sanne")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", f"{totp(device_key.bin_key):06d}")
    page.get_by_role("button", name=office["login"]).click()
    v.goto(f"{admin}advisor/submission/{new.pk}/change/")
    changes = page.locator(".checkup-panel")
    expect(changes).to_contain_text(words["changed"])
    with translation.override(language):
        question, before, after = (str(label) for label in (
            labels.question_label("team_size"), labels.answer_label("team_size", "6_15"),
            labels.answer_label("team_size", "16_50")))
    row = changes.locator("table.checkup-changes tr", has_text=question)
    expect(row).to_contain_text(before)
    expect(row).to_contain_text(after)
    changes.scroll_into_view_if_needed()
    v.check("consultant-what-changed")
    changes.screenshot(path=SHOTS / f"{v.name}-what-changed-panel.png")  # the part that matters
    changes.get_by_role("link", name=str(old)).click()
    expect(page.locator(".checkup-panel")).to_contain_text(words["later"])
    v.check("consultant-earlier-lead")

    # Eva stops the check-up from the mail: a page with one button, then it is stopped.
    page.goto(stop)
    v.check("stop-page")
    page.get_by_role("button", name=words["stop"]).click()
    expect(page.locator("h1")).to_have_text(words["stopped"])
    v.check("stopped")
    old_reminder = CheckupReminder.objects.filter(submission=old.pk).first()
    # A year old: past the normal retention, so what was kept for the check-up is gone now.
    assert old_reminder is None and not Submission.objects.filter(pk=old.pk).exists()
    new.refresh_from_db()
    assert new.previous is None
