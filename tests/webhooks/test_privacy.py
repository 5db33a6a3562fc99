"""Personal data that leaves for the consultant's CRM: the privacy statement says so, the
consent records it, and erasure, the retention purge and the export cover the deliveries."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from advisor.backoffice.privacy_requests import CRM_COPY_LEFT
from advisor.models import Submission, WebhookDelivery, WebhookEvent
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.privacy.services import erase_personal_data, export_personal_data, purge_expired
from advisor.webhooks.events import queue_test_event
from tests.conftest import CONTACT, complete_questionnaire
from tests.factories import PASSWORD, make_staff
from tests.jobs import run_due_jobs
from tests.webhooks.conftest import connect_crm

FLAT = {"team_size": "2_5"}


def statement(client: Client, language: str = "nl") -> str:
    with translation.override(language):
        return client.get(reverse("advisor:privacy")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [
    ("nl", "Je gegevens in ons klantsysteem (CRM)"),
    ("en", "Your details in our customer system (CRM)"),
])
def test_while_the_webhook_is_on_the_statement_says_the_details_go_to_the_crm(
    client, receiver, language, heading
):
    assert heading not in statement(client, language)
    connect_crm(receiver)
    page = statement(client, language)
    assert heading in page
    assert f"{PRIVACY_STATEMENT_VERSION}+crm" in page


@pytest.mark.django_db
def test_the_consent_records_the_statement_with_the_crm(client, receiver):
    connect_crm(receiver)
    complete_questionnaire(client)
    assert Submission.objects.get().consent_version == f"{PRIVACY_STATEMENT_VERSION}+crm"


@pytest.mark.django_db
def test_without_the_webhook_the_consent_records_the_plain_statement(client):
    complete_questionnaire(client)
    assert Submission.objects.get().consent_version == PRIVACY_STATEMENT_VERSION


@pytest.mark.django_db(transaction=True)
def test_erasure_removes_the_deliveries_with_the_lead_and_warns_about_the_crm_copy(crm,
                                                                                   receiver):
    complete_questionnaire(Client())
    run_due_jobs()
    assert WebhookDelivery.objects.filter(submission__email=CONTACT["email"]).count() == 1
    removed = erase_personal_data(email=CONTACT["email"])
    assert removed.crm_deliveries == 1
    assert WebhookDelivery.objects.count() == 0
    assert receiver.of_type("lead.created")  # what reached the CRM is the CRM's to delete


@pytest.mark.django_db(transaction=True)
def test_the_privacy_requests_page_counts_the_crm_deliveries_and_says_to_delete_them_there(
    crm, receiver, settings, client
):
    settings.ADMIN_REQUIRE_2FA = False  # the password alone confirms (2FA: tests/backoffice)
    client.force_login(make_staff())
    complete_questionnaire(Client())
    run_due_jobs()
    url = reverse("admin_privacy")
    review = client.post(url, {"email": CONTACT["email"], "action": "review"})
    assert "Door de webhook naar je CRM gestuurd: 1 keer" in review.content.decode()
    erased = client.post(url, {"email": CONTACT["email"], "action": "erase",
                               "identity-password": PASSWORD}, follow=True)
    assert escape(str(CRM_COPY_LEFT)) in erased.content.decode()
    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_export_holds_what_was_sent_to_the_crm(crm, receiver):
    complete_questionnaire(Client())
    run_due_jobs()
    exported = export_personal_data(email=CONTACT["email"])
    [delivery] = exported["crm_webhook_deliveries"]
    assert delivery["event"] == WebhookEvent.LEAD_CREATED
    assert delivery["status"] == "delivered"
    assert delivery["payload"]["data"]["lead"]["email"] == CONTACT["email"]
    json.dumps(exported)  # ready to hand over
    assert export_personal_data(email="iemand@anders.example")["crm_webhook_deliveries"] == []


@pytest.mark.django_db(transaction=True)
def test_the_purge_removes_deliveries_of_old_leads_and_old_test_events(crm, receiver):
    complete_questionnaire(Client())
    queue_test_event()
    run_due_jobs()
    assert WebhookDelivery.objects.count() == 2
    year_later = timezone.now() + timedelta(days=400)
    removed = purge_expired(now=year_later)
    assert removed.crm_deliveries == 2
    assert WebhookDelivery.objects.count() == 0
