"""The funnel in Chromium: a visit through the questionnaire is counted exactly once (with
an error, a reload and Back on the way), sets no cookie of its own, sends no request to
another machine, and carries its campaign to the lead; also inside the consultant's own
website, through the embed snippet of the README."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import FrameLocator, Page, expect

from advisor.funnel.report import funnel_report
from advisor.models import Submission
from tests.e2e.conftest import LAPTOP, PHONE, Visit, the_page_updates_itself_until_the_pdf_is_ready
from tests.jobs import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
# The cookies the site needs (the session with the answers, the forms' CSRF token); the
# funnel adds none.
SITE_COOKIES = {"sessionid", "csrftoken"}


class ConsultantSite(BaseHTTPRequestHandler):
    """The consultant's own website on another origin, with the README's embed snippet."""

    snippet = ""

    def do_GET(self) -> None:
        body = (f"<!doctype html><html lang='nl'><title>De Vries IT</title><main>"
                f"<h1>Welkom</h1>{self.snippet}</main>")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def consultant_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), ConsultantSite)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def readme_snippet(address: str) -> str:
    """The embed snippet as the README gives it, with the site's address filled in."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Embedding in your website"):]
    snippet = re.search(r"```html\n(.*?)```", section, re.S).group(1)
    return snippet.replace("https://advies.devries-it.nl/", address)


def answer_and_next(target: Page | FrameLocator) -> None:
    for fieldset in target.locator("form.questionnaire fieldset").all():
        fieldset.locator("label.form-check-label").first.click()
    target.get_by_role("button", name="Volgende").click()


def fill_in_contact(target: Page | FrameLocator) -> None:
    target.locator("input[name=name]").fill("Eva Jansen")
    target.locator("input[name=company]").fill("Bakkerij Jansen")
    target.locator("input[name=email]").fill("eva@bakkerij-jansen.example")
    target.locator("input[name=consent]").check()
    target.get_by_role("button", name="Bekijk mijn advies").click()


def counts_today() -> dict:
    today = timezone.localdate()
    return funnel_report(first_day=today, last_day=today)


def test_a_visit_is_counted_once_without_a_cookie_of_its_own(visit, settings, live_server):
    v: Visit = visit("funnel-visit", viewport=PHONE)
    page = v.page
    page.goto(f"{live_server.url}/?utm_source=linkedin&utm_medium=social&utm_campaign=voorjaar",
              referer="https://www.linkedin.com/feed/")
    assert {cookie["name"] for cookie in page.context.cookies()} & {"sessionid"} == set()
    page.get_by_role("link", name="Start de vragenlijst").click()

    page.get_by_role("button", name="Volgende").click()  # nothing answered: an error
    expect(page.locator("#error-summary")).to_be_visible()
    answer_and_next(page)
    answer_and_next(page)
    page.reload()  # step 3 reloaded, then Back to step 2 and on again
    page.get_by_role("button", name="Vorige").click()
    expect(page.locator(".step-counter")).to_contain_text("Stap 2")
    page.get_by_role("button", name="Volgende").click()
    while not page.locator("input[name=name]").count():
        answer_and_next(page)
    v.check("contact")
    fill_in_contact(page)
    page.wait_for_url(re.compile(r".*/advies/[\w-]+/$"))
    page.reload()
    the_page_updates_itself_until_the_pdf_is_ready(page)
    v.check("result")

    submission = Submission.objects.get()
    wait_until(lambda: bool(Submission.objects.get().report_pdf), what="the stored report")
    with page.expect_download():
        page.locator("a.report-download").click()
    # The phone button: through our own address (counted), on to the phone (tel:).
    with page.expect_response(re.compile(r".*/contact/call/$")) as answer:
        page.locator("a.contact-action-call").first.click()
    assert answer.value.status == 302
    assert answer.value.headers["location"].startswith("tel:")
    # The booking site would not learn the report's address from it either.
    assert answer.value.headers["referrer-policy"] == "same-origin"

    assert {cookie["name"] for cookie in page.context.cookies()} <= SITE_COOKIES
    report = counts_today()
    steps = {step["step"]: (step["reached"], step["completed"]) for step in report["steps"]}
    asked = [name for name, (reached, _completed) in steps.items() if reached]
    assert all(steps[name] == (1, 1) for name in asked), steps
    assert asked[0] == "business" and asked[-1] == "contact"
    assert {key: report[key] for key in ("started", "submitted", "result_viewed",
                                         "pdf_downloaded", "shared", "cta_clicked")} == {
        "started": 1, "submitted": 1, "result_viewed": 1, "pdf_downloaded": 1, "shared": 0,
        "cta_clicked": 1}
    assert (submission.utm_source, submission.utm_medium, submission.utm_campaign,
            submission.referrer_host) == ("linkedin", "social", "voorjaar", "www.linkedin.com")


def test_embedded_in_the_consultants_site_the_lead_carries_that_pages_campaign(
        visit, settings, live_server, consultant_site):
    # Another origin on the same machine: "localhost" with its own port is the same site
    # as the live server, so its cookies work in the frame (as a subdomain would).
    parent = f"http://localhost:{consultant_site.server_port}"
    settings.EMBED_ALLOWED_ORIGINS = [parent]
    ConsultantSite.snippet = readme_snippet(f"{live_server.url}/")
    v: Visit = visit("funnel-embedded", viewport=LAPTOP)
    page = v.page
    page.goto(f"{parent}/diensten/e-mail?utm_source=nieuwsbrief&utm_campaign=december")
    frame = page.frame_locator("iframe[title=E-mailkeuzehulp]")
    inner = page.frames[1]
    # The snippet re-points the frame once the plain address has begun loading: on a busy
    # machine a click on the first page would land before the campaign's page replaced it.
    inner.wait_for_url("**utm_source=nieuwsbrief**")
    frame.get_by_role("link", name="Start de vragenlijst").click()
    expect(frame.locator(".step-counter")).to_contain_text("Stap 1")
    assert "utm_source=nieuwsbrief" in inner.url and "ref=localhost" in inner.url
    for number in range(2, 9):
        answer_and_next(frame)
        expect(frame.locator(".step-counter")).to_contain_text(f"Stap {number}")
        if frame.locator("input[name=name]").count():
            break
    v.check("embedded-contact")
    fill_in_contact(frame)
    expect(frame.locator(".verdict-headline")).to_be_visible()
    v.shot("embedded-result")

    lead = Submission.objects.get()
    # The campaign of the page the questionnaire is embedded in, and that page's host (the
    # frame's Referer holds only its origin).
    assert (lead.utm_source, lead.utm_campaign, lead.referrer_host) == (
        "nieuwsbrief", "december", "localhost")
    report = counts_today()
    assert report["sources"] == [{"source": "nieuwsbrief", "medium": "", "campaign": "december",
                                  "referrer": "localhost", "started": 1, "submitted": 1,
                                  "conversion": 1.0}]
