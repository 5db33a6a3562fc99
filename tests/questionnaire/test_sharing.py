"""Sharing the report link by e-mail, its limits, and links that expire or are revoked."""

import itertools
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from advisor.lib.mailbox import EMAIL_NO_IP_ADDRESS, EMAIL_PLAIN_NAME
from advisor.models import MailKind, OutgoingMail, Submission
from advisor.questionnaire.forms import (
    SHARE_INVALID_ADDRESS,
    SHARE_NOTHING_CHOSEN,
    SHARE_ONE_ADDRESS_ONLY,
)
from advisor.questionnaire.services import create_submission, extend_link, revoke_link
from advisor.questionnaire.views import SHARE_LIMIT_PER_IP, SHARE_LIMIT_PER_REPORT
from tests.conftest import ANSWERS
from tests.jobs import run_due_jobs
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
    return submit()


@pytest.fixture
def smtp(settings) -> Iterator[LoopbackSmtp]:
    yield from loopback_smtp(settings)


def submit(email: str = "eva@praktijkjansen.nl", language: str = "nl") -> Submission:
    return create_submission(answers=FLAT_ANSWERS, language=language, contact={
        "name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen", "email": email,
        "phone": "06 98765432", "question": "Kunnen we voor de zomer over?"})


def share(client: Client, submission: Submission, **data: str):
    return client.post(reverse("advisor:share", args=[submission.token]), data)


def share_mails() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(
        kind__in=(MailKind.SHARE_SELF, MailKind.SHARE_COLLEAGUE)).order_by("id"))


def assert_private(response) -> None:
    for header, value in PRIVATE_HEADERS.items():
        assert response[header] == value, header


def test_the_result_page_offers_to_email_the_link_and_is_kept_private(visitor, submission):
    response = visitor.get(submission.get_absolute_url())
    assert response.status_code == 200
    assert reverse("advisor:share", args=[submission.token]) in response.text
    assert 'name="colleague"' in response.text
    assert_private(response)


def test_the_visitor_can_email_the_link_to_their_own_address(visitor, submission):
    response = share(visitor, submission, to_self="on")
    assert response.status_code == 302
    assert response["Location"] == submission.get_absolute_url() + "#share"
    assert_private(response)
    [mail] = share_mails()
    assert mail.recipient == "eva@praktijkjansen.nl"
    assert submission.get_absolute_url() in mail.body_text
    submission.refresh_from_db()
    assert submission.share_count == 1

    page = visitor.get(response["Location"])
    assert "eva@praktijkjansen.nl" in page.text  # the success message names the address
    assert 'class="alert alert-success"' in page.text


def test_the_visitor_can_add_one_colleague(visitor, submission):
    response = share(visitor, submission, to_self="on", colleague="jan@praktijkjansen.nl")
    assert response.status_code == 302
    assert [[mail.recipient] for mail in share_mails()] == [
        ["eva@praktijkjansen.nl"], ["jan@praktijkjansen.nl"]]


def test_the_colleague_gets_a_fixed_text_without_the_visitors_own_words(visitor, submission):
    share(visitor, submission, colleague="jan@praktijkjansen.nl")
    [mail] = share_mails()
    assert mail.recipient == "jan@praktijkjansen.nl"
    text = mail.body_text + mail.body_html
    assert "Huisartsenpraktijk Jansen" in text
    for private in ("Eva Jansen", "zomer", "eva@praktijkjansen.nl", "98765432"):
        assert private not in text


def test_the_same_address_twice_is_mailed_once(visitor, submission):
    share(visitor, submission, to_self="on", colleague="EVA@praktijkjansen.nl")
    assert len(share_mails()) == 1


