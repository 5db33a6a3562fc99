"""The result page offers the consultant's next step right under the verdict."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from advisor.questionnaire.services import create_submission
from tests.conftest import ANSWERS

pytestmark = pytest.mark.django_db
FLAT_ANSWERS = {key: value for step in ANSWERS.values() for key, value in step.items()}


def result_page(client, settings, company="Jansen & Zn <B.V.>", **branding) -> str:
    settings.BRANDING = {**settings.BRANDING, **branding}
    submission = create_submission(answers=FLAT_ANSWERS, language="nl", contact={
        "name": "Eva Jansen", "company": company, "email": "eva@jansen.example"})
    return client.get(submission.get_absolute_url()).content.decode()


def hrefs(page: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', page)]


def destinations(client, part: str) -> list[str]:
    """Where each contact button in this part of the page leads: through our own address
    (which counts the click), on to the booking page, phone or e-mail program."""
    found = []
    for href in hrefs(part):
        if "/contact/" in href:
            response = client.get(href)
            assert response.status_code == 302
            found.append(response["Location"])
    return found


def test_booking_phone_and_email_are_offered_before_the_reasons(client, settings):
    page = result_page(client, settings, booking_url="https://cal.example/sanne",
                       phone="+31 6 12345678", email="sanne@devries.example")
    offer = page[page.index('class="verdict-headline"'):page.index('id="reasons"')]
    leads_to = destinations(client, offer)
    assert leads_to[:2] == ["https://cal.example/sanne", "tel:+31612345678"]
    assert leads_to[2].startswith("mailto:sanne@devries.example?subject=")


def test_without_a_booking_page_the_offer_is_phone_and_email(client, settings):
    page = result_page(client, settings, booking_url="")
    offer = page[page.index('class="verdict-headline"'):page.index('id="reasons"')]
    assert [href.split(":")[0] for href in destinations(client, offer)] == ["tel", "mailto"]
    assert "contact-action-book" not in offer


def test_the_mailto_subject_is_encoded_once_so_the_mail_says_the_company_name(client, settings):
    page = result_page(client, settings)
    mailtos = [href for href in destinations(client, page) if href.startswith("mailto:")]
    assert len(mailtos) == 2  # under the verdict and at the end
    for href in mailtos:
        assert parse_qs(urlsplit(href).query)["subject"] == ["E-mailadvies Jansen & Zn <B.V.>"]


def test_a_contact_button_the_consultant_does_not_offer_is_not_found(client, settings):
    page = result_page(client, settings, booking_url="")
    token = re.search(r"/advies/([\w-]+)/contact/", page).group(1)
    assert client.get(f"/advies/{token}/contact/book/").status_code == 404
    assert client.get(f"/advies/{token}/contact/javascript/").status_code == 404
