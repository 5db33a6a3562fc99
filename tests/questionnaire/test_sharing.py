"""Sharing the report link by e-mail, and links that expire or are revoked.

Who may be mailed, and how often (advisor/questionnaire/sharing.py): the typed address gets
the advice once; only after someone pressed "Confirm my address" behind the link in that mail
may the visitor send it again or to one colleague; no mail carries text the visitor typed; an
address gets at most MAILS_PER_ADDRESS_PER_DAY mails in 24 hours, whoever asks.
"""

import itertools
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from advisor.lib.mailbox import EMAIL_NO_IP_ADDRESS, EMAIL_PLAIN_NAME
from advisor.models import MailKind, MailStatus, OutgoingMail, Submission
from advisor.questionnaire.forms import (
    SHARE_INVALID_ADDRESS,
    SHARE_NOTHING_CHOSEN,
    SHARE_ONE_ADDRESS_ONLY,
)
from advisor.questionnaire.services import create_submission, extend_link, revoke_link
from advisor.questionnaire.views import (
    ADDRESS_CONFIRMED,
    SHARE_COLLEAGUE_ALREADY,
    SHARE_LIMIT_PER_ADDRESS,
    SHARE_LIMIT_PER_IP,
    SHARE_LIMIT_PER_REPORT,
    SHARE_NOT_CONFIRMED,
)
from tests.confirmation import confirm_by_mail, confirmation_link, confirmation_path
from tests.conftest import ANSWERS
from tests.jobs import run_due_jobs, run_jobs_until
from tests.smtp_server import LoopbackSmtp, loopback_smtp

FLAT_ANSWERS = {key: value for step in ANSWERS.values() for key, value in step.items()}
PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex",
}
# django-ratelimit counts per client IP in the cache: every test gets IPs of its own.
_addresses = (f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}" for n in itertools.count(1))

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor() -> Client:
    return Client(REMOTE_ADDR=next(_addresses))


@pytest.fixture
def submission() -> Submission:
    """A fresh report: its advice mail is on its way, the address not yet confirmed."""
    return submit()


@pytest.fixture
def confirmed(visitor, submission) -> Submission:
    """A report whose visitor clicked the link in the advice mail and pressed the button."""
    confirm_by_mail(visitor, submission)
    return submission


@pytest.fixture
def smtp(settings) -> Iterator[LoopbackSmtp]:
    yield from loopback_smtp(settings)


def submit(email: str = "eva@praktijkjansen.nl", language: str = "nl",
           company: str = "Huisartsenpraktijk Jansen") -> Submission:
    return create_submission(answers=FLAT_ANSWERS, language=language, contact={
        "name": "Eva Jansen", "company": company, "email": email,
        "phone": "06 98765432", "question": "Kunnen we voor de zomer over?"})


def confirmed_report(email: str, client: Client | None = None) -> Submission:
    report = submit(email=email)
    confirm_by_mail(client or Client(REMOTE_ADDR=next(_addresses)), report)
    return report


def mails_to(address: str) -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(recipient=address).order_by("id"))


def share(client: Client, submission: Submission, **data: str):
    return client.post(reverse("advisor:share", args=[submission.token]), data)


def share_mails() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(
        kind__in=(MailKind.SHARE_SELF, MailKind.SHARE_COLLEAGUE)).order_by("id"))


def assert_private(response) -> None:
    for header, value in PRIVATE_HEADERS.items():
        assert response[header] == value, header


# --- Before the address is confirmed -------------------------------------------------------


def test_the_advice_mail_carries_a_link_that_confirms_the_address(submission):
    mail = OutgoingMail.objects.get(kind=MailKind.ADVICE)
    path = confirmation_path(submission)
    assert path.startswith(f"{submission.get_absolute_url()}bevestigen/")
    assert f'href="http://127.0.0.1:8000{path}"' in mail.body_html


def test_before_confirmation_the_result_page_says_how_to_confirm_and_offers_no_sending(
    visitor, submission,
):
    page = visitor.get(submission.get_absolute_url())
    assert page.status_code == 200
    assert "Bevestig eerst je e-mailadres." in page.text
    assert "eva@praktijkjansen.nl" in page.text
    assert 'name="colleague"' not in page.text
    assert reverse("advisor:share", args=[submission.token]) not in page.text
    # The page, which anyone with the report link sees, never holds the confirmation code.
    assert confirmation_path(submission) not in page.text
    assert confirmation_path(submission).rstrip("/").rsplit("/", 1)[1] not in page.text


