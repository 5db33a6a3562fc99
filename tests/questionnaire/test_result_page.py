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


def test_booking_phone_and_email_are_offered_before_the_reasons(client, settings):
    page = result_page(client, settings, booking_url="https://cal.example/sanne",
                       phone="+31 6 12345678", email="sanne@devries.example")
    offer = page[page.index('class="verdict-headline"'):page.index('id="reasons"')]
    assert 'href="https://cal.example/sanne"' in offer
    assert 'href="tel:+31612345678"' in offer
    assert "mailto:sanne@devries.example?subject=" in offer


def test_without_a_booking_page_the_offer_is_phone_and_email(client, settings):
    page = result_page(client, settings, booking_url="")
    offer = page[page.index('class="verdict-headline"'):page.index('id="reasons"')]
    assert "tel:" in offer and "mailto:" in offer
    assert "contact-action-book" not in offer


def test_the_mailto_subject_is_encoded_once_so_the_mail_says_the_company_name(client, settings):
    page = result_page(client, settings)
    mailtos = [href for href in hrefs(page) if href.startswith("mailto:") and "?" in href]
    assert mailtos
    for href in mailtos:
        assert parse_qs(urlsplit(href).query)["subject"] == ["E-mailadvies Jansen & Zn <B.V.>"]
