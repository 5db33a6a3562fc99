"""Outgoing mail: written with the submission, delivered once by the queue over real SMTP."""

import smtplib
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.urls import reverse

from advisor.consultant.branding import get_branding
from advisor.models import MailKind, MailStatus, OutgoingMail, Submission
from advisor.outbox import delivery
from advisor.outbox.mail import consultant_address, queue_share_mails
from advisor.questionnaire.services import create_submission
from tests.confirmation import confirm_by_mail
from tests.conftest import ANSWERS, CONTACT, complete_questionnaire
from tests.jobs import run_due_jobs, run_jobs_until
from tests.smtp_server import LoopbackSmtp, loopback_smtp

FLAT_ANSWERS = {key: value for step in ANSWERS.values() for key, value in step.items()}
MARCH_15 = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def smtp(settings) -> Iterator[LoopbackSmtp]:
    # A failed try is retried after a second here (a minute in production).
    settings.MAIL_RETRY_BASE_SECONDS = 1
    yield from loopback_smtp(settings)


def submit(**contact: str) -> Submission:
    details = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
               "email": "eva@praktijkjansen.nl", "phone": "06 98765432",
               "question": "Kunnen we voor de zomer over?", **contact}
    return create_submission(answers=FLAT_ANSWERS, contact=details, language="nl")


def body(mail: OutgoingMail) -> str:
    return mail.body_text + mail.body_html


def notification() -> OutgoingMail:
    return OutgoingMail.objects.get(kind=MailKind.CONSULTANT)


@pytest.mark.django_db
def test_a_new_submission_queues_a_notification_and_the_visitors_advice(settings):
    settings.CONSULTANT_EMAIL = "sanne@devries-it.example"
    submission = submit()
    assert sorted(OutgoingMail.objects.values_list("kind", "recipient", "status",
                                                   "submission")) == [
        (MailKind.ADVICE, "eva@praktijkjansen.nl", MailStatus.QUEUED, submission.pk),
        (MailKind.CONSULTANT, "sanne@devries-it.example", MailStatus.QUEUED, submission.pk),
    ]


@pytest.mark.django_db
def test_each_mail_is_queued_for_delivery_when_the_submission_commits(
    django_capture_on_commit_callbacks, monkeypatch
):
    deferred = []
    monkeypatch.setattr("advisor.queue.jobs.defer_now",
                        lambda task, **kwargs: deferred.append((task.name, kwargs)))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit()
    assert deferred == []  # nothing before the commit
    for callback in callbacks:
        callback()
    mails = OutgoingMail.objects.all()
    assert sorted(name for name, _ in deferred if name.endswith("deliver_mail")) == [
        "advisor.outbox.tasks.deliver_mail"] * 2
    assert {kwargs["queueing_lock"] for _, kwargs in deferred if "mail_id" in kwargs} == {
        f"mail-{mail.pk}" for mail in mails}


@pytest.mark.django_db
def test_without_a_configured_address_the_consultant_is_notified_at_the_branding_address(
    settings,
):
    settings.CONSULTANT_EMAIL = ""
    settings.BRANDING = {**settings.BRANDING, "email": "advies@voorbeeld.example"}
    submit()
    assert notification().recipient == "advies@voorbeeld.example"


@pytest.mark.django_db
def test_the_notification_summarises_the_lead_and_links_to_it_in_the_admin(settings):
    settings.SITE_URL = "https://advies.example.nl"
    submission = submit(company="Bakkerij Smit")
    mail = notification()
    admin_path = reverse("admin:advisor_submission_change", args=[submission.pk])
    for text in (mail.body_text, mail.body_html):
        assert "Bakkerij Smit" in text
        assert f"https://advies.example.nl{admin_path}" in text
        assert submission.advice["plan_name"] in text  # the suggested plan
    assert "Advies: Microsoft 365\n" in mail.body_text  # the verdict, not only the plan
    assert "Bakkerij Smit" in mail.subject


@pytest.mark.django_db
def test_the_notification_leaves_out_the_visitors_contact_details_and_question():
    submit(email="eva@praktijkjansen.nl", phone="06 98765432",
           question="Kunnen we voor de zomer over?")
    text = body(notification())
    assert "eva@praktijkjansen.nl" not in text
    assert "98765432" not in text
    assert "zomer" not in text