@pytest.mark.parametrize("data", [
    {"to_self": "on"},
    {"colleague": "jan@praktijkjansen.nl"},
    {"to_self": "on", "colleague": "jan@praktijkjansen.nl"},
    {"colleague": "not an address"},
])
def test_before_confirmation_nothing_is_sent_and_the_visitor_is_told_why(
    visitor, submission, data,
):
    response = share(visitor, submission, **data)
    assert response.status_code == 403
    assert escape(str(SHARE_NOT_CONFIRMED % {"address": "eva@praktijkjansen.nl"})) in response.text
    assert 'id="error-summary" tabindex="-1" autofocus' in response.text
    assert share_mails() == []
    assert_private(response)


def test_opening_the_link_confirms_nothing_until_the_button_is_pressed(visitor, submission):
    path = confirmation_path(submission)
    # A mail scanner opens every link in a mail, and follows it more than once.
    for _ in range(3):
        page = visitor.get(path)
        assert page.status_code == 200
        assert "Ja, dit is mijn adres" in page.text
        assert_private(page)
    submission.refresh_from_db()
    assert submission.email_confirmed_at is None

    response = visitor.post(path)
    assert response.status_code == 302
    assert response["Location"] == submission.get_absolute_url() + "#share"
    submission.refresh_from_db()
    assert submission.email_confirmed_at is not None
    page = visitor.get(response["Location"])
    assert str(ADDRESS_CONFIRMED % {"address": "eva@praktijkjansen.nl"}) in page.text
    assert 'name="colleague"' in page.text
    # Confirmed once: the link now says so, and pressing again changes nothing.
    assert "is al bevestigd" in visitor.get(path).text
    assert visitor.post(path).status_code == 302


def test_a_wrong_code_or_the_code_of_another_report_confirms_nothing(visitor, submission):
    other = submit(email="pim@bakkerij.example")
    code_of_other = confirmation_path(other).rstrip("/").rsplit("/", 1)[1]
    own = confirmation_path(submission).rstrip("/").rsplit("/", 1)[1]
    for code in (code_of_other, own[:-1] + ("A" if own[-1] != "A" else "B"), "x", own + "x"):
        path = reverse("advisor:confirm_address", args=[submission.token, code])
        assert visitor.get(path).status_code == 404
        assert visitor.post(path).status_code == 404
    submission.refresh_from_db()
    assert submission.email_confirmed_at is None


def test_an_undeliverable_advice_mail_is_said_so_with_what_to_do_instead(visitor, submission):
    OutgoingMail.objects.filter(submission=submission, kind=MailKind.ADVICE).update(
        status=MailStatus.FAILED, last_error="SMTPRecipientsRefused 550")
    page = visitor.get(submission.get_absolute_url())
    assert ("We konden de e-mail met dit advies niet afleveren bij eva@praktijkjansen.nl."
            in page.text)
    assert "Vul de vragenlijst dan opnieuw in met het goede adres" in page.text
    assert reverse("advisor:share", args=[submission.token]) not in page.text


# --- Once confirmed --------------------------------------------------------------------------


def test_the_result_page_offers_to_email_the_link_and_is_kept_private(visitor, confirmed):
    response = visitor.get(confirmed.get_absolute_url())
    assert response.status_code == 200
    assert reverse("advisor:share", args=[confirmed.token]) in response.text
    assert 'name="colleague"' in response.text
    assert_private(response)


def test_the_visitor_can_email_the_link_to_their_own_address(visitor, confirmed):
    response = share(visitor, confirmed, to_self="on")
    assert response.status_code == 302
    assert response["Location"] == confirmed.get_absolute_url() + "#share"
    assert_private(response)
    [mail] = share_mails()
    assert mail.recipient == "eva@praktijkjansen.nl"
    assert confirmed.get_absolute_url() in mail.body_text
    # Already confirmed: a mail sent again carries no confirmation link.
    assert "/bevestigen/" not in mail.body_text + mail.body_html
    confirmed.refresh_from_db()
    assert confirmed.share_count == 1

    page = visitor.get(response["Location"])
    assert "eva@praktijkjansen.nl" in page.text  # the success message names the address
    assert 'class="alert alert-success"' in page.text


