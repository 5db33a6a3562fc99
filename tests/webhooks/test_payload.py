"""What the CRM gets: the lead, its answers and advice as Dutch labels, a back-office link
(never the visitor's report link), signed as Standard Webhooks asks, and only for leads
whose privacy statement named the CRM."""

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from advisor.funnel.sources import Source
from advisor.models import FollowUpStatus, WebhookDelivery, WebhookEvent
from advisor.privacy.consent import PRIVACY_STATEMENT_VERSION
from advisor.questionnaire.services import create_submission
from advisor.webhooks.events import queue_status_changed, queue_test_event
from advisor.webhooks.profile import WebhookConfig, current_config, replace_secret
from advisor.webhooks.signing import new_secret, new_webhook_id, signed_headers
from tests.factories import make_lead
from tests.webhooks.conftest import connect_crm

README = Path(__file__).resolve().parents[2] / "README.md"
FLAT = {"team_size": "6_15", "sector": "healthcare_patient", "sensitive_data": "lots"}
CONTACT = {"name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
           "email": "eva@praktijkjansen.example", "phone": "06 12345678",
           "question": "Kunnen we voor de zomer over?"}


def payload_of(delivery: WebhookDelivery) -> dict:
    return json.loads(delivery.body)


@pytest.fixture
def unposted(django_capture_on_commit_callbacks):
    """Events are written, their jobs not deferred (no commit callbacks run)."""
    return lambda: django_capture_on_commit_callbacks(execute=False)


@pytest.fixture
def lead_sent(receiver, settings, unposted):
    """A new lead in English, its lead.created written (not posted: no commit callbacks run)."""
    settings.SITE_URL = "https://advies.example.nl"
    connect_crm(receiver)
    with unposted():
        lead = create_submission(answers=FLAT, contact=CONTACT, language="en")
    return lead, WebhookDelivery.objects.get()


@pytest.mark.django_db
def test_a_new_lead_is_described_with_its_contact_details_and_a_back_office_link(lead_sent):
    lead, delivery = lead_sent
    payload = payload_of(delivery)
    assert payload["type"] == "lead.created"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", payload["timestamp"])
    data = payload["data"]["lead"]
    assert {key: data[key] for key in CONTACT} == CONTACT
    assert (data["id"], data["language"], data["status"], data["status_label"]) == (
        lead.pk, "en", "new", "Nieuw")
    change = reverse("admin:advisor_submission_change", args=[lead.pk])
    assert data["url"] == f"https://advies.example.nl{change}"
    assert data["report_url"].startswith(f"https://advies.example.nl{change.rsplit('/', 2)[0]}")
    # The visitor's own report link opens without a login: it never leaves the site.
    assert lead.token not in delivery.body


@pytest.mark.django_db
def test_a_lead_says_which_campaign_brought_it_and_which_lead_its_check_up_continues(
        receiver, unposted):
    connect_crm(receiver)
    with unposted():
        earlier = create_submission(answers=FLAT, contact=CONTACT, language="nl")
        later = create_submission(
            answers=FLAT, contact=CONTACT, language="nl", previous=earlier,
            source=Source("nieuwsbrief", "email", "voorjaar", "www.devries-it.nl"))
    first, second = (payload_of(WebhookDelivery.objects.get(submission=lead))["data"]["lead"]
                     for lead in (earlier, later))
    assert first["source"] == {"utm_source": "", "utm_medium": "", "utm_campaign": "",
                               "referrer_host": ""}
    assert first["previous_id"] is None
    assert second["source"] == {"utm_source": "nieuwsbrief", "utm_medium": "email",
                                "utm_campaign": "voorjaar", "referrer_host": "www.devries-it.nl"}
    assert second["previous_id"] == earlier.pk


@pytest.mark.django_db
def test_answers_and_advice_are_labelled_in_dutch_whatever_the_visitors_language(lead_sent):
    _lead, delivery = lead_sent
    data = payload_of(delivery)["data"]
    team = next(a for a in data["answers"] if a["question_key"] == "team_size")
    assert team["answer_key"] == "6_15"
    assert team["question"].startswith("Hoeveel")
    assert "medewerkers" in team["answer"] or "mensen" in team["answer"]
    advice = data["advice"]
    assert advice["verdict"] == "m365"
    assert advice["verdict_label"] == "Microsoft 365"
    assert isinstance(advice["clear"], bool)
    assert advice["plan_label"].startswith("Microsoft 365")
    assert advice["measures"] and all(m["key"] and m["title"] for m in advice["measures"])
    assert "Logging en monitoring" in {measure["title"] for measure in advice["measures"]}
    assert "past beter bij jouw bedrijf" in advice["headline"]