@pytest.mark.django_db
def test_the_notification_is_in_dutch_whatever_the_visitors_language():
    with time_machine.travel(MARCH_15, tick=False):
        create_submission(answers=FLAT_ANSWERS, language="en", contact={
            "name": "Tom", "company": "Acme", "email": "tom@acme.example", "phone": "",
            "question": ""})
    assert "15 maart 2026" in notification().body_text


@pytest.mark.django_db
def test_the_outbox_is_written_in_the_same_transaction_as_the_submission():
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("something later in the request fails")
    assert Submission.objects.count() == 0
    assert OutgoingMail.objects.count() == 0


@pytest.mark.django_db
def test_a_company_name_with_markup_or_template_tags_is_mailed_as_plain_text():
    submit(company="<b>Acme</b> {% debug %} {{ settings.SECRET_KEY }}")
    mail = notification()
    assert "&lt;b&gt;Acme&lt;/b&gt; {% debug %} {{ settings.SECRET_KEY }}" in mail.body_html
    assert "<b>Acme</b> {% debug %} {{ settings.SECRET_KEY }}" in mail.body_text


@pytest.mark.django_db
def test_a_line_break_in_the_company_name_cannot_add_mail_headers():
    submit(company="Acme\r\nBcc: victim@example.com")
    assert notification().subject.endswith("Acme Bcc: victim@example.com")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "link_prefix", "expiry"), [
    ("en", "/en/advies/", "13 June 2026"), ("nl", "/advies/", "13 juni 2026")])
def test_the_advice_mail_is_in_the_visitors_language_with_links_to_the_advice_and_pdf(
    settings, language, link_prefix, expiry
):
    settings.SITE_URL = "https://advies.example.nl"
    with time_machine.travel(MARCH_15, tick=False):
        submission = create_submission(answers=FLAT_ANSWERS, language=language, contact={
            "name": "Tom", "company": "Acme", "email": "tom@acme.example", "phone": "",
            "question": ""})
    mail = OutgoingMail.objects.get(kind=MailKind.ADVICE)
    link = f"https://advies.example.nl{link_prefix}{submission.token}/"
    assert mail.recipient == "tom@acme.example"
    assert link in mail.body_text
    assert f'href="{link}"' in mail.body_html
    assert f"{link}rapport.pdf" in mail.body_text
    assert expiry in mail.body_text  # the link's expiry date, 90 days on
    assert mail.headers == {"Reply-To": get_branding().email}


# --- Delivery by the queue, over a real SMTP server on loopback ---------------------------


@pytest.mark.django_db(transaction=True)
def test_mail_is_delivered_as_branded_html_with_a_plain_text_alternative(smtp, settings):
    settings.DEFAULT_FROM_EMAIL = "keuzehulp@devries-it.example"
    smtp.start()
    submission = submit()
    run_due_jobs()

    [advice] = smtp.to("eva@praktijkjansen.nl")
    assert advice["From"] == "keuzehulp@devries-it.example"
    assert advice["Reply-To"] == get_branding().email
    stored = OutgoingMail.objects.get(kind=MailKind.ADVICE)
    assert advice["Message-ID"] == stored.message_id
    assert (stored.status, stored.attempts) == (MailStatus.SENT, 1)
    assert stored.sent_at is not None
    plain = advice.get_body(("plain",)).get_content()
    html = advice.get_body(("html",)).get_content()
    assert submission.get_absolute_url() in plain
    assert get_branding().company_name in html
    # No images, fonts or style sheets fetched from elsewhere: nothing that tracks the reader.
    for outside in ("<img", "<link", "@import", "url(", "<script"):
        assert outside not in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "subject_start"), [
    ("nl", "Je e-mailadvies van"), ("en", "Your e-mail advice from")])
