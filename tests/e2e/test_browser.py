"""A visitor on a phone completes the questionnaire in a real browser (headless Chromium)."""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from advisor.models import Submission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
# Screenshots for a person to look at; not compared by the tests.
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

CHOICES = {
    "business": ["Alleen ik", "Juridisch", "Ja, regelmatig", "Een beetje"],
}


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the
    # tests are still synchronous, so Django's async guard must stand aside here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                  locale="nl-NL")
    page = context.new_page()
    external = []
    page.on("request", lambda request: external.append(request.url)
            if not request.url.startswith(("http://localhost", "data:")) else None)
    yield page
    context.close()
    assert external == [], f"third-party requests: {external}"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def pick_first_choice_of_each_question(page: Page) -> None:
    for fieldset in page.locator("form.questionnaire fieldset").all():
        fieldset.locator("label.form-check-label").first.click()


def test_a_visitor_on_a_phone_gets_advice_without_any_javascript_of_ours(live_server, phone):
    phone.goto(live_server.url + "/")
    assert no_horizontal_scroll(phone)
    shot(phone, "01-home-phone")
    phone.locator("a.btn-brand").first.click()

    # The number of steps depends on the answers: a step about the current e-mail is added
    # once the visitor says what they use now.
    for index in range(1, 8):
        if phone.locator("input[name=name]").count():
            break
        counter = phone.locator(".step-counter").inner_text()
        assert re.search(rf"\b{index} (van|of) [67]$", counter), counter
        if index == 1:
            shot(phone, "02-step-phone")
            # Next without answering: a clear message, no lost page.
            phone.locator("form.questionnaire .btn-brand").click()
            assert phone.locator(".invalid-feedback, .alert-danger").first.is_visible()
            shot(phone, "03-step-errors-phone")
        pick_first_choice_of_each_question(phone)
        assert no_horizontal_scroll(phone)
        phone.locator("form.questionnaire .btn-brand").click()

    phone.fill("input[name=name]", "Eva Jansen")
    phone.fill("input[name=company]", "Bakkerij Jansen")
    phone.fill("input[name=email]", "eva@bakkerij-jansen.nl")
    phone.check("input[name=consent]")
    shot(phone, "04-contact-phone")
    phone.locator("form.questionnaire .btn-brand").click()

    phone.wait_for_url("**/advies/**")
    assert no_horizontal_scroll(phone)
    shot(phone, "05-result-phone")
    submission = Submission.objects.get()
    assert submission.company == "Bakkerij Jansen"
    assert phone.locator(".verdict-headline").inner_text().strip()
    assert phone.locator(".measure").count() >= 1


def test_the_result_page_on_a_laptop(live_server, browser):
    from advisor.questionnaire.services import create_submission

    submission = create_submission(
        answers={"sector": "legal", "sensitive_data": "lots", "team_size": "6_15"},
        contact={"name": "Eva Jansen", "company": "Jansen Advocaten", "email": "eva@jansen.nl"},
        language="nl",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + submission.get_absolute_url())
    assert page.locator(".measure").count() == 4
    assert no_horizontal_scroll(page)
    shot(page, "06-result-laptop")
    context.close()