@pytest.mark.django_db
def test_a_status_change_carries_the_old_and_the_new_status(crm, unposted):
    with unposted():
        lead = create_submission(answers=FLAT, contact=CONTACT, language="nl")
        lead.status = FollowUpStatus.PROPOSAL_SENT
        lead.save()
        queue_status_changed(submission=lead, old_status=FollowUpStatus.NEW)
    change = WebhookDelivery.objects.get(event=WebhookEvent.LEAD_STATUS_CHANGED)
    data = payload_of(change)["data"]
    assert data["status_change"] == {"old": "new", "old_label": "Nieuw",
                                     "new": "proposal_sent", "new_label": "Offerte verstuurd"}
    assert data["lead"]["status"] == "proposal_sent"
    assert change.webhook_id != WebhookDelivery.objects.get(
        event=WebhookEvent.LEAD_CREATED).webhook_id


@pytest.mark.django_db
def test_a_lead_whose_statement_did_not_name_the_crm_is_never_sent(crm):
    lead = make_lead()  # came in while the webhook was off
    assert lead.consent_version == PRIVACY_STATEMENT_VERSION
    lead.status = FollowUpStatus.CONTACTED
    assert queue_status_changed(submission=lead, old_status=FollowUpStatus.NEW) is None
    assert WebhookDelivery.objects.count() == 0


@pytest.mark.django_db
def test_the_test_event_has_the_shape_of_a_lead_and_nobodys_data(crm, unposted):
    with unposted():
        delivery = queue_test_event()
    payload = payload_of(delivery)
    assert (payload["type"], delivery.submission) == ("webhook.test", None)
    assert payload["data"]["lead"]["email"].endswith(".example")
    assert set(payload["data"]) == {"lead", "answers", "advice"}


@pytest.mark.django_db
def test_the_readme_example_has_the_keys_of_a_real_payload(receiver, unposted):
    text = README.read_text()
    section = text[text.index("## CRM webhook"):]
    example = json.loads(re.search(r"```json\n(.*?)\n```", section, re.S).group(1))
    connect_crm(receiver)
    with unposted():
        lead = create_submission(answers=FLAT, contact=CONTACT, language="nl")
        lead.status = FollowUpStatus.CONTACTED
        queue_status_changed(submission=lead, old_status=FollowUpStatus.NEW)
    real = payload_of(WebhookDelivery.objects.get(event=WebhookEvent.LEAD_STATUS_CHANGED))

    def shape(value):
        if isinstance(value, dict):
            return {key: shape(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shape(value[0])] if value else []
        return type(value).__name__

    assert shape(example) == shape(real)


# --- Signing -----------------------------------------------------------------------------


def test_a_signed_attempt_verifies_with_the_standard_webhooks_library():
    secret, body = new_secret(), '{"type":"lead.created"}'
    headers = signed_headers(webhook_id="msg_1", body=body, signing_secrets=[secret],
                             at=datetime.now(UTC))
    assert Webhook(secret).verify(body, headers) == {"type": "lead.created"}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body.replace("created", "deleted"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(body, headers)


def test_an_attempt_replayed_after_five_minutes_is_refused_by_the_receiver():
    secret, body = new_secret(), "{}"
    with time_machine.travel(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), tick=False):
        headers = signed_headers(webhook_id="msg_1", body=body, signing_secrets=[secret],
                                 at=datetime.now(UTC))
    with time_machine.travel(datetime(2026, 12, 1, 9, 6, tzinfo=UTC), tick=False), \
            pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(body, headers)


def test_secrets_and_ids_are_in_the_standard_format_and_never_repeat():
    secrets = {new_secret() for _ in range(50)}
    assert len(secrets) == 50
    assert all(re.fullmatch(r"whsec_[A-Za-z0-9+/]{43}=", secret) for secret in secrets)
    ids = {new_webhook_id() for _ in range(50)}
    assert len(ids) == 50 and all(i.startswith("msg_") for i in ids)


@pytest.mark.django_db
def test_after_a_new_secret_both_sign_for_a_day_then_only_the_new_one(crm):
    old = crm.webhook_secret
    changed = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(changed, tick=False):
        new = replace_secret(profile=crm).webhook_secret
    assert new != old
    config = current_config()
    for hours, verifiers in ((23, (old, new)), (25, (new,))):
        at = changed + timedelta(hours=hours)
        with time_machine.travel(at, tick=False):
            headers = signed_headers(webhook_id="msg_1", body="{}", at=at,
                                     signing_secrets=config.signing_secrets(now=at))
            for secret in verifiers:
                Webhook(secret).verify("{}", headers)
            if hours == 25:
                with pytest.raises(WebhookVerificationError):
                    Webhook(old).verify("{}", headers)


def test_a_test_event_needs_only_an_address_and_a_secret():
    config = WebhookConfig(enabled=False, url="https://crm.example/hook", on_new_lead=True,
                           on_status_change=True, secret=new_secret(), previous_secret="",
                           secret_changed_at=None)
    assert config.sends(WebhookEvent.TEST)
    assert not config.sends(WebhookEvent.LEAD_CREATED)