def test_the_visitor_receives_the_advice_once_in_their_language(smtp, language, subject_start):
    smtp.start()
    visitor = {**CONTACT, "email": f"eigenaar-{language}@bedrijf.nl"}
    response = complete_questionnaire(Client(), language=language, contact=visitor)
    submission = Submission.objects.get(email=visitor["email"])
    assert response["Location"] == submission.get_absolute_url()
    run_due_jobs()
    run_due_jobs()  # a second worker pass sends nothing again

    [mail] = smtp.to(visitor["email"])
    assert str(mail["Subject"]).startswith(subject_start)
    plain = mail.get_body(("plain",)).get_content()
    assert f"http://127.0.0.1:8000{submission.get_absolute_url()}" in plain
    assert f"{submission.get_absolute_url()}rapport.pdf" in plain
    assert sum(smtp.received().values()) == 2  # the visitor's advice and the notification


@pytest.mark.django_db(transaction=True)
def test_mail_queued_while_the_smtp_server_is_down_arrives_exactly_once_when_it_is_back(
    smtp, client: Client,
):
    assert smtp.refuses_connections()
    visitors = [
        {**CONTACT, "company": f"Bedrijf {n}", "email": f"eigenaar{n}@bedrijf{n}.nl"}
        for n in range(3)
    ]
    for visitor in visitors:
        response = complete_questionnaire(Client(), contact=visitor)
        submission = Submission.objects.get(email=visitor["email"])
        assert response.status_code == 302
        assert response["Location"] == submission.get_absolute_url()
    shared = Submission.objects.get(email="eigenaar0@bedrijf0.nl")
    confirm_by_mail(client, shared)
    response = client.post(reverse("advisor:share", args=[shared.token]),
                           {"to_self": "on", "colleague": "collega@bedrijf0.nl"})
    assert response.status_code == 302
    assert Submission.objects.count() == 3
    assert OutgoingMail.objects.count() == 8

    run_due_jobs()  # the server still refuses: every mail waits for a retry
    assert smtp.messages == []
    assert set(OutgoingMail.objects.values_list("status", "last_error")) == {
        (MailStatus.QUEUED, "ConnectionRefusedError")}

    smtp.start()
    # Retries come due after 1, 2, 4 ... seconds in these tests.
    run_jobs_until(lambda: not OutgoingMail.objects.exclude(status=MailStatus.SENT).exists())
    outbox = Counter((mail.recipient, mail.subject) for mail in OutgoingMail.objects.all())
    assert smtp.received() == outbox  # each mail exactly once
    assert {to for to, _ in outbox} == {
        consultant_address(), "eigenaar0@bedrijf0.nl", "eigenaar1@bedrijf1.nl",
        "eigenaar2@bedrijf2.nl", "collega@bedrijf0.nl"}
    assert OutgoingMail.objects.filter(status=MailStatus.SENT).count() == 8

    time.sleep(1)
    run_due_jobs()
    assert sum(smtp.received().values()) == 8


class RefusingSmtp(LoopbackSmtp):
    """Refuses every recipient with the given SMTP code."""

    def __init__(self, code: int) -> None:
        super().__init__()
        self.code = code
        self.attempts = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        self.attempts += 1
        return f"{self.code} No such mailbox here"


@pytest.mark.django_db(transaction=True)
def test_a_permanent_refusal_marks_the_mail_failed_and_is_never_retried(settings):
    settings.MAIL_RETRY_BASE_SECONDS = 1
    server = RefusingSmtp(550)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": server.port,
                                                "timeout": 5}}}
    server.start()
    try:
        submit(email="niemand@bedrijf.nl")
        run_due_jobs()
        time.sleep(1.5)
        run_due_jobs()
    finally:
        server.stop()
    advice = OutgoingMail.objects.get(kind=MailKind.ADVICE)
    assert (advice.status, advice.attempts) == (MailStatus.FAILED, 1)
    assert advice.last_error == "SMTPRecipientsRefused 550"  # no address, no server text
    assert server.attempts == 2  # one try per mail: the advice and the notification


class RecordingRefusingSmtp(RefusingSmtp):
    """Refuses with 550 and records every RCPT TO it was asked for."""

    def __init__(self) -> None:
        super().__init__(550)
        self.rcpt_to: list[str] = []

    async def handle_RCPT(self, server, session, envelope, address, options):
        self.rcpt_to.append(address)
        return await super().handle_RCPT(server, session, envelope, address, options)