@pytest.mark.parametrize("colleague", [
    "jan@praktijkjansen.nl, piet@praktijkjansen.nl",
    "jan@praktijkjansen.nl;piet@praktijkjansen.nl",
    "jan@praktijkjansen.nl piet@praktijkjansen.nl",
])
def test_a_second_colleague_address_is_refused_and_nothing_is_sent(
    visitor, submission, colleague,
):
    response = share(visitor, submission, to_self="on", colleague=colleague)
    assert response.status_code == 200
    assert str(SHARE_ONE_ADDRESS_ONLY) in response.text
    assert share_mails() == []
    submission.refresh_from_db()
    assert submission.share_count == 0


@pytest.mark.parametrize("colleague", [
    "jan@praktijkjansen.nl\r\nBcc: victim@example.com",
    "jan@praktijkjansen.nl\nSubject: Cheap pills",
    "jan@praktijkjansen.nl\rTo:victim@example.com",
])
def test_mail_header_injection_is_refused_and_nothing_is_sent(visitor, submission, colleague):
    response = share(visitor, submission, colleague=colleague)
    assert response.status_code == 200
    assert str(SHARE_INVALID_ADDRESS) in response.text
    assert share_mails() == []


def test_choosing_no_address_asks_for_one(visitor, submission):
    response = share(visitor, submission)
    assert str(SHARE_NOTHING_CHOSEN) in response.text
    assert share_mails() == []


def test_a_report_sends_at_most_the_configured_number_of_mails(visitor, submission, settings):
    settings.SHARE_MAX_PER_REPORT = 3
    assert share(visitor, submission, to_self="on", colleague="a@example.com").status_code == 302
    # Two more would make four: refused whole, not half sent.
    response = share(visitor, submission, to_self="on", colleague="b@example.com")
    assert response.status_code == 429
    assert str(SHARE_LIMIT_PER_REPORT) in response.text
    assert_private(response)
    assert share(visitor, submission, colleague="c@example.com").status_code == 302
    assert share(visitor, submission, to_self="on").status_code == 429
    assert [mail.recipient for mail in share_mails()] == [
        "eva@praktijkjansen.nl", "a@example.com", "c@example.com"]


def test_a_report_at_its_limit_no_longer_shows_the_form(visitor, submission, settings):
    settings.SHARE_MAX_PER_REPORT = 1
    share(visitor, submission, to_self="on")
    page = visitor.get(submission.get_absolute_url())
    assert 'name="colleague"' not in page.text
    assert str(SHARE_LIMIT_PER_REPORT) in page.text


def test_one_client_ip_may_only_send_a_few_share_requests(visitor, settings):
    settings.SHARE_RATE_PER_IP = "2/h"
    reports = [submit(email=f"eigenaar{n}@example.com") for n in range(3)]
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
    share(visitor, submission, colleague="jan@praktijkjansen.nl")
    run_due_jobs()

    [mail] = smtp.to("jan@praktijkjansen.nl")
    text = mail.get_body(("plain",)).get_content()
    link = next(word for word in text.split() if submission.token in word)
    path = link.split("127.0.0.1:8000", 1)[1]
    assert visitor.get(path).status_code == 200


def test_a_refused_share_opens_at_a_summary_that_links_to_the_field(visitor, submission):
    response = share(visitor, submission, colleague="jan@")
    html = response.text
    assert 'id="error-summary" tabindex="-1" autofocus' in html
    assert ('<a href="#id_colleague_group">Ook naar een collega sturen</a> <span '
            f'class="error-summary-message">{SHARE_INVALID_ADDRESS}</span>') in html


@pytest.mark.parametrize(("colleague", "message"), [
    ('"x,victim1@target.example,y"@z.example', SHARE_ONE_ADDRESS_ONLY),
    ("jan@[127.0.0.1]", EMAIL_NO_IP_ADDRESS),
    ("jan(x)@praktijkjansen.nl", EMAIL_PLAIN_NAME),
])
def test_a_colleague_address_must_reach_one_mailbox(visitor, submission, colleague, message):
    response = share(visitor, submission, colleague=colleague)
    assert response.status_code == 200
    assert escape(str(message)) in response.text
    assert share_mails() == []
