"""The consultant connects the CRM in Chromium: switches the webhook on in the profile, copies
the secret the site made into the CRM (a real HTTPS receiver on loopback that verifies every
signature), sends a test event, and sees it delivered; then a new lead and a status change
arrive there too, and the lead's page lists them."""

import pytest
from django.conf import settings
from django_otp.oath import totp
from playwright.sync_api import expect

from advisor.models import (
    FollowUpStatus,
    Submission,
    WebhookDelivery,
    WebhookEvent,
    WebhookStatus,
)
from advisor.questionnaire.services import create_submission
from tests.conftest import ANSWERS
from tests.e2e import test_consultant
from tests.e2e.conftest import LAPTOP, PHONE, Visit
from tests.factories import PASSWORD
from tests.jobs import wait_until
from tests.webhooks import conftest as webhook_fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The real receiver and its throwaway CA (tests/webhooks/conftest.py), and a staff user with
# an authenticator app (tests/e2e/test_consultant.py).
webhook_ca = webhook_fixtures.webhook_ca
receiver = webhook_fixtures.receiver
consultant = test_consultant.consultant
in_dutch = test_consultant.in_dutch


def test_the_consultant_connects_the_crm_and_sees_what_was_delivered(visit, consultant,
                                                                      receiver):
    v: Visit = visit("crm-webhook-laptop-nl", viewport=LAPTOP, locale="nl-NL")
    page = v.page
    v.goto(f"/{settings.ADMIN_URL}")
    page.fill("input[name=username]", "sanne")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", f"{totp(consultant.bin_key):06d}")
    page.get_by_role("button", name="Inloggen").click()

    # The profile: switch the webhook on and give the address the CRM gave.
    page.locator(".backoffice-start a[href*=consultantprofile]").click()
    page.get_by_label("aanvragen naar mijn CRM sturen").check()
    page.get_by_label("webhookadres").fill(receiver.url)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    secret = page.locator("code.webhook-secret").inner_text()
    assert secret.startswith("whsec_")
    receiver.secrets = [secret]  # pasted into the CRM
    in_dutch(page)
    v.check("profile-webhook")

    # A test event: delivered, signed with that secret.
    page.get_by_role("button", name="Stuur een testgebeurtenis").click()
    expect(page.locator(".messagelist")).to_contain_text("testgebeurtenis")
    # Posted by the worker (at once on SQLite, where the web process runs the jobs).
    wait_until(lambda: WebhookDelivery.objects.filter(
        event=WebhookEvent.TEST, status=WebhookStatus.DELIVERED).exists(), what="the test event")
    [test_event] = receiver.of_type("webhook.test")
    assert test_event["data"]["lead"]["company"] == "Voorbeeldbedrijf B.V."
    page.get_by_role("link", name="Bekijk wat er is verstuurd").click()
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("(testgebeurtenis)")
    expect(row).to_contain_text("afgeleverd")
    expect(row).to_contain_text("HTTP 200")
    in_dutch(page)
    v.check("deliveries")
    # One delivery: its webhook-id and the payload as it was posted.
    row.locator("a").first.click()
    expect(page.locator(".webhook-payload")).to_contain_text('"type": "webhook.test"')
    expect(page.locator(".field-webhook_id")).to_contain_text(receiver.ids()[0])
    in_dutch(page)
    v.check("delivery")
    page.go_back()

    # A new lead comes in, and the consultant marks it contacted.
    flat = {key: value for step in ANSWERS.values() for key, value in step.items()}
    lead = create_submission(answers=flat, language="nl", contact={
        "name": "Eva Jansen", "company": "Huisartsenpraktijk Jansen",
        "email": "eva@praktijkjansen.example", "phone": "", "question": ""})
    page.reload()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    page.locator("#result_list a", has_text="Huisartsenpraktijk Jansen").click()
    page.locator("select[name=status]").select_option(FollowUpStatus.CONTACTED)
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    panel = page.locator(".webhook-deliveries")
    expect(panel.locator("tbody tr")).to_have_count(2)
    expect(panel).to_contain_text("status gewijzigd")
    expect(panel).to_contain_text("nieuwe aanvraag")
    in_dutch(page)
    v.check("lead-deliveries")

    wait_until(lambda: len(receiver.processed) == 3 and set(
        lead.webhook_deliveries.values_list("status", flat=True)) == {WebhookStatus.DELIVERED},
        what="both events of the lead delivered")
    assert [p["type"] for p in receiver.processed.values()] == [
        "webhook.test", "lead.created", "lead.status_changed"]
    assert all(request.verified for request in receiver.received)
    assert set(lead.webhook_deliveries.values_list("status", flat=True)) == {
        WebhookStatus.DELIVERED}
    assert Submission.objects.get().status == FollowUpStatus.CONTACTED


def test_the_visitor_reads_in_the_privacy_statement_that_the_details_go_to_the_crm(visit,
                                                                                     receiver):
    webhook_fixtures.connect_crm(receiver)
    v: Visit = visit("crm-webhook-privacy-phone-nl", viewport=PHONE, locale="nl-NL")
    v.goto("/privacy/")
    section = v.page.get_by_role("heading", name="Je gegevens in ons klantsysteem (CRM)")
    expect(section).to_be_visible()
    expect(v.page.locator("main")).to_contain_text("verwerkersovereenkomst")
    expect(v.page.locator("main")).to_contain_text("+crm")
    assert v.no_horizontal_scroll()
    v.check("privacy")