@pytest.mark.django_db
def test_an_address_that_reaches_several_mailboxes_is_never_split_and_its_refusal_is_final(
    settings,
):
    # A row written before the forms checked addresses (advisor/lib/mailbox.py): the outbox
    # once split this one on its commas and retried the refusal 96 times.
    server = RecordingRefusingSmtp()
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": server.port,
                                                "timeout": 5}}}
    submission = submit()
    address = '"x,victim1@target.example,y"@z.example'
    mail = OutgoingMail.objects.create(
        submission=submission, kind=MailKind.SHARE_COLLEAGUE, sender="keuzehulp@localhost",
        recipient=address, subject="x", body_text="x", message_id="<split@localhost>")
    server.start()
    try:
        assert delivery.deliver(mail_id=mail.pk, final_attempt=False) == delivery.FAILED
    finally:
        server.stop()
    assert server.rcpt_to == [address]  # one recipient, as written; no victim1@ on its own
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1)


@pytest.mark.django_db(transaction=True)
def test_a_temporary_refusal_is_retried_until_it_is_accepted(settings):
    settings.MAIL_RETRY_BASE_SECONDS = 1
    server = RefusingSmtp(451)
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": server.port,
                                                "timeout": 5}}}
    server.start()
    try:
        submit()
        run_due_jobs()
    finally:
        server.stop()
    assert set(OutgoingMail.objects.values_list("status", "last_error")) == {
        (MailStatus.QUEUED, "SMTPRecipientsRefused 451")}


@pytest.mark.parametrize(("error", "permanent", "description"), [
    (smtplib.SMTPRecipientsRefused({"a@b.example": (550, b"no")}), True,
     "SMTPRecipientsRefused 550"),
    (smtplib.SMTPRecipientsRefused({"a@b.example": (450, b"later")}), False,
     "SMTPRecipientsRefused 450"),
    (smtplib.SMTPDataError(554, b"spam"), True, "SMTPDataError 554"),
    (smtplib.SMTPSenderRefused(451, b"busy", "x@y.example"), False, "SMTPSenderRefused 451"),
    (ConnectionRefusedError(111, "refused"), False, "ConnectionRefusedError"),
    (smtplib.SMTPServerDisconnected("gone"), False, "SMTPServerDisconnected"),
    (TimeoutError(), False, "TimeoutError"),
    (ValueError("bad address"), True, "ValueError"),
])
def test_failures_are_told_apart_without_keeping_addresses(error, permanent, description):
    failure = delivery.classify(error)
    assert (failure.permanent, failure.description) == (permanent, description)


def test_retries_back_off_and_span_about_a_day(settings):
    settings.MAIL_RETRY_BASE_SECONDS, settings.MAIL_RETRY_MINUTES = 60, 15
    settings.MAIL_MAX_RETRIES = 96
    waits = [delivery.retry_delay(attempt).total_seconds() for attempt in range(96)]
    assert waits[:5] == [60, 120, 240, 480, 900]
    assert max(waits) == 900
    assert 20 * 3600 < sum(waits) < 26 * 3600


@pytest.mark.django_db
def test_a_mail_already_sent_is_never_sent_again(mailoutbox):
    submission = submit()
    [mail] = queue_share_mails(submission=submission, recipients=[submission.email])
    assert delivery.deliver(mail_id=mail.pk, final_attempt=False) == delivery.SENT
    assert delivery.deliver(mail_id=mail.pk, final_attempt=False) == delivery.ALREADY_SENT
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_the_last_temporary_failure_marks_the_mail_failed(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                                    "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2}}}
    submission = submit()
    [mail] = queue_share_mails(submission=submission, recipients=[submission.email])
    with pytest.raises(delivery.TemporaryMailFailure):
        delivery.deliver(mail_id=mail.pk, final_attempt=False)
    assert delivery.deliver(mail_id=mail.pk, final_attempt=True) == delivery.FAILED
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 2)


@pytest.mark.django_db
def test_a_mail_of_an_erased_submission_is_not_sent(mailoutbox):
    submission = submit()
    [mail] = queue_share_mails(submission=submission, recipients=[submission.email])
    submission.delete()
    assert delivery.deliver(mail_id=mail.pk, final_attempt=False) == delivery.GONE
    assert mailoutbox == []