def test_the_visitor_can_add_one_colleague(visitor, confirmed):
    response = share(visitor, confirmed, to_self="on", colleague="jan@praktijkjansen.nl")
    assert response.status_code == 302
    assert [[mail.recipient] for mail in share_mails()] == [
        ["eva@praktijkjansen.nl"], ["jan@praktijkjansen.nl"]]


def test_only_one_colleague_per_report(visitor, confirmed):
    assert share(visitor, confirmed, colleague="jan@praktijkjansen.nl").status_code == 302
    page = visitor.get(confirmed.get_absolute_url())
    assert "Je hebt dit advies gedeeld met jan@praktijkjansen.nl." in page.text
    assert 'name="colleague"' not in page.text

    response = share(visitor, confirmed, colleague="piet@praktijkjansen.nl")
    assert response.status_code == 403
    assert escape(str(SHARE_COLLEAGUE_ALREADY % {"address": "jan@praktijkjansen.nl"})) in (
        response.text)
    assert [mail.recipient for mail in share_mails()] == ["jan@praktijkjansen.nl"]
    # Sending it to oneself again still works.
    assert share(visitor, confirmed, to_self="on").status_code == 302


def test_a_colleague_who_could_not_be_reached_frees_the_place(visitor, confirmed):
    share(visitor, confirmed, colleague="jna@praktijkjansen.nl")
    OutgoingMail.objects.filter(recipient="jna@praktijkjansen.nl").update(
        status=MailStatus.FAILED, last_error="SMTPRecipientsRefused 550")
    page = visitor.get(confirmed.get_absolute_url())
    assert "We konden de e-mail niet bezorgen bij jna@praktijkjansen.nl." in page.text
    assert 'name="colleague"' in page.text
    assert share(visitor, confirmed, colleague="jan@praktijkjansen.nl").status_code == 302
    assert share(visitor, confirmed, colleague="piet@praktijkjansen.nl").status_code == 403


SPAM = "Goedkope pillen op pillen.example, bel 0900-1234"


@pytest.mark.parametrize("kind", [MailKind.ADVICE, MailKind.SHARE_SELF, MailKind.SHARE_COLLEAGUE])
def test_no_mail_holds_text_the_visitor_typed(visitor, kind):
    report = submit(email="eva@praktijkjansen.nl", company=SPAM)
    confirm_by_mail(visitor, report)
    share(visitor, report, to_self="on", colleague="jan@praktijkjansen.nl")
    mail = OutgoingMail.objects.get(kind=kind)
    text = mail.subject + mail.body_text + mail.body_html
    for typed in ("pillen", "0900", "Eva Jansen", "zomer", "98765432"):
        assert typed not in text
    # What the mail does say comes from the table: the suggested plan.
    assert report.advice["plan_name"] in text
    # The consultant's notification is the lead itself: it names the company as typed.
    assert "pillen" in OutgoingMail.objects.get(kind=MailKind.CONSULTANT).subject


def test_the_colleague_is_told_we_will_not_mail_them_about_it_again(visitor, confirmed):
    share(visitor, confirmed, colleague="jan@praktijkjansen.nl")
    [mail] = share_mails()
    assert "We mailen je er niet nog eens over." in mail.body_text
    assert "/bevestigen/" not in mail.body_text + mail.body_html


def test_the_same_address_twice_is_mailed_once(visitor, confirmed):
    share(visitor, confirmed, to_self="on", colleague="EVA@praktijkjansen.nl")
    assert len(share_mails()) == 1


@pytest.mark.parametrize("colleague", [
    "jan@praktijkjansen.nl, piet@praktijkjansen.nl",
    "jan@praktijkjansen.nl;piet@praktijkjansen.nl",
    "jan@praktijkjansen.nl piet@praktijkjansen.nl",
])
def test_a_second_colleague_address_is_refused_and_nothing_is_sent(
    visitor, confirmed, colleague,
):
    response = share(visitor, confirmed, to_self="on", colleague=colleague)
    assert response.status_code == 200
    assert str(SHARE_ONE_ADDRESS_ONLY) in response.text
    assert share_mails() == []
    confirmed.refresh_from_db()
    assert confirmed.share_count == 0


