"""The consultant's side of the CRM webhook, as a verified staff user in the back office:
setting it up in the profile, status changes that reach the CRM, the deliveries and
"send again"."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from advisor.backoffice.admin import WEBHOOK_TEST_NEEDS_ADDRESS, WEBHOOK_URL_NEEDED
from advisor.models import (
    ConsultantProfile,
    FollowUpStatus,
    Submission,
    WebhookDelivery,
    WebhookEvent,
    WebhookStatus,
)
from advisor.questionnaire.services import create_submission
from advisor.webhooks.destination import HTTPS_ONLY, MESSAGES, NOT_PUBLIC
from tests.conftest import CONTACT, complete_questionnaire
from tests.consultant.test_branding import profile_form
from tests.factories import make_lead, make_staff, verified_client
from tests.jobs import run_due_jobs, run_jobs_until
from tests.webhooks.conftest import connect_crm

FLAT = {"team_size": "6_15", "sector": "legal"}
PROFILE_ADD = "admin:advisor_consultantprofile_add"


@pytest.fixture
def consultant() -> Client:
    return verified_client(make_staff())


def change_url(lead: Submission) -> str:
    return reverse("admin:advisor_submission_change", args=[lead.pk])


def new_lead() -> Submission:
    return create_submission(answers=FLAT, contact=CONTACT, language="nl")


def webhook_form(url: str, **overrides) -> dict[str, object]:
    return profile_form(webhook_enabled="on", webhook_url=url, webhook_on_new_lead="on",
                        webhook_on_status_change="on", **overrides)


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


# --- Setting it up in the profile ----------------------------------------------------------


@pytest.mark.django_db
def test_the_profile_makes_the_signing_secret_for_the_consultant(consultant, settings):
    settings.WEBHOOK_ALLOW_LOCAL = True
    response = consultant.post(reverse(PROFILE_ADD), webhook_form("https://127.0.0.1:9/in"))
    assert response.status_code == 302, form_errors(response)
    profile = ConsultantProfile.objects.get()
    assert profile.webhook_enabled and profile.webhook_url == "https://127.0.0.1:9/in"
    assert profile.webhook_secret.startswith("whsec_")
    page = consultant.get(reverse("admin:advisor_consultantprofile_change",
                                  args=[profile.pk])).content.decode()
    assert profile.webhook_secret in page


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "message"), [
    ("http://crm.example.com/in", MESSAGES[HTTPS_ONLY]),
    ("https://10.0.0.5/in", MESSAGES[NOT_PUBLIC] % {"address": "10.0.0.5", "host": ""}),
    ("https://169.254.169.254/latest/", MESSAGES[NOT_PUBLIC] % {"address": "169.254.169.254",
                                                                "host": ""}),
    ("https://127.0.0.1:8443/in", MESSAGES[NOT_PUBLIC] % {"address": "127.0.0.1", "host": ""}),
])
def test_the_profile_refuses_plain_http_and_private_addresses_with_a_clear_message(
    consultant, settings, url, message
):
    settings.WEBHOOK_ALLOW_LOCAL = False
    response = consultant.post(reverse(PROFILE_ADD), webhook_form(url))
    assert response.status_code == 200
    assert form_errors(response)["webhook_url"] == [message]
    assert escape(str(message)) in response.content.decode()
    assert not ConsultantProfile.objects.exists()


@pytest.mark.django_db
def test_switching_the_webhook_on_needs_an_address(consultant):
    response = consultant.post(reverse(PROFILE_ADD), webhook_form(""))
    assert form_errors(response)["webhook_url"] == [WEBHOOK_URL_NEEDED]


@pytest.mark.django_db
def test_a_new_secret_replaces_the_old_one_which_keeps_signing_for_a_day(consultant, receiver):
    profile = connect_crm(receiver)
    old = profile.webhook_secret
    response = consultant.post(reverse("admin:advisor_consultantprofile_webhook_secret",
                                       args=[profile.pk]))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.webhook_secret != old and profile.webhook_previous_secret == old
    assert "24" in consultant.get(response["Location"]).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_test_event_from_the_profile_reaches_the_crm_and_is_listed(consultant, receiver):
    profile = connect_crm(receiver, webhook_enabled=False)  # tried before switching on
    response = consultant.post(reverse("admin:advisor_consultantprofile_webhook_test",
                                       args=[profile.pk]), follow=True)
    assert response.status_code == 200
    run_due_jobs()
    [event] = receiver.of_type("webhook.test")
    assert event["data"]["lead"]["company"] == "Voorbeeldbedrijf B.V."
    listing = consultant.get(reverse("admin:advisor_webhookdelivery_changelist"))
    page = listing.content.decode()
    assert "(testgebeurtenis)" in page
    assert "HTTP 200" in page


@pytest.mark.django_db
def test_a_test_event_without_a_saved_address_says_what_to_do(consultant):
    profile = ConsultantProfile.from_settings()
    profile.pk = ConsultantProfile.SINGLETON_ID
    profile.save()
    response = consultant.post(reverse("admin:advisor_consultantprofile_webhook_test",
                                       args=[profile.pk]), follow=True)
    assert escape(str(WEBHOOK_TEST_NEEDS_ADDRESS)) in response.content.decode()
    assert WebhookDelivery.objects.count() == 0


# --- Status changes ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_status_change_in_the_back_office_sends_lead_status_changed(consultant, crm, receiver):
    complete_questionnaire(Client())
    lead = Submission.objects.get()
    response = consultant.post(change_url(lead), {"status": FollowUpStatus.CONTACTED,
                                                  "notes": "Gebeld."})
    assert response.status_code == 302
    run_due_jobs()
    [created] = receiver.of_type("lead.created")
    [changed] = receiver.of_type("lead.status_changed")
    assert all(request.verified for request in receiver.received)
    assert changed["data"]["status_change"] == {
        "old": "new", "old_label": "Nieuw", "new": "contacted", "new_label": "Contact opgenomen"}
    assert changed["data"]["lead"]["id"] == created["data"]["lead"]["id"] == lead.pk


@pytest.mark.django_db(transaction=True)
def test_saving_a_lead_without_a_new_status_sends_nothing_more(consultant, crm, receiver):
    lead = new_lead()
    consultant.post(change_url(lead), {"status": FollowUpStatus.NEW, "notes": "Later bellen."})
    run_due_jobs()
    assert [p["type"] for p in receiver.processed.values()] == ["lead.created"]


@pytest.mark.django_db(transaction=True)
def test_status_changes_can_be_left_out(consultant, receiver):
    connect_crm(receiver, webhook_on_status_change=False)
    lead = new_lead()
    consultant.post(change_url(lead), {"status": FollowUpStatus.LOST})
    run_due_jobs()
    assert [p["type"] for p in receiver.processed.values()] == ["lead.created"]


# --- Deliveries and "send again" -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_lead_page_shows_its_deliveries_and_sends_a_failed_one_again(consultant, crm,
                                                                          receiver):
    receiver.answer_with(410)
    lead = new_lead()
    run_due_jobs()
    failed = WebhookDelivery.objects.get()
    assert failed.status == WebhookStatus.FAILED
    page = consultant.get(change_url(lead)).content.decode()
    assert "HTTP 410" in page and "mislukt" in page
    resend = reverse("admin:advisor_webhookdelivery_send_again", args=[failed.pk])
    assert f'formaction="{resend}?back=lead"' in page

    response = consultant.post(f"{resend}?back=lead")
    assert response["Location"] == change_url(lead)
    run_due_jobs()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (WebhookStatus.DELIVERED, 2)
    assert receiver.ids() == [failed.webhook_id] * 2  # the same event, recognisably
    assert len(receiver.processed) == 1


@pytest.mark.django_db(transaction=True)
def test_send_again_waits_for_a_retry_that_is_already_planned(consultant, crm, receiver,
                                                              settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 600  # the planned retry is well ahead
    receiver.stop()
    new_lead()
    run_due_jobs()
    waiting = WebhookDelivery.objects.get()
    assert waiting.next_attempt_at is not None
    response = consultant.post(reverse("admin:advisor_webhookdelivery_send_again",
                                       args=[waiting.pk]), follow=True)
    assert "al opnieuw geprobeerd" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.attempts == 1


@pytest.mark.django_db(transaction=True)
def test_the_delivery_list_shows_event_lead_status_attempts_and_last_result(consultant, crm,
                                                                           receiver):
    receiver.answer_with(503)
    lead = new_lead()
    run_due_jobs()
    page = consultant.get(reverse("admin:advisor_webhookdelivery_changelist")).content.decode()
    for shown in ("nieuwe aanvraag", lead.company, "wordt verstuurd", "volgende poging",
                  "HTTP 503", change_url(lead)):
        assert shown in page
    delivery = WebhookDelivery.objects.get()
    detail = consultant.get(reverse("admin:advisor_webhookdelivery_change", args=[delivery.pk]))
    text = detail.content.decode()
    assert delivery.webhook_id in text
    assert escape(json.dumps(lead.email)) in text  # the payload, for reading


@pytest.mark.django_db(transaction=True)
def test_send_again_for_several_deliveries_at_once(consultant, crm, receiver):
    receiver.answer_with(400, 400)
    new_lead(), new_lead()
    run_due_jobs()
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        WebhookStatus.FAILED}
    consultant.post(reverse("admin:advisor_webhookdelivery_changelist"), {
        "action": "send_deliveries_again",
        "_selected_action": list(WebhookDelivery.objects.values_list("pk", flat=True))})
    run_jobs_until(lambda: not WebhookDelivery.objects.exclude(
        status=WebhookStatus.DELIVERED).exists())
    assert len(receiver.processed) == 2


@pytest.mark.django_db
def test_a_lead_from_before_the_webhook_says_why_it_was_not_sent(consultant, crm):
    page = consultant.get(change_url(make_lead())).content.decode()
    assert "privacyverklaring" in page
    assert WebhookEvent.LEAD_CREATED not in page


@pytest.mark.django_db
def test_deliveries_are_read_only_and_kept_from_anyone_not_logged_in(client, consultant, crm):
    lead = make_lead()
    delivery = WebhookDelivery.objects.create(submission=lead, event=WebhookEvent.LEAD_CREATED,
                                              webhook_id="msg_x", body="{}")
    for url in (reverse("admin:advisor_webhookdelivery_changelist"),
                reverse("admin:advisor_webhookdelivery_change", args=[delivery.pk])):
        assert client.get(url)["Location"].startswith(reverse("admin:login"))
    resend = reverse("admin:advisor_webhookdelivery_send_again", args=[delivery.pk])
    assert client.post(resend)["Location"].startswith(reverse("admin:login"))
    assert consultant.get(resend).status_code == 405
    assert consultant.get(reverse("admin:advisor_webhookdelivery_add")).status_code == 403
