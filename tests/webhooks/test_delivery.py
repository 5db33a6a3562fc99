"""The CRM webhook end to end: a visitor's lead reaches a real HTTPS receiver on loopback,
which verifies the Standard Webhooks signature; down, slow and failing receivers get it
once they take it, under the same webhook-id; a refusal is final."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from advisor.models import Submission, WebhookDelivery, WebhookEvent, WebhookStatus
from advisor.privacy.consent import statement_version
from advisor.webhooks import delivery as webhook_delivery
from advisor.webhooks.delivery import result_text, retry_after_seconds, retry_delay
from advisor.webhooks.events import queue_lead_created
from tests.conftest import CONTACT, complete_questionnaire
from tests.factories import new_lead
from tests.jobs import run_due_jobs, run_jobs_until
from tests.webhook_receiver import Answer
from tests.webhooks.conftest import connect_crm

pytestmark = pytest.mark.django_db(transaction=True)


def a_new_lead() -> Submission:
    """A lead whose visitor was told about the CRM, with only its webhook queued (no mail or
    PDF jobs beside it), and its first attempt made (a retry is not due yet)."""
    lead = new_lead()
    lead.consent_version = statement_version(crm=True)
    lead.save()
    queue_lead_created(submission=lead)
    run_due_jobs()  # on SQLite it ran in-process on commit already
    return lead


def the_delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


def delivered() -> bool:
    return not WebhookDelivery.objects.exclude(status=WebhookStatus.DELIVERED).exists()


def settled() -> bool:
    return not WebhookDelivery.objects.filter(status=WebhookStatus.PENDING).exists()


def test_a_visitors_lead_reaches_the_crm_signed_and_verified(crm, receiver):
    response = complete_questionnaire(Client())
    lead = Submission.objects.get()
    assert response["Location"] == lead.get_absolute_url()
    run_due_jobs()

    [request] = receiver.received
    assert request.verified
    assert request.path == "/hooks/crm"
    assert request.headers["content-type"] == "application/json"
    assert request.payload["type"] == "lead.created"
    assert request.payload["data"]["lead"]["email"] == CONTACT["email"]
    delivery = the_delivery()
    assert request.webhook_id == delivery.webhook_id
    assert (delivery.submission, delivery.event, delivery.status, delivery.attempts,
            delivery.last_status_code) == (lead, WebhookEvent.LEAD_CREATED,
                                           WebhookStatus.DELIVERED, 1, 200)
    assert delivery.delivered_at is not None


def test_a_crm_that_is_down_gets_the_lead_once_it_is_back(crm, receiver):
    receiver.stop()
    assert receiver.refuses_connections()
    complete_questionnaire(Client())
    run_due_jobs()
    waiting = the_delivery()
    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        WebhookStatus.PENDING, 1, "ConnectError")
    assert result_text(waiting) == "ConnectError (geen verbinding)"
    assert waiting.next_attempt_at > waiting.last_attempt_at  # a retry is planned

    receiver.start()
    run_jobs_until(delivered)
    assert [payload["type"] for payload in receiver.processed.values()] == ["lead.created"]
    assert all(request.verified for request in receiver.received)
    assert the_delivery().attempts >= 2


def test_a_slow_crm_gets_the_event_again_under_the_same_webhook_id(crm, receiver, settings):
    settings.WEBHOOK_TIMEOUT = 0.5
    # It processes the first request but answers long after the site stopped waiting.
    receiver.answer_with(Answer(status=200, delay=5))
    a_new_lead()
    first = the_delivery()
    assert (first.status, first.last_error) == (WebhookStatus.PENDING, "ReadTimeout")

    run_jobs_until(delivered)
    delivery = the_delivery()
    assert receiver.ids() == [delivery.webhook_id] * 2
    assert list(receiver.processed) == [delivery.webhook_id]  # processed once
    assert (delivery.attempts, delivery.last_status_code) == (2, 200)


def test_server_errors_are_retried_no_sooner_than_retry_after_until_the_crm_takes_it(
    crm, receiver
):
    receiver.answer_with(Answer(status=503, headers={"Retry-After": "2"}), 500)
    a_new_lead()
    waiting = the_delivery()
    assert (waiting.status, waiting.last_status_code) == (WebhookStatus.PENDING, 503)
    # Half a second of back-off, but the receiver asked for two.
    assert waiting.next_attempt_at - waiting.last_attempt_at >= timedelta(seconds=2)

    run_jobs_until(delivered)
    delivery = the_delivery()
    assert (delivery.attempts, delivery.last_status_code) == (3, 200)
    assert receiver.ids() == [delivery.webhook_id] * 3
    assert len(receiver.processed) == 1


@pytest.mark.parametrize("status", [400, 404, 410, 422])
def test_a_refusal_is_final_and_never_retried(crm, receiver, status):
    receiver.answer_with(status, 200)
    a_new_lead()
    run_jobs_until(settled)
    run_due_jobs()
    delivery = the_delivery()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        WebhookStatus.FAILED, 1, status)
    assert len(receiver.received) == 1
    assert result_text(delivery) == f"HTTP {status} (geweigerd door de ontvanger)"


@pytest.mark.parametrize("status", [408, 429])
def test_a_request_timeout_or_too_many_requests_is_retried(crm, receiver, status):
    receiver.answer_with(status)
    a_new_lead()
    run_jobs_until(delivered)
    assert the_delivery().attempts == 2


def test_a_crm_with_another_secret_refuses_the_webhook_and_it_is_not_retried(crm, receiver):
    receiver.secrets = ["whsec_" + "c2VjcmV0IG9mIGFub3RoZXIgc2l0ZSwgMzIgYnl0ZXMh"]
    a_new_lead()
    run_jobs_until(settled)
    [request] = receiver.received
    assert not request.verified
    assert (the_delivery().status, the_delivery().last_status_code) == (
        WebhookStatus.FAILED, 401)


def test_after_the_last_retry_the_delivery_stays_failed_and_visible(crm, receiver, settings):
    settings.WEBHOOK_MAX_RETRIES = 2
    receiver.answer_with(503, 503, 503, 503)
    a_new_lead()
    run_jobs_until(settled)
    delivery = the_delivery()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (
        WebhookStatus.FAILED, 3, 503)
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == 3  # the first try and two retries


def test_a_redirect_is_not_followed(crm, receiver):
    receiver.answer_with(Answer(status=307, headers={"Location": "https://example.com/"}))
    a_new_lead()
    run_jobs_until(settled)
    delivery = the_delivery()
    assert (delivery.status, delivery.last_status_code) == (WebhookStatus.FAILED, 307)
    assert result_text(delivery) == "HTTP 307 (doorverwijzingen worden niet gevolgd)"


def test_a_certificate_the_site_does_not_trust_is_a_clear_error(crm, receiver, settings):
    settings.WEBHOOK_CA_BUNDLE = ""  # only public CAs: the receiver's throwaway CA is not one
    a_new_lead()
    delivery = the_delivery()
    assert (delivery.status, delivery.last_error) == (WebhookStatus.PENDING,
                                                      "SSLCertVerificationError")
    assert receiver.received == []
    assert result_text(delivery) == (
        "SSLCertVerificationError (het certificaat werd niet geaccepteerd)")


def test_a_host_name_is_checked_against_the_certificate_and_reaches_the_crm(receiver):
    # localhost resolves to a loopback address; the connection goes to that address, while
    # the Host header and the certificate check use the name.
    connect_crm(receiver, webhook_url=receiver.url_as("localhost"))
    a_new_lead()
    [request] = receiver.received
    assert request.verified
    assert request.headers["host"] == f"localhost:{receiver.port}"
    assert the_delivery().status == WebhookStatus.DELIVERED


def test_every_attempt_is_signed_at_its_own_time(crm, receiver):
    receiver.answer_with(500)
    a_new_lead()
    run_jobs_until(delivered)
    first, second = receiver.received
    assert first.webhook_id == second.webhook_id
    # The body is the same bytes each time; only the timestamp (and so the signature) moves.
    assert first.payload == second.payload
    assert int(second.headers["webhook-timestamp"]) >= int(first.headers["webhook-timestamp"])


def test_switched_off_nothing_is_written_or_sent(receiver):
    connect_crm(receiver, webhook_enabled=False)
    complete_questionnaire(Client())
    run_due_jobs()
    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_new_leads_can_be_left_out_while_status_changes_are_sent(receiver):
    connect_crm(receiver, webhook_on_new_lead=False)
    complete_questionnaire(Client())
    run_due_jobs()
    assert WebhookDelivery.objects.count() == 0


def test_a_delivery_switched_off_before_it_was_sent_fails_with_that_reason(crm, receiver):
    receiver.stop()
    a_new_lead()
    crm.webhook_enabled = False
    crm.save()
    receiver.start()
    run_jobs_until(settled)
    delivery = the_delivery()
    assert (delivery.status, delivery.last_error) == (WebhookStatus.FAILED, "SwitchedOff")
    assert receiver.received == []


def test_the_log_holds_neither_the_payload_nor_the_address(crm, receiver, caplog):
    caplog.set_level(logging.DEBUG, logger="advisor")
    caplog.set_level(logging.INFO)
    receiver.answer_with(503)
    complete_questionnaire(Client())
    run_jobs_until(delivered)
    logged = caplog.text
    assert "Webhook delivery" in logged  # it is logged, by id
    for secret in (receiver.url, receiver.path, str(receiver.port), CONTACT["company"],
                   CONTACT["email"], CONTACT["name"], crm.webhook_secret):
        assert secret not in logged


# --- The retry schedule, computed ----------------------------------------------------------


def test_retries_back_off_from_thirty_seconds_to_an_hour_for_about_a_day(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MINUTES = 30, 60
    settings.WEBHOOK_MAX_RETRIES = 30
    waits = [retry_delay(n).total_seconds() for n in range(30)]
    assert waits[:8] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert max(waits) == 3600
    assert 23 * 3600 < sum(waits) < 25 * 3600


def test_retry_after_is_respected_within_bounds(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MINUTES = 30, 60
    assert retry_delay(0, retry_after=120) == timedelta(seconds=120)  # later, as asked
    assert retry_delay(3, retry_after=5) == timedelta(seconds=240)  # never sooner than back-off
    assert retry_delay(0, retry_after=86_400) == timedelta(hours=1)  # at most an hour


def test_retry_after_is_read_as_seconds_or_as_a_date():
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now=now) == 120
    assert retry_after_seconds("Tue, 01 Dec 2026 09:05:00 GMT", now=now) == 300
    assert retry_after_seconds("Tue, 01 Dec 2026 08:00:00 GMT", now=now) == 0
    assert retry_after_seconds("soon", now=now) is None
    assert retry_after_seconds(None, now=now) is None


def test_delivering_an_erased_lead_posts_nothing(crm, receiver):
    receiver.stop()
    a_new_lead()
    delivery = the_delivery()
    Submission.objects.all().delete()
    assert webhook_delivery.deliver(delivery_id=delivery.pk, retries_done=1) == (
        webhook_delivery.GONE)
    receiver.start()
    run_due_jobs()
    assert receiver.received == []


def test_a_delivery_that_broke_off_for_another_reason_is_tried_again(crm, receiver, monkeypatch):
    # The database (say) went away in the middle: the delivery is still waiting, and its job
    # must not end there.
    calls = []
    real_post = webhook_delivery.post

    def flaky_post(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("connection to the database lost")
        return real_post(*args, **kwargs)

    monkeypatch.setattr(webhook_delivery, "post", flaky_post)
    a_new_lead()
    assert the_delivery().status == WebhookStatus.PENDING
    run_jobs_until(delivered)
    assert len(receiver.processed) == 1