@pytest.mark.parametrize("colleague", [
    "jan@praktijkjansen.nl\r\nBcc: victim@example.com",
    "jan@praktijkjansen.nl\nSubject: Cheap pills",
    "jan@praktijkjansen.nl\rTo:victim@example.com",
])
def test_mail_header_injection_is_refused_and_nothing_is_sent(visitor, confirmed, colleague):
    response = share(visitor, confirmed, colleague=colleague)
    assert response.status_code == 200
    assert str(SHARE_INVALID_ADDRESS) in response.text
    assert share_mails() == []


def test_choosing_no_address_asks_for_one(visitor, confirmed):
    response = share(visitor, confirmed)
    assert str(SHARE_NOTHING_CHOSEN) in response.text
    assert share_mails() == []


def test_a_report_sends_at_most_the_configured_number_of_mails(visitor, confirmed, settings):
    settings.SHARE_MAX_PER_REPORT = 3
    assert share(visitor, confirmed, to_self="on", colleague="a@example.com").status_code == 302
    # Two more would make four: refused whole, not half sent.
    settings.MAILS_PER_ADDRESS_PER_DAY = 10
    response = share(visitor, confirmed, to_self="on")
    assert response.status_code == 302
    response = share(visitor, confirmed, to_self="on")
    assert response.status_code == 429
    assert str(SHARE_LIMIT_PER_REPORT) in response.text
    assert_private(response)
    assert [mail.recipient for mail in share_mails()] == [
        "eva@praktijkjansen.nl", "a@example.com", "eva@praktijkjansen.nl"]


def test_a_report_at_its_limit_no_longer_shows_the_form(visitor, confirmed, settings):
    settings.SHARE_MAX_PER_REPORT = 1
    share(visitor, confirmed, to_self="on")
    page = visitor.get(confirmed.get_absolute_url())
    assert 'name="colleague"' not in page.text
    assert str(SHARE_LIMIT_PER_REPORT) in page.text


def test_one_client_ip_may_only_send_a_few_share_requests(visitor, settings):
    settings.SHARE_RATE_PER_IP = "2/h"
    reports = [confirmed_report(f"eigenaar{n}@example.com") for n in range(3)]
    assert share(visitor, reports[0], to_self="on").status_code == 302
    assert share(visitor, reports[1], to_self="on").status_code == 302
    response = share(visitor, reports[2], to_self="on")
    assert response.status_code == 429
    assert str(SHARE_LIMIT_PER_IP) in response.text
    assert_private(response)
    assert [mail.recipient for mail in share_mails()] == [
        "eigenaar0@example.com", "eigenaar1@example.com"]
    # Someone else, on another IP address, is not affected.
    assert share(Client(REMOTE_ADDR=next(_addresses)), reports[2], to_self="on").status_code == 302


# --- At most a few mails per address and day, whoever asks -----------------------------------


def test_a_bot_typing_someones_address_again_and_again_reaches_them_three_times_a_day(settings):
    assert settings.MAILS_PER_ADDRESS_PER_DAY == 3
    reports = [submit(email="slachtoffer@doelwit.example") for _ in range(6)]
    assert len(mails_to("slachtoffer@doelwit.example")) == 3
    # Every lead is kept, and the consultant hears of each one.
    assert Submission.objects.count() == 6
    assert OutgoingMail.objects.filter(kind=MailKind.CONSULTANT).count() == 6
    page = Client().get(reports[-1].get_absolute_url())
    assert "We hebben dit advies nog niet gemaild naar slachtoffer@doelwit.example" in page.text


def test_plus_addresses_and_letter_case_count_as_the_same_mailbox():
    for address in ("jan@bakkerij.example", "Jan+1@Bakkerij.example", "jan+2@BAKKERIJ.example",
                    "jan+3@bakkerij.example"):
        submit(email=address)
    assert OutgoingMail.objects.filter(kind=MailKind.ADVICE).count() == 3


def test_a_held_back_advice_mail_can_be_asked_for_once_the_day_is_over(visitor):
    for _ in range(3):
        submit(email="eva@praktijkjansen.nl")
    late = submit(email="eva@praktijkjansen.nl")
    response = share(visitor, late, to_self="on")
    assert response.status_code == 429
    assert escape(str(SHARE_LIMIT_PER_ADDRESS % {"address": "eva@praktijkjansen.nl"})) in (
        response.text)
    assert not OutgoingMail.objects.filter(submission=late, kind=MailKind.ADVICE).exists()

    with time_machine.travel(timedelta(hours=24, minutes=1)):
        page = visitor.get(late.get_absolute_url())
        assert "Mail het advies naar eva@praktijkjansen.nl" in page.text
        assert share(visitor, late, to_self="on").status_code == 302
        [advice] = OutgoingMail.objects.filter(submission=late, kind=MailKind.ADVICE)
        assert "/bevestigen/" in advice.body_text  # the mail that lets the visitor confirm
        # That was the advice mail, once: more only after confirmation.
        assert share(visitor, late, to_self="on").status_code == 403


