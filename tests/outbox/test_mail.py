"""The outbox, the consultant notification and delivery over a real SMTP server."""

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from post_office.models import STATUS, Email

from advisor.consultant.branding import get_branding
from advisor.models import Submission
from advisor.outbox.mail import consultant_address, queue_share_mails
from advisor.questionnaire.services import create_submission
from tests.conftest import ANSWERS, CONTACT, complete_questionnaire
from tests.smtp_server import LoopbackSmtp, loopback_smtp

FLAT_ANSWERS = {key: value for step in ANSWERS.values() for key, value in step.items()}
MARCH_15 = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)


@pytest.fixture
def smtp(settings) -> Iterator[LoopbackSmtp]:
    yield from loopback_smtp(settings)


def submit(**contact: str) -> Submission:
    details = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
               "email": "eva@praktijkjansen.nl", "phone": "06 98765432",
               "question": "Kunnen we voor de zomer over?", **contact}
    return create_submission(answers=FLAT_ANSWERS, contact=details, language="nl")


def run_worker() -> None:
    call_command("mail_worker", once=True)


def body(email: Email) -> str:
    return email.message + email.html_message


@pytest.mark.django_db
def test_a_new_submission_queues_one_notification_for_the_consultant(settings):
    settings.CONSULTANT_EMAIL = "sanne@devries-it.example"
    submit()
    assert list(Email.objects.values_list("to", "status")) == [
        (["sanne@devries-it.example"], STATUS.queued)
    ]


@pytest.mark.django_db
def test_without_a_configured_address_the_consultant_is_notified_at_the_branding_address(
    settings,
):
    settings.CONSULTANT_EMAIL = ""
    settings.BRANDING = {**settings.BRANDING, "email": "advies@voorbeeld.example"}
    submit()
    assert Email.objects.get().to == ["advies@voorbeeld.example"]


@pytest.mark.django_db
def test_the_notification_summarises_the_lead_and_links_to_it_in_the_admin(settings):
    settings.SITE_URL = "https://advies.example.nl"
    submission = submit(company="Bakkerij Smit")
    notification = Email.objects.get()
    admin_path = reverse("admin:advisor_submission_change", args=[submission.pk])
    for text in (notification.message, notification.html_message):
        assert "Bakkerij Smit" in text
        assert f"https://advies.example.nl{admin_path}" in text
        assert "Microsoft 365" in text
        assert submission.advice["plan_name"] in text  # the suggested plan
    assert "Bakkerij Smit" in notification.subject


@pytest.mark.django_db
def test_the_notification_leaves_out_the_visitors_contact_details_and_question():
    submit(email="eva@praktijkjansen.nl", phone="06 98765432",
           question="Kunnen we voor de zomer over?")
    notification = body(Email.objects.get())
    assert "eva@praktijkjansen.nl" not in notification
    assert "98765432" not in notification
    assert "zomer" not in notification


@pytest.mark.django_db
def test_the_notification_is_in_dutch_whatever_the_visitors_language():
    with time_machine.travel(MARCH_15, tick=False):
        create_submission(answers=FLAT_ANSWERS, language="en", contact={
            "name": "Tom", "company": "Acme", "email": "tom@acme.example", "phone": "",
            "question": ""})
    assert "15 maart 2026" in Email.objects.get().message


@pytest.mark.django_db
def test_the_outbox_is_written_in_the_same_transaction_as_the_submission():
    with pytest.raises(RuntimeError), transaction.atomic():
        submit()
        raise RuntimeError("something later in the request fails")
    assert Submission.objects.count() == 0
    assert Email.objects.count() == 0


@pytest.mark.django_db
def test_a_company_name_with_markup_or_template_tags_is_mailed_as_plain_text():
    submit(company="<b>Acme</b> {% debug %} {{ settings.SECRET_KEY }}")
    notification = Email.objects.get()
    assert "&lt;b&gt;Acme&lt;/b&gt; {% debug %} {{ settings.SECRET_KEY }}" in (
        notification.html_message)
    assert "<b>Acme</b> {% debug %} {{ settings.SECRET_KEY }}" in notification.message


@pytest.mark.django_db
def test_a_line_break_in_the_company_name_cannot_add_mail_headers():
    submit(company="Acme\r\nBcc: victim@example.com")
    assert Email.objects.get().subject.endswith("Acme Bcc: victim@example.com")


@pytest.mark.django_db
def test_the_share_mail_is_in_the_visitors_language_with_an_absolute_link(settings):
    settings.SITE_URL = "https://advies.example.nl"
    with time_machine.travel(MARCH_15, tick=False):
        submission = create_submission(answers=FLAT_ANSWERS, language="en", contact={
            "name": "Tom", "company": "Acme", "email": "tom@acme.example", "phone": "",
            "question": ""})
        [mail] = queue_share_mails(submission=submission, recipients=["tom@acme.example"])
    link = f"https://advies.example.nl/en/advies/{submission.token}/"
    assert link in mail.message
    assert f'href="{link}"' in mail.html_message
    assert "13 June 2026" in mail.message  # the link's expiry date, 90 days on


@pytest.mark.django_db(transaction=True)
def test_mail_is_delivered_as_branded_html_with_a_plain_text_alternative(smtp, settings):
    settings.DEFAULT_FROM_EMAIL = "keuzehulp@devries-it.example"
    smtp.start()
    submission = submit()
    queue_share_mails(submission=submission, recipients=[submission.email])
    run_worker()

    [shared] = smtp.to("eva@praktijkjansen.nl")
    assert shared["From"] == "keuzehulp@devries-it.example"
    assert shared["Reply-To"] == get_branding().email
    assert shared["Message-ID"] == Email.objects.get(to=[submission.email]).message_id
    plain = shared.get_body(("plain",)).get_content()
    html = shared.get_body(("html",)).get_content()
    assert submission.get_absolute_url() in plain
    assert get_branding().company_name in html
    # No images, fonts or style sheets fetched from elsewhere: nothing that tracks the reader.
    for outside in ("<img", "<link", "@import", "url(", "<script"):
        assert outside not in html


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
    response = client.post(reverse("advisor:share", args=[shared.token]),
                           {"to_self": "on", "colleague": "collega@bedrijf0.nl"})
    assert response.status_code == 302
    assert Submission.objects.count() == 3
    assert Email.objects.filter(status=STATUS.queued).count() == 5

    run_worker()  # the server still refuses: everything stays in the outbox for a retry
    assert smtp.messages == []
    assert Email.objects.filter(status=STATUS.requeued).count() == 5

    smtp.start()
    with time_machine.travel(timedelta(minutes=16)):
        run_worker()
    outbox = Counter((email.to[0], email.subject) for email in Email.objects.all())
    assert smtp.received() == outbox  # each mail exactly once
    assert {to for to, _ in outbox} == {
        consultant_address(), "eigenaar0@bedrijf0.nl", "collega@bedrijf0.nl"}
    assert Email.objects.filter(status=STATUS.sent).count() == 5

    with time_machine.travel(timedelta(hours=2)):
        run_worker()
    assert sum(smtp.received().values()) == 5
