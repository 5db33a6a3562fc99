"""Whole pages from the cache (advisor/web/fragments.py, shared_page): the home page and the
steps of radio questions are rendered once, yet every visitor gets a CSRF token and a CSP
nonce of their own, with which their forms work; a campaign's visitor gets their own start
link, and the contact step (what the visitor typed) is never cached."""

import re

import pytest
from django.test import Client

from advisor.lib import fragments
from advisor.web.fragments import CSRF_STAND_IN, NONCE_STAND_IN
from tests.conftest import ANSWERS, MANAGEMENT, STEP_NAMES

pytestmark = pytest.mark.django_db

FIRST, SECOND = STEP_NAMES[0], STEP_NAMES[1]


@pytest.fixture(autouse=True)
def _empty_process_cache(monkeypatch):
    """Nothing rendered in this process before the test (the shared cache is fresh per test)."""
    monkeypatch.setattr(fragments, "_local", fragments._LocalEntries(fragments.LOCAL_ENTRIES))


def token(html: str) -> str:
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1, tokens  # the language switch's and the step's are the same
    return tokens.pop()


def nonce(html: str) -> str:
    return re.search(r'<style nonce="([^"]+)"', html).group(1)


def header_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


def test_the_home_page_is_rendered_once_and_each_visitor_gets_their_own_token_and_nonce(
        renders):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    one, two = first.get("/"), second.get("/")

    assert renders.count("advisor/home.html") == 1  # the second visitor's came from the cache
    pages = one.content.decode(), two.content.decode()
    assert token(pages[0]) != token(pages[1])
    assert nonce(pages[0]) != nonce(pages[1])
    for response, page in zip((one, two), pages, strict=True):
        assert CSRF_STAND_IN not in page and NONCE_STAND_IN not in page
        assert nonce(page) == header_nonce(response)  # the brand style is allowed to apply

    # Each visitor's own token works in their language switch; the other visitor's does not.
    switch = {"language": "en", "next": "/"}
    assert second.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": token(pages[0])}
                       ).status_code == 403
    assert first.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": token(pages[0])}
                      ).status_code == 302
    assert second.post("/i18n/setlang/", {**switch, "csrfmiddlewaretoken": token(pages[1])}
                       ).status_code == 302


def test_a_campaign_visitor_gets_their_own_start_link_and_nobody_else_does(renders):
    plain = Client().get("/").content.decode()
    campaign = Client().get("/?utm_source=nieuwsbrief&utm_campaign=najaar").content.decode()
    plain_again = Client().get("/").content.decode()

    assert "utm_source=nieuwsbrief" in campaign and "utm_campaign=najaar" in campaign
    assert "utm_source" not in plain and "utm_source" not in plain_again
    assert renders.count("advisor/home.html") == 2  # the plain page once, the campaign's live


def test_a_step_from_the_cache_posts_with_the_visitors_own_token(questionnaire, renders):
    visitors = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        page = client.get(questionnaire.url(FIRST)).content.decode()
        response = client.post(questionnaire.url(FIRST), {
            **ANSWERS[FIRST], "csrfmiddlewaretoken": token(page), MANAGEMENT: FIRST})
        assert response.status_code == 302, response.status_code
        visitors.append(client)
    renders.clear()

    pages = [client.get(questionnaire.url(SECOND)).content.decode() for client in visitors]

    assert renders.count("advisor/step.html") == 1  # the same choices: the second from cache
    assert token(pages[0]) != token(pages[1])
    for client, page in zip(visitors, pages, strict=True):
        response = client.post(questionnaire.url(SECOND), {
            **ANSWERS[SECOND], "csrfmiddlewaretoken": token(page), MANAGEMENT: SECOND})
        assert response.status_code == 302, response.status_code


def test_the_contact_step_is_never_cached(questionnaire, renders):
    client = Client()
    refused = questionnaire.complete(client, contact={
        "name": "Eva Jansen", "company": "Praktijk Jansen", "email": "not-an-address"})
    assert 'value="Eva Jansen"' in refused.content.decode()  # what she typed, shown back
    renders.clear()

    for _ in range(2):
        assert client.get(questionnaire.url(questionnaire.contact_step)).status_code == 200

    assert renders.count("advisor/step.html") == 2