def test_a_colleague_gets_three_mails_a_day_however_many_reports_share_with_them():
    reports = [confirmed_report(f"eigenaar{n}@bakkerij{n}.example") for n in range(4)]
    for report in reports[:3]:
        assert share(Client(REMOTE_ADDR=next(_addresses)), report,
                     colleague="jan@doelwit.example").status_code == 302
    response = share(Client(REMOTE_ADDR=next(_addresses)), reports[3], to_self="on",
                     colleague="Jan+x@doelwit.example")
    assert response.status_code == 429
    assert escape(str(SHARE_LIMIT_PER_ADDRESS % {"address": "Jan+x@doelwit.example"})) in (
        response.text)
    # Refused whole: the visitor's own mail of that request was not sent either.
    assert OutgoingMail.objects.filter(submission=reports[3],
                                       kind=MailKind.SHARE_SELF).count() == 0
    reports[3].refresh_from_db()
    assert reports[3].share_count == 0
    assert len(mails_to("jan@doelwit.example")) == 3


@pytest.mark.django_db(transaction=True)
def test_the_consultants_send_again_is_not_held_back_by_the_limit(smtp, settings):
    from advisor.outbox.delivery import send_again

    settings.MAIL_MAX_RETRIES = 0
    report = submit(email="eva@praktijkjansen.nl")
    run_due_jobs()  # the SMTP server is down, and this was the last try: failed for good
    first = OutgoingMail.objects.get(submission=report, kind=MailKind.ADVICE)
    assert first.status == MailStatus.FAILED
    for _ in range(2):
        submit(email="eva@praktijkjansen.nl")  # the address has had its three mails today
    smtp.start()

    send_again(mail=first)  # the consultant, in the back office
    run_jobs_until(lambda: OutgoingMail.objects.filter(pk=first.pk,
                                                       status=MailStatus.SENT).exists())
    assert [str(m["Message-ID"]) for m in smtp.to("eva@praktijkjansen.nl")].count(
        first.message_id) == 1


def test_sharing_only_accepts_a_post(visitor, submission):
    response = visitor.get(reverse("advisor:share", args=[submission.token]))
    assert response.status_code == 405
    assert_private(response)


def test_an_expired_link_shows_a_404_that_tells_how_to_reach_the_consultant(
    visitor, submission, settings,
):
    assert visitor.get(submission.get_absolute_url()).status_code == 200
    with time_machine.travel(timedelta(days=settings.SHARE_LINK_DAYS, hours=1)):
        response = visitor.get(submission.get_absolute_url())
        assert share(visitor, submission, to_self="on").status_code == 404
    assert response.status_code == 404
    assert settings.BRANDING["email"] in response.text
    assert settings.BRANDING["phone"] in response.text
    assert_private(response)
    assert share_mails() == []


def test_the_link_period_is_configurable(visitor, settings):
    settings.SHARE_LINK_DAYS = 7
    submission = submit()
    with time_machine.travel(timedelta(days=6)):
        assert visitor.get(submission.get_absolute_url()).status_code == 200
    with time_machine.travel(timedelta(days=8)):
        assert visitor.get(submission.get_absolute_url()).status_code == 404


def test_a_revoked_link_shows_the_404_and_extending_it_brings_it_back(visitor, submission):
    revoke_link(submission=submission)
    response = visitor.get(submission.get_absolute_url())
    assert response.status_code == 404
    assert_private(response)
    assert share(visitor, submission, to_self="on").status_code == 404

    extend_link(submission=submission)
    assert visitor.get(submission.get_absolute_url()).status_code == 200


def test_the_pdf_behind_an_expired_or_revoked_link_is_not_served(visitor, submission, settings):
    pdf_url = reverse("advisor:report_pdf", args=[submission.token])
    with time_machine.travel(timedelta(days=settings.SHARE_LINK_DAYS, hours=1)):
        expired = visitor.get(pdf_url)
    revoke_link(submission=submission)
    revoked = visitor.get(pdf_url)
    for response in (expired, revoked):
        assert response.status_code == 404
        assert settings.BRANDING["email"] in response.text
        assert_private(response)


def test_an_extended_link_outlives_its_first_period(visitor, submission, settings):
    with time_machine.travel(timedelta(days=settings.SHARE_LINK_DAYS - 1)):
        extend_link(submission=submission, days=30)
    with time_machine.travel(timedelta(days=settings.SHARE_LINK_DAYS + 10)):
        assert visitor.get(submission.get_absolute_url()).status_code == 200


def test_a_tampered_token_shows_the_404(visitor, submission, settings):
    token = submission.token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    response = visitor.get(reverse("advisor:result", args=[tampered]))
    assert response.status_code == 404
    assert settings.BRANDING["email"] in response.text
    assert_private(response)


def test_english_report_pages_are_kept_private_too(visitor):
    submission = submit(language="en")
    from django.utils import translation

    with translation.override("en"):
        url = submission.get_absolute_url()
    assert url.startswith("/en/")
    assert_private(visitor.get(url))


@pytest.mark.django_db(transaction=True)
def test_a_shared_link_arrives_over_smtp_and_opens_the_advice(smtp, visitor):
    smtp.start()
    submission = submit()
    run_due_jobs()
    [advice] = smtp.to("eva@praktijkjansen.nl")
    assert visitor.post(confirmation_link(advice.get_body(("plain",)).get_content())
                        ).status_code == 302
    share(visitor, submission, colleague="jan@praktijkjansen.nl")
    run_due_jobs()

    [mail] = smtp.to("jan@praktijkjansen.nl")
    text = mail.get_body(("plain",)).get_content()
    link = next(word for word in text.split() if submission.token in word)
    path = link.split("127.0.0.1:8000", 1)[1]
    assert visitor.get(path).status_code == 200


def test_a_refused_share_opens_at_a_summary_that_links_to_the_field(visitor, confirmed):
    response = share(visitor, confirmed, colleague="jan@")
    html = response.text
    assert 'id="error-summary" tabindex="-1" autofocus' in html
    assert ('<a href="#id_colleague_group">Ook naar een collega sturen</a> <span '
            f'class="error-summary-message">{SHARE_INVALID_ADDRESS}</span>') in html


@pytest.mark.parametrize(("colleague", "message"), [
    ('"x,victim1@target.example,y"@z.example', SHARE_ONE_ADDRESS_ONLY),
    ("jan@[127.0.0.1]", EMAIL_NO_IP_ADDRESS),
    ("jan(x)@praktijkjansen.nl", EMAIL_PLAIN_NAME),
])
def test_a_colleague_address_must_reach_one_mailbox(visitor, confirmed, colleague, message):
    response = share(visitor, confirmed, colleague=colleague)
    assert response.status_code == 200
    assert escape(str(message)) in response.text
    assert share_mails() == []


def test_the_consultant_sees_on_the_lead_whether_the_address_was_confirmed(visitor, submission):
    from tests.factories import make_staff, verified_client

    consultant = verified_client(make_staff())
    lead_page = reverse("admin:advisor_submission_change", args=[submission.pk])
    assert "heeft het e-mailadres niet bevestigd" in consultant.get(lead_page).text
    confirm_by_mail(visitor, submission)
    assert "bevestigde het e-mailadres op" in consultant.get(lead_page).text


def test_the_share_limit_per_client_is_counted_in_redis_for_every_worker(redis_cache, settings):
    server, prefix = redis_cache
    settings.SHARE_RATE_PER_IP = "2/h"
    reports = [confirmed_report(f"eigenaar{n}@bakkerij{n}.example") for n in range(3)]
    # A new client per request, as each request may reach another worker process.
    for report in reports[:2]:
        assert share(Client(REMOTE_ADDR="198.51.100.77"), report,
                     to_self="on").status_code == 302
    refused = share(Client(REMOTE_ADDR="198.51.100.77"), reports[2], to_self="on")
    assert refused.status_code == 429
    assert str(SHARE_LIMIT_PER_IP) in refused.text
    assert any(server.scan_iter(f"{prefix}:*"))  # the counter lives in Redis
